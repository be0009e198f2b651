# One image for every pingtree process (gateway, filter, ping, auction, post, audit, buyer-sim,
# migrations, demo seed). Each docker-compose service / Kubernetes Deployment picks its process
# with `command`; see docker-compose.yml and deploy/k8s/.

ARG NODE_IMAGE=node:20-bookworm-slim

# ---- build: full install (TypeScript, etc.) and one tsc build into dist/
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: the tsc build needs no install scripts (nx, @parcel/watcher, protobufjs).
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN npm run build

# ---- runtime: production dependencies and the compiled output only
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HTTP_HOST=0.0.0.0 \
    BUYER_SIM_HOST=0.0.0.0
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# Files stay owned by root (read-only for the app); the process runs as the image's `node`
# user, given by uid so that Kubernetes' runAsNonRoot can verify it.
USER 1000:1000
# Services listen on HTTP_PORT (set it; the default 0 picks a random port).
EXPOSE 3000
CMD ["node", "-e", "console.log(['pingtree image: choose a process, e.g.', '  node -r ./dist/tools/runtime-aliases.js dist/apps/<gateway|filter|ping|auction|post|audit|buyer-sim>/src/main.js', '  node -r ./dist/tools/runtime-aliases.js dist/libs/db/src/migrate.main.js', '  node -r ./dist/tools/runtime-aliases.js dist/tools/demo/seed-demo.main.js', 'See docker-compose.yml and deploy/README.md.'].join('\\n'))"]
