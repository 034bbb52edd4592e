import { LATEST_LEGACY_VERSION, LEGACY_VERSIONS, LOG_LEVELS, MODERN_VERSIONS, type LogLevel } from '../../sdk.js';
import { cacheHints } from '../cache.js';
import { RpcError } from '../errors.js';
import type { MethodHandler } from '../services.js';
import type { LegacyState } from '../context.js';

/** 2025-era handshake; the transport keeps the returned state as the session. */
export function initialize(
  params: Record<string, unknown>,
  core: Parameters<MethodHandler>[0]
): { state: LegacyState; value: Record<string, unknown> } {
  const requested = typeof params.protocolVersion === 'string' ? params.protocolVersion : undefined;
  if (requested === undefined) throw new RpcError('invalidParams', 'initialize needs params.protocolVersion');
  const protocolVersion = (LEGACY_VERSIONS as readonly string[]).includes(requested) ? requested : LATEST_LEGACY_VERSION;
  const state: LegacyState = {
    protocolVersion,
    clientCapabilities: (params.capabilities as Record<string, unknown> | undefined) ?? {},
    clientInfo: params.clientInfo,
    initialized: false
  };
  const { instructions } = core.artifact.server;
  return {
    state,
    value: {
      protocolVersion,
      capabilities: core.legacyCapabilities,
      serverInfo: core.serverInfo,
      ...(instructions ? { instructions } : {})
    }
  };
}

export const ping: MethodHandler = () => ({ value: {} });

export const setLevel: MethodHandler = async (_core, ctx) => {
  const level = ctx.params.level;
  if (typeof level !== 'string' || !(LOG_LEVELS as readonly string[]).includes(level)) {
    throw new RpcError('invalidParams', `invalid log level ${JSON.stringify(level)}; expected one of ${LOG_LEVELS.join(', ')}`);
  }
  if (ctx.legacy) ctx.legacy.logLevel = level as LogLevel;
  await ctx.legacy?.shared?.changed();
  return { value: {} };
};

export const discover: MethodHandler = (core) => {
  const { instructions } = core.artifact.server;
  return {
    value: {
      supportedVersions: [...MODERN_VERSIONS, ...LEGACY_VERSIONS],
      capabilities: core.capabilities,
      ...(instructions ? { instructions } : {})
    },
    cache: cacheHints.discover
  };
};
