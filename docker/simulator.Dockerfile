# The simulated GPU fleet of `npm run server` (docker-compose.yaml, services `history` and `fleet`): `headroom simulate`
# bundled by esbuild into one JavaScript file that needs only Node, so no node_modules enters the image (the host's
# may be built for another OS, e.g. macOS). Build context: the repository, cut down to src/ by .dockerignore.
# tests/config/compose.test.ts builds the same bundle with the same esbuild and runs the services' commands on it.
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS bundle
# The esbuild version package-lock.json pins.
ARG ESBUILD_VERSION=0.25.12
WORKDIR /tools
RUN npm install --no-save --no-audit --no-fund esbuild@${ESBUILD_VERSION}
WORKDIR /build
COPY src/ src/
RUN /tools/node_modules/.bin/esbuild src/cli/simulateMain.ts --bundle --platform=node --target=node20 --outfile=out/headroom-simulate.js --log-level=warning

FROM ${NODE_IMAGE}
COPY --from=bundle /build/out/headroom-simulate.js /app/headroom-simulate.js
ENTRYPOINT ["node", "/app/headroom-simulate.js"]
