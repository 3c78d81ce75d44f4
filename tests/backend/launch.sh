#!/bin/sh
# Starts the data source's backend from its TypeScript source, as the built executable will be started by Grafana:
# same environment, same stdout, same process (node runs it directly, tsx only compiles on load).
# The single-executable build (gpx_headroom_<os>_<arch>) replaces this in a later step of issue 14.
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root" || exit 1
exec node --import tsx "$root/src/backend/main.ts"
