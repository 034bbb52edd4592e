/**
 * The entry of a server bundle's server.mjs (`mcp-gen bundle` compiles it with esbuild; it is not run from
 * dist/): `mcp-gen run` without the build. It serves the artifact in .mcp-gen/ next to it, with run's flags.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { useBundle } from '../../runtime/package-root.js';
import { help, parse, UsageError } from './args.js';
import { serveArtifact, serveFlags, serveFlagsHelp } from './serve.js';
import { reportFailure } from './process-exit.js';

/** Replaced by the version of the mcp-gen that made the bundle (esbuild `define`). */
declare const MCPGEN_BUNDLE_VERSION: string;

const here = dirname(fileURLToPath(import.meta.url));

export const bundleHelp = `node server.mjs [-o DIR] [--http] [--host H] [--port N] [--tls-cert FILE --tls-key FILE]
           [--log-level L] [--log-format F] [--drain-timeout S] [--metrics-port P [--metrics-host H]]

A server made by \`mcp-gen bundle\`: serves its artifact over MCP, as \`mcp-gen run\` does. Default: stdio.
With --http: Streamable HTTP at http://H:N/mcp. The manifest's transport: settings are the defaults; flags win.
It cannot build: -m/--manifest and --build are not available (run \`mcp-gen bundle\` again after a change).

  -o, --out DIR        artifact directory (default .mcp-gen next to server.mjs)
${serveFlagsHelp}`;

async function main(argv: string[]): Promise<number> {
  useBundle(here, MCPGEN_BUNDLE_VERSION);
  const { values } = parse(argv, { out: { type: 'string', short: 'o' }, ...serveFlags, ...unavailable });
  if (values.help) return help(bundleHelp);
  for (const flag of Object.keys(unavailable))
    if (values[flag] !== undefined)
      throw new UsageError(`--${flag} is not available in a bundle: it serves the artifact built into it; run \`mcp-gen bundle\` again`);
  await serveArtifact(values.out !== undefined ? String(values.out) : join(here, '.mcp-gen'), values, { launch: [] });
  return 0;
}

/** run's flags a bundle has no use for: parsed only to say so, instead of "unknown option". */
const unavailable = { manifest: { type: 'string', short: 'm' }, build: { type: 'boolean' } } as const;

reportFailure(main(process.argv.slice(2)));
