#!/usr/bin/env bash
# `npm run` of each named script at once, then each one's output in the order given; fails if any failed.
# CI's checks (typecheck, lint, build) are single-threaded Node for most of their time: together they use both cores.
set -uo pipefail

logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
pids=()
for name in "$@"; do
  npm run --silent "$name" >"$logs/$name" 2>&1 &
  pids+=($!)
done
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
