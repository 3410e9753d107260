# syntax=docker/dockerfile:1
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts ./scripts
COPY prisma ./prisma
COPY prisma.config.ts ./
# Installs the dependencies and generates the Prisma client (postinstall).
RUN npm ci --no-audit --no-fund
COPY src ./src
COPY commands ./commands
COPY locales ./locales
# Compiles to plain JavaScript under dist/ (scripts/build.mjs), then drops the dev tools.
RUN node scripts/build.mjs && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production DATA_DIR=/data PORT=8080
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json package-lock.json ./
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# The compiled bot (no TypeScript compiler at run time); it applies pending migrations itself when it starts.
# The CLI in the container: docker exec <container> node dist/src/cli/index.js <command>
CMD ["node", "dist/src/main.js"]
