/** The Node image the Dockerfile builds on: pinned to one release, so a rebuild gets the same runtime. */
export const NODE_IMAGE = 'node:22.20.0-bookworm-slim';

/** The port the container serves on (EXPOSE, the health check and the command agree on it). */
export const CONTAINER_PORT = 3000;

/** What the container runs: HTTP on every interface of the container, on CONTAINER_PORT. */
export const CONTAINER_COMMAND: readonly string[] = ['node', 'server.mjs', '--http', '--host', '0.0.0.0', '--port', String(CONTAINER_PORT)];

/** node:*-slim has no curl: the health check asks Node itself (fetch is global from Node 18). */
const healthCheck = `node -e "fetch('http://127.0.0.1:${CONTAINER_PORT}/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"`;

/**
 * A two-stage image: the first installs package.json's dependencies (native ones are compiled or downloaded
 * there), the second copies them and the bundle and runs as the image's unprivileged `node` user.
 */
export function dockerfile(): string {
  return `# Made by mcp-gen bundle. Build: docker build -t my-server .   Run: docker run -p ${CONTAINER_PORT}:${CONTAINER_PORT} my-server
# Set the manifest's \${VAR}s with -e NAME=value (or an env file); clients reaching the container by a name must
# find it in transport.allowedHosts (see mcp-gen's docs/deploy.md).

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json ./
RUN npm install --omit=dev --no-audit --no-fund

FROM ${NODE_IMAGE}
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps --chown=node:node /app/node_modules ./node_modules
COPY --chown=node:node . .
USER node
EXPOSE ${CONTAINER_PORT}
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 CMD ${healthCheck}
CMD ${JSON.stringify(CONTAINER_COMMAND)}
`;
}

/** What the image build leaves out: installed packages (the first stage installs its own) and other deployments. */
export function dockerignore(): string {
  return ['node_modules', 'Dockerfile', '.dockerignore', '*.mcpb', 'npm-debug.log', ''].join('\n');
}
