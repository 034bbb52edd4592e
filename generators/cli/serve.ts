import { stdioLaunch } from './launch.js';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ArtifactError, loadArtifact, type LoadedArtifact } from '../../runtime/artifact/load.js';
import { packageVersion } from '../../runtime/package-root.js';
import type { McpCore } from '../../runtime/core/server.js';
import { createCore } from '../../runtime/serve.js';
import { routeConsoleToStderr } from '../../runtime/console.js';
import {
  createLogger,
  defaultLogFormat,
  LOG_FORMATS,
  SERVER_LOG_LEVELS,
  type LogFormat,
  type Logger,
  type ServerLogLevel
} from '../../runtime/log.js';
import { createHttpServer } from '../../runtime/transports/http.js';
import { serveStdio } from '../../runtime/transports/stdio.js';
import { createOpsRoutes } from '../../runtime/observe/health.js';
import { UsageError, type Options } from './args.js';
import { toolsetPath } from '../../runtime/artifact/toolsets.js';
import { drainTimeoutMs, listenError, listenSide, sideListener } from './ops-flags.js';
import { onShutdownSignal, type Shutdown } from './shutdown.js';
import { logProcessWarnings, logUnhandledRejections } from './process-guard.js';
import { observabilityFor, type Observability } from './observability.js';
import { stateStoreFor } from './state.js';
import { tuneHeapForServing } from './heap-tuning.js';
import type { WorkerLink } from './cluster-worker.js';
import type { StateStore } from '../../runtime/state/store.js';

/**
 * Serves the artifact in `dir` as the flags say, until a graceful shutdown: what `mcp-gen run` does after its
 * build, and a bundle's server.mjs. `launch`: the arguments before `-o DIR` that start it again (shown in the
 * client configuration); `loaded`: called once the artifact is loaded (run's stale-input warning).
 */
export async function serveArtifact(
  dir: string,
  values: Record<string, unknown>,
  how: {
    readonly launch?: readonly string[];
    readonly loaded?: (loaded: LoadedArtifact) => void;
    /** Set in a worker of `run --workers` (cluster-worker.ts): its link to the primary. */
    readonly worker?: WorkerLink;
  } = {}
): Promise<void> {
  const loaded = await loadArtifact(dir);
  // After loading: from here on the process serves requests (see heap-tuning.ts).
  tuneHeapForServing();
  how.loaded?.(loaded);
  const { worker } = how;
  const log = worker ? loggerFor(values, loaded).child({ worker: worker.id }) : loggerFor(values, loaded);
  keepStdoutForProtocol(values, loaded);
  const observed = await observabilityFor(loaded, log, worker ? (local) => worker.exposed(local) : undefined);
  const state = await stateStoreFor(values, loaded, log);
  try {
    const extras = { state, ...(how.launch ? { launch: how.launch } : {}), ...(worker ? { worker } : {}) };
    await serve(await coreFor(loaded, log, observed, state), loaded, values, log, observed, extras);
  } finally {
    await state.close();
    await observed.shutdown?.();
  }
}

/** The help of the flags in serveFlags, shared by run and a bundle's server.mjs. */
export const serveFlagsHelp = `      --http           serve Streamable HTTP instead of stdio
      --stdio          serve stdio (overrides transport.type: http)
      --host H         listen address (default 127.0.0.1)
      --port N         port (default 3000; 0 picks a free one)
      --tls-cert FILE  serve HTTPS with this PEM certificate chain (with --tls-key;
                       default transport.tls.cert)
      --tls-key FILE   the PEM private key of --tls-cert (default transport.tls.key)
      --log-level L    debug | info | warn | error (default: MCPGEN_LOG_LEVEL, else
                       transport.logLevel, else info); logs go to stderr
      --log-format F   json (one object per line; the default when stderr is not a terminal)
                       | pretty (one readable line; the default at a terminal)
      --drain-timeout S
                       on SIGTERM/SIGINT, seconds in-flight requests may take to finish before
                       they are cancelled (default 10); a second signal exits at once
      --metrics-port P
                       also serve /healthz, /readyz and /metrics on this port (stdio servers
                       have no other; 0 picks a free one)
      --metrics-host H
                       address of --metrics-port (default 127.0.0.1)
      --toolset NAME   stdio: serve only this toolset's tools (toolsets:); over HTTP every toolset
                       is served at its own path, transport.path + /NAME
      --state URL      where 2025 sessions, resumable streams and the requestState key live:
                       memory (default) or redis://… / rediss://… shared by every instance
                       (default: MCPGEN_STATE, else state.store; see docs/scale-out.md)

HTTP servers answer GET /healthz, /readyz and /metrics on their own port too.
`;

/** `--toolset NAME`: a toolset of the artifact, or a usage error naming those it has. */
function toolsetFlag(values: Record<string, unknown>, loaded: LoadedArtifact): string | undefined {
  if (values.toolset === undefined) return undefined;
  const name = String(values.toolset);
  const known = Object.keys(loaded.artifact.toolsets ?? {});
  if (known.includes(name)) return name;
  throw new UsageError(
    `--toolset ${name}: the build has ${known.length > 0 ? `toolsets ${known.join(', ')}` : 'no toolsets (toolsets: in the manifest)'}`
  );
}

/** Flags shared by run, dev and a bundle's server.mjs. */
export const serveFlags = {
  http: { type: 'boolean' },
  stdio: { type: 'boolean' },
  host: { type: 'string' },
  port: { type: 'string' },
  'tls-cert': { type: 'string' },
  'tls-key': { type: 'string' },
  'log-level': { type: 'string' },
  'drain-timeout': { type: 'string' },
  'metrics-port': { type: 'string' },
  'metrics-host': { type: 'string' },
  'log-format': { type: 'string' },
  toolset: { type: 'string' },
  state: { type: 'string' }
} as const satisfies Options;

/** The server log of `run` and `dev` (stderr), as logSettings says. */
export function loggerFor(values: Record<string, unknown>, loaded: LoadedArtifact): Logger {
  const { level, format } = logSettings(values, loaded);
  return createLogger(level, undefined, format);
}

/**
 * Level from --log-level, else MCPGEN_LOG_LEVEL, else transport.logLevel; format from --log-format, else JSON
 * unless stderr is a terminal.
 */
export function logSettings(
  values: Record<string, unknown>,
  loaded: Pick<LoadedArtifact, 'artifact'>,
  env: NodeJS.ProcessEnv = process.env,
  terminalFormat: LogFormat = defaultLogFormat()
): { level: ServerLogLevel; format: LogFormat } {
  const fromEnv = env.MCPGEN_LOG_LEVEL === '' ? undefined : env.MCPGEN_LOG_LEVEL;
  const level = String(values['log-level'] ?? fromEnv ?? loaded.artifact.transport.logLevel);
  if (!(SERVER_LOG_LEVELS as readonly string[]).includes(level)) {
    const source = values['log-level'] !== undefined ? '--log-level' : 'MCPGEN_LOG_LEVEL';
    throw new UsageError(`${source} must be one of ${SERVER_LOG_LEVELS.join(', ')}`);
  }
  const format = String(values['log-format'] ?? terminalFormat);
  if (!(LOG_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--log-format must be one of ${LOG_FORMATS.join(', ')}`);
  return { level: level as ServerLogLevel, format: format as LogFormat };
}

/** Whether `serve` will serve stdio (the flags, else the manifest's transport.type). */
export function servesStdio(values: Record<string, unknown>, loaded: LoadedArtifact): boolean {
  return values.stdio === true || (values.http !== true && loaded.artifact.transport.type !== 'http');
}

/**
 * Before the handlers are imported: on stdio, console output (a handler's module code included) must not reach
 * stdout, the protocol channel.
 */
export function keepStdoutForProtocol(values: Record<string, unknown>, loaded: LoadedArtifact): void {
  if (servesStdio(values, loaded)) routeConsoleToStderr();
}

/**
 * Serves `core` over stdio or HTTP as the flags and the manifest say; resolves after a graceful shutdown:
 * the first SIGINT/SIGTERM makes /readyz and new requests answer 503 (the HTTP listener stays open), in-flight
 * ones finish (or are cancelled when --drain-timeout ends, with an answer), and only then are the listeners,
 * the sources and the audit log closed. A second signal exits at once (see shutdown.ts).
 */
export async function serve(
  core: McpCore,
  loaded: LoadedArtifact,
  values: Record<string, unknown>,
  log: Logger,
  observed: Observability = {},
  /** `launch`: the arguments before `-o DIR` that start it again; `state`: the shared state store (runtime/state). */
  {
    launch = ['run'],
    state,
    worker
  }: { readonly launch?: readonly string[]; readonly state?: StateStore; readonly worker?: WorkerLink } = {}
): Promise<void> {
  logUnhandledRejections(log);
  logProcessWarnings(log);
  const t = loaded.artifact.transport;
  const graceMs = drainTimeoutMs(values);
  // A worker of `run --workers` leaves the side listener to the primary, which serves the whole server's view.
  const side = worker ? undefined : sideListener(values);
  let shutdown: Shutdown | undefined;
  worker?.serving(core);
  const ops = createOpsRoutes({
    core: worker?.readiness ?? core,
    draining: () => shutdown?.started === true,
    ...(observed.metrics ? { metrics: observed.metrics } : {})
  });
  const shuttingDown = `shutting down: finishing in-flight requests (up to ${graceMs / 1000} s)`;
  if (servesStdio(values, loaded)) {
    const opsServer = side ? await listenSide(ops, side, log) : undefined;
    // A stdio line is what an HTTP body is: unless set, its limit is the body's.
    const stdio = serveStdio(
      core,
      process.stdin,
      process.stdout,
      process.env,
      { maxLineBytes: t.maxBodyBytes, ...t.limits },
      toolsetFlag(values, loaded)
    );
    shutdown = onShutdownSignal(log, () => {
      log.info(shuttingDown);
      core.endStreams();
      stdio.close(graceMs);
    });
    log.info(`serving ${loaded.artifact.server.name} over stdio`);
    await stdio.closed;
    await core.close();
    await opsServer?.close();
    shutdown.dispose();
    log.flush();
    return;
  }
  if (values.toolset !== undefined)
    throw new UsageError(`--toolset is for stdio: over HTTP every toolset is served at ${toolsetPath(t.path, String(values.toolset))}`);
  const port = httpPort(values, loaded);
  const tls = tlsFiles(values, loaded);
  let server: ReturnType<typeof createHttpServer>;
  try {
    server = createHttpServer(core, {
      ...t,
      host: String(values.host ?? t.host),
      port,
      ...(tls ? { tls } : {}),
      ops,
      ...observedHttp(observed),
      ...(state ? { state } : {})
    });
  } catch (e) {
    // A malformed PEM file fails here, in OpenSSL: a user mistake, not a crash.
    if (tls && (e as { code?: string }).code?.startsWith('ERR_OSSL'))
      throw new UsageError(`invalid TLS certificate or key: ${(e as Error).message}`);
    throw e;
  }
  const host = String(values.host ?? t.host);
  const url = await server.listen().catch((e: NodeJS.ErrnoException) => {
    throw listenError(e, host, port, '--port');
  });
  const opsServer = side ? await listenSide(ops, side, log).catch(async (e) => (await server.close(0), Promise.reject(e))) : undefined;
  if (worker) worker.listening(url);
  else process.stdout.write(connectionHelp(loaded.artifact.server.name, url, loaded.dir, undefined, launch));
  await new Promise<void>((done) => {
    shutdown = onShutdownSignal(log, () => {
      log.info(shuttingDown);
      core.endStreams();
      void server
        .close(graceMs)
        .then(() => core.close())
        .then(() => state?.close())
        .then(() => opsServer?.close())
        // A step that failed must not leave the process half shut down: it is logged, and the shutdown ends.
        .catch((e: unknown) => log.error(`shutdown: ${(e as Error)?.message ?? String(e)}`))
        .then(() => log.flush())
        .then(done);
    });
    worker?.onDrain(() => shutdown?.begin());
  });
  shutdown?.dispose();
}

/** --port, else transport.port. */
export function httpPort(values: Record<string, unknown>, loaded: LoadedArtifact): number {
  const given = values.port ?? loaded.artifact.transport.port;
  const port = Number(given);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`invalid port ${String(given)}`);
  return port;
}

/** The HTTP server's part of the observability: transport events and GET /metrics. */
function observedHttp(observed: Observability) {
  const transport = observed.telemetry?.transport;
  return transport ? { telemetry: transport } : {};
}

/** PEM files from --tls-cert/--tls-key (relative to the working directory) or transport.tls (relative to the manifest). */
export function tlsFiles(values: Record<string, unknown>, loaded: LoadedArtifact): { cert: Buffer; key: Buffer } | undefined {
  const cert = values['tls-cert'];
  const key = values['tls-key'];
  if ((cert === undefined) !== (key === undefined)) throw new UsageError('--tls-cert and --tls-key go together: give both, or neither');
  const configured = loaded.artifact.transport.tls;
  const files =
    cert !== undefined
      ? { cert: resolve(String(cert)), key: resolve(String(key)) }
      : configured
        ? { cert: resolve(loaded.root, configured.cert), key: resolve(loaded.root, configured.key) }
        : undefined;
  if (!files) return undefined;
  const read = (what: string, file: string) => {
    try {
      return readFileSync(file);
    } catch (e) {
      throw new UsageError(`cannot read the TLS ${what} ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
  };
  return { cert: read('certificate', files.cert), key: read('key', files.key) };
}

/** An artifact of another mcp-gen version may lack what this runtime expects: it needs a rebuild, not a stack. */
async function coreFor(loaded: LoadedArtifact, log: Logger, observed: Observability, state: StateStore): Promise<McpCore> {
  try {
    return await createCore(loaded, { log, state, ...(observed.telemetry ? { telemetry: observed.telemetry } : {}) });
  } catch (e) {
    const version = loaded.artifact.generator.version;
    if (version === packageVersion() || e instanceof ArtifactError || e instanceof UsageError) throw e;
    throw new ArtifactError(
      `the artifact in ${loaded.dir} was built by mcp-gen ${version} and cannot be served by ` +
        `${packageVersion()} (${(e as Error).message}): rebuild it with \`mcp-gen build\``
    );
  }
}

/** Absolute paths: clients start stdio servers from their own working directory. */
export function connectionHelp(
  name: string,
  url: string,
  dir: string,
  cli = process.argv[1] ?? 'mcp-gen',
  launch: readonly string[] = ['run']
): string {
  const httpConfig = { mcpServers: { [name]: { type: 'http', url } } };
  const { command, args } = stdioLaunch(dir, cli, launch);
  const stdioConfig = { mcpServers: { [name]: { command, args } } };
  return `mcp-gen: serving ${name} at ${url}

Client configuration (Streamable HTTP):
${JSON.stringify(httpConfig, null, 2)}

Client configuration (stdio):
${JSON.stringify(stdioConfig, null, 2)}
${launch.length > 0 ? "(Other clients' formats: mcp-gen client-config <client>, see docs/clients.md.)\n" : ''}
Press Ctrl+C to stop.
`;
}
