import { dirname, join, relative } from 'node:path';
import { loadArtifact, type LoadedArtifact } from '../../../runtime/artifact/load.js';
import { workerLink } from '../cluster-worker.js';
import { help, parse } from '../args.js';
import { staleInput } from '../stale.js';
import { serveArtifact, serveFlags, serveFlagsHelp } from '../serve.js';

// What run shares with dev, the bundle's server.mjs and the tests lives in ../serve.ts.
export {
  connectionHelp,
  httpPort,
  keepStdoutForProtocol,
  loggerFor,
  logSettings,
  serve,
  serveFlags,
  servesStdio,
  tlsFiles
} from '../serve.js';

export const runHelp = `mcp-gen run [-m FILE] [-o DIR] [--build] [--http] [--host H] [--port N] [--tls-cert FILE --tls-key FILE]
           [--log-level L] [--log-format F] [--drain-timeout S] [--metrics-port P [--metrics-host H]]
           [--toolset NAME] [--state URL] [--workers N|auto]

Serves a built artifact over MCP. Default: stdio. With --http: Streamable HTTP at http://H:N/mcp.
The manifest's transport: settings are the defaults (including the path, /mcp unless
transport.path says otherwise); flags win.

  -m, --manifest FILE  serve the build of this manifest (default ./mcp-gen.yaml)
  -o, --out DIR        artifact directory (default .mcp-gen next to the manifest)
      --build          build first (as mcp-gen build does); without it, run warns when an input
                       changed after the build
      --workers N|auto
                       with --http: N worker processes share the port (auto: one per core); a
                       worker that dies is restarted. More than one needs a shared state store
                       (state.store); see docs/workers.md
${serveFlagsHelp}`;

export async function runCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    manifest: { type: 'string', short: 'm' },
    out: { type: 'string', short: 'o' },
    build: { type: 'boolean' },
    workers: { type: 'string' },
    ...serveFlags
  });
  if (values.help) return help(runHelp);
  const manifest = String(values.manifest ?? 'mcp-gen.yaml');
  const dir = values.out !== undefined ? String(values.out) : join(dirname(manifest), '.mcp-gen');
  // A worker of `run --workers` re-runs this command: the primary has built and warned already.
  const worker = workerLink();
  if (values.build && !worker) {
    // Imported on use: serving must not pay for the build toolchain (yaml, ajv, esbuild) at start-up.
    const { buildInto } = await import('./build.js');
    if (!(await buildInto(manifest, dir))) return 1;
  }
  const buildArgs = [...(values.manifest !== undefined ? ['-m', manifest] : []), ...(values.out !== undefined ? ['-o', dir] : [])];
  if (values.workers !== undefined && !worker) {
    const loaded = await loadArtifact(dir);
    if (!values.build) warnIfStale(loaded, buildArgs);
    return (await import('./run-workers.js')).runWorkers(loaded, values);
  }
  try {
    await serveArtifact(dir, values, worker ? { worker } : values.build ? {} : { loaded: (loaded) => warnIfStale(loaded, buildArgs) });
  } finally {
    // A worker that failed to start must end too (its open IPC channel would keep it alive): the primary sees its code.
    worker?.close();
  }
  return 0;
}

/** A build older than an input it read: served anyway, with a warning that says how to rebuild. */
function warnIfStale(loaded: LoadedArtifact, buildArgs: string[]): void {
  const changed = staleInput(loaded.dir, loaded.root);
  if (changed === undefined) return;
  const dir = relative(process.cwd(), loaded.dir) || '.';
  process.stderr.write(
    `mcp-gen: warning: the build in ${dir} is stale: ${changed} changed after it; run ` +
      `\`${['mcp-gen build', ...buildArgs].join(' ')}\` (or run --build)\n`
  );
}
