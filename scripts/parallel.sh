#!/usr/bin/env bash
# `npm run` of each named script at once, then each one's output in the order given; fails if any failed.
# CI's checks (typecheck, lint, build) are single-threaded Node for most of their time: together they use both cores.
set -uo pipefail

logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
pids=()
# Each job in its own process group, so a cancel reaches npm's children too (killing npm alone leaves them running).
set -m
for name in "$@"; do
  npm run --silent "$name" >"$logs/$name" 2>&1 &
  pids+=($!)
done
# When CI cancels the run, the jobs stop with it; a signal's usual status (128 + its number) is kept.
trap 'kill -- "${pids[@]/#/-}" 2>/dev/null; exit 130' INT
trap 'kill -- "${pids[@]/#/-}" 2>/dev/null; exit 143' TERM
failed=()
for i in "${!pids[@]}"; do
  name=${*:i+1:1}
  if wait "${pids[$i]}"; then status=ok; else status=failed; failed+=("$name"); fi
  echo "── npm run $name: $status"
  cat "$logs/$name"
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "failed: ${failed[*]}" >&2
  exit 1
fi
