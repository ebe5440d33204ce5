# syntax=docker/dockerfile:1
# Architect: the Probot app server. Multi-stage: build with dev dependencies, ship only the
# compiled output and production dependencies, run as the unprivileged `node` user.
#
#   docker build -t architect .
#   docker run --rm -p 3000:3000 --env-file .env architect
#
# Required env at run time: APP_ID, PRIVATE_KEY (or PRIVATE_KEY_PATH), WEBHOOK_SECRET.
# Optional: OPENAI_API_KEY, OPENAI_BASE_URL, OLLAMA_HOST, REDIS_URL, LOG_LEVEL (docs/install.md),
# METRICS_TOKEN, OTEL_EXPORTER_OTLP_ENDPOINT, GITHUB_CLIENT_ID/SECRET (README: Observability).

ARG NODE_VERSION=22

FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /app
# Dependencies first, so source edits do not invalidate the npm layer.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund

FROM node:${NODE_VERSION}-bookworm-slim AS runtime
WORKDIR /app
# Probot binds to localhost by default, which is unreachable from outside a container.
# NODE_ENV=production makes Architect log JSON lines (src/app/logger.ts); LOG_FORMAT=pretty
# would turn that off.
ENV NODE_ENV=production \
    LOG_FORMAT=json \
    HOST=0.0.0.0 \
    PORT=3000
COPY --from=build --chown=node:node /app/package.json ./package.json
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
# app.yml: the manifest Probot's setup flow reads; architect.config.yml: the built-in defaults,
# found by walking up from dist/src/app/.
COPY --chown=node:node app.yml architect.config.yml ./
USER node
EXPOSE 3000
# Probot answers GET /ping with PONG once the server is up.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/ping').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# src/server.ts: refuses to start without WEBHOOK_SECRET, starts Probot, sweeps open milestones.
CMD ["node", "dist/src/server.js"]
