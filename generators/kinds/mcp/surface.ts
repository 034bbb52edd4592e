import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ARTIFACT_FILE } from '../../../runtime/artifact/ir.js';
import type { McpSurfaceIR, McpTransportIR } from '../../../runtime/kinds/mcp/ir.js';
import type { CheckMode, Entry, SourceLoadContext } from '../kind.js';
import { transportOf } from './settings.js';

type Obj = Record<string, unknown>;

/** What `load` hands to `lower`: the upstream's lists, and whether they are live or recorded by an earlier build. */
export interface LoadedSurface {
  readonly surface: McpSurfaceIR;
  readonly recorded: boolean;
}

const CONNECT_TIMEOUT_MS = 30_000;

/**
 * The build's check mode (`--db`/MCPGEN_DB_CHECK: required or off for every source) wins; then MCPGEN_MCP_CHECK=1/0
 * for MCP sources only; else the source's `check:`.
 */
export function checkMode(settings: Entry, env: NodeJS.ProcessEnv, build: CheckMode = 'auto'): CheckMode {
  if (build !== 'auto') return build;
  if (env.MCPGEN_MCP_CHECK === '1') return 'required';
  if (env.MCPGEN_MCP_CHECK === '0') return 'off';
  return settings.check === 'required' || settings.check === 'off' ? settings.check : 'auto';
}

/**
 * Connects once to the upstream (settings with `${VAR}` resolved) and records its tools, resources, templates
 * and prompts; unreachable: the surface the last build recorded (artifact in outDir), with a warning.
 */
export async function loadSurface(name: string, settings: Entry, ctx: SourceLoadContext): Promise<LoadedSurface | undefined> {
  const pointer = `/sources/${name}/mcp`;
  const mode = checkMode(settings, ctx.env, ctx.check);
  let problem = 'the build-time connection is off (check: off or MCPGEN_MCP_CHECK=0)';
  if (mode !== 'off') {
    try {
      return { surface: await fetchSurface(transportOf(settings.mcp as Obj), ctx.manifest.dir), recorded: false };
    } catch (e) {
      problem = `cannot reach it: ${(e as Error).message}`;
    }
  }
  const recorded = recordedSurface(name, ctx.outDir);
  if (mode === 'required' || !recorded) {
    const fallback = recorded ? '' : '; no earlier build recorded its lists';
    ctx.error('MCPGEN_MCP_UNREACHABLE', `source "${name}": ${problem}${fallback}`, pointer);
    return undefined;
  }
  if (mode !== 'off') ctx.warn('MCPGEN_MCP_OFFLINE', `source "${name}": ${problem}; mounting the lists the last build recorded`, pointer);
  return { surface: recorded, recorded: true };
}

async function fetchSurface(transport: McpTransportIR, root: string): Promise<McpSurfaceIR> {
  const { connect } = await import('../../../runtime/kinds/mcp/client.js');
  const ignore = () => {};
  const asked = () => Promise.reject(new Error('mcp-gen build answers no questions'));
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>(
    (_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${CONNECT_TIMEOUT_MS / 1000} s`)), CONNECT_TIMEOUT_MS))
  );
  const connecting = connect(
    transport,
    root,
    { onRequest: asked, onListChanged: ignore, onLog: ignore, onClose: ignore },
    { name: 'mcp-gen-build' }
  );
  try {
    const connection = await Promise.race([connecting, timeout]);
    try {
      const lists = await Promise.race([connection.list(), timeout]);
      return { ...lists, era: connection.era, ...(connection.server ? { server: connection.server } : {}) };
    } finally {
      await connection.close().catch(() => {});
    }
  } catch (e) {
    connecting.then((c) => c.close(), ignore).catch(ignore);
    throw e;
  } finally {
    clearTimeout(timer);
  }
}

/** The surface the artifact in outDir recorded for this source, if it is an MCP source. */
function recordedSurface(name: string, outDir: string): McpSurfaceIR | undefined {
  try {
    const artifact = JSON.parse(readFileSync(join(outDir, ARTIFACT_FILE), 'utf8')) as {
      sources?: Record<string, { kind?: string; surface?: McpSurfaceIR }>;
    };
    const source = artifact.sources?.[name];
    return source?.kind === 'mcp' && source.surface ? source.surface : undefined;
  } catch {
    return undefined;
  }
}
