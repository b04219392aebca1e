# syntax=docker/dockerfile:1
# Gatehouse in a container: dependencies are installed and the production bundle is built
# (`npm run build`, dist/gatehouse.js) in a build stage, with the tools a native module may need;
# the runtime stage runs the bundle on plain node, as the unprivileged `node` user.
# Build: docker build -t gatehouse .   Run: see compose.yaml and docs/deploy.md.

ARG NODE_VERSION=20-bookworm-slim

FROM node:${NODE_VERSION} AS build
WORKDIR /app
# better-sqlite3 and argon2 ship prebuilt binaries; these tools are the fallback when none fits.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# The lock file names the client and resource-kit workspaces; their manifests are enough for npm ci.
COPY client/package.json client/package.json
COPY resource/package.json resource/package.json
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY bin bin
COPY src src
# The bundle: esbuild and tsx are regular dependencies, so the production install can build it;
# tsconfig.json makes esbuild compile exactly as tsc checks.
COPY tsconfig.json tsconfig.json
COPY scripts/build.ts scripts/build.ts
RUN npm run build

FROM node:${NODE_VERSION} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    GATEHOUSE_DATA_DIR=/data \
    GATEHOUSE_LOG_FORMAT=json \
    GATEHOUSE_WORKERS=1 \
    NODE_OPTIONS=--max-semi-space-size=4
WORKDIR /app
# Root owns the code; the server (user node) may write only its data dir. The bundle keeps its
# place in the project tree: it imports the npm packages from /app/node_modules and reads
# /app/package.json and the page assets in /app/src/pages at run time.
COPY --from=build /app /app
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8080
# Ready means the database answers, the schema is current and a signing key is loaded.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Exec form: node is PID 1 and gets SIGTERM itself, so `docker stop` drains requests and exits 0.
# The compiled bundle, not bin/gatehouse.js (tsx): ~55 MB less memory per process.
ENTRYPOINT ["node", "dist/gatehouse.js"]
CMD ["serve"]
