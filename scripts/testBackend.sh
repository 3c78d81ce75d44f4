#!/usr/bin/env bash
# The Go conformance test (tests/backend) against the built executable, started as Grafana starts it: builds this
# machine's single executable (scripts/buildBackend.ts) into a temporary folder, then runs `go test` with
# HEADROOM_BACKEND pointing at it. No Go, or no executable, fails the run: CI must not pass by testing nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v go >/dev/null; then
  if [ -x /usr/local/go/bin/go ]; then
    export PATH="$PATH:/usr/local/go/bin"
  else
    echo "test:backend: Go is not installed (no go on PATH, no /usr/local/go/bin/go)" >&2
    exit 1
  fi
fi

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# The executable's build log (esbuild's and postject's warnings) only matters when the build fails.
if ! npx tsx scripts/buildBackend.ts --targets host --out "$out" >"$out/build.log" 2>&1; then
  cat "$out/build.log" >&2
  exit 1
fi
# Grafana's name for it on this machine: plugin.json's executable, then _<GOOS>_<GOARCH>.
executable="$out/gpx_headroom_$(go env GOOS)_$(go env GOARCH)"
cd tests/backend
HEADROOM_BACKEND="$executable" go test -count=1 ./...
