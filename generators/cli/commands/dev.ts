import { watch, type FSWatcher } from 'node:fs';
import { loadArtifact } from '../../../runtime/artifact/load.js';
import { createCore } from '../../../runtime/serve.js';
import { build, type BuildResult } from '../../build.js';
import { hasErrors } from '../../diagnostics/diagnostic.js';
import { help, parse } from '../args.js';
import { printDiagnostics } from '../output.js';
import { writeArtifact } from './build.js';
import { observabilityFor } from '../observability.js';
import { keepStdoutForProtocol, loggerFor, serve, serveFlags } from '../serve.js';
import { stateStoreFor } from '../state.js';

export const devHelp = `mcp-gen dev [-m FILE] [-o DIR] [--http] [--host H] [--port N] [--log-level L] [--log-format F]
            [--drain-timeout S] [--metrics-port P [--metrics-host H]] [--toolset NAME] [--state URL]

Builds, serves (stdio, or --http) and watches the manifest and every file it references. On a change it
rebuilds and swaps the artifact in place: connections stay open and clients get list_changed
notifications. A broken edit prints its diagnostics and the last good build keeps serving.

  -m, --manifest FILE  manifest (default ./mcp-gen.yaml)
  -o, --out DIR        artifact directory (default .mcp-gen next to the manifest)
  (serving flags as for mcp-gen run)
`;

/** Watches a changing set of files; calls `onChange` once per burst of events. */
class InputWatcher {
  private watchers: FSWatcher[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly onChange: () => void) {}

  watch(files: readonly string[]): void {
    this.close();
    for (const file of files) {
      try {
        this.watchers.push(watch(file, { persistent: true }, () => this.schedule()));
      } catch {
        // A file that vanished is reported by the next build.
      }
    }
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(this.onChange, 100);
  }

  close(): void {
    clearTimeout(this.timer);
    for (const w of this.watchers) w.close();
    this.watchers = [];
  }
}

export async function devCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, { manifest: { type: 'string', short: 'm' }, out: { type: 'string', short: 'o' }, ...serveFlags });
  if (values.help) return help(devHelp);
  const options = { manifest: String(values.manifest ?? 'mcp-gen.yaml'), ...(values.out ? { outDir: String(values.out) } : {}) };
  const first = await build(options);
  printDiagnostics(first.diagnostics);
  if (hasErrors(first.diagnostics)) return 1;
  await writeArtifact(first);
  let generation = 0;
  const loaded = await loadArtifact(first.outDir);
  const log = loggerFor(values, loaded);
  keepStdoutForProtocol(values, loaded);
  const observed = await observabilityFor(loaded, log);
  const state = await stateStoreFor(values, loaded, log);
  const core = await createCore(loaded, {
    log,
    listChanged: true,
    state,
    ...(observed.telemetry ? { telemetry: observed.telemetry } : {})
  });

  let rebuilding: Promise<void> = Promise.resolve();
  const rebuild = async (): Promise<void> => {
    const result: BuildResult = await build(options);
    watcher.watch(result.inputs);
    if (hasErrors(result.diagnostics)) {
      printDiagnostics(result.diagnostics);
      log.warn('build failed: still serving the last good build');
      return;
    }
    await writeArtifact(result);
    const changed = await core.swap(await loadArtifact(result.outDir, process.env, ++generation));
    log.info(`rebuilt and swapped in place${changed.length > 0 ? `; notified clients: ${changed.join(', ')} changed` : ''}`);
  };
  const watcher = new InputWatcher(() => {
    rebuilding = rebuilding.then(rebuild).catch((e: unknown) => log.error(`rebuild failed: ${(e as Error).message}`));
  });
  watcher.watch(first.inputs);
  log.info(`watching ${first.inputs.length} file(s) for changes`);
  try {
    await serve(core, loaded, values, log, observed, { state });
  } finally {
    watcher.close();
    await state.close();
    await observed.shutdown?.();
  }
  return 0;
}
