import type { McpSourceIR } from '../../../runtime/kinds/mcp/ir.js';
import type { Entry, GeneratorKind } from '../kind.js';
import type { LowerContext } from '../../lower/context.js';
import { defaultOf } from '../../validate/defaults.js';
import { obj } from '../../plain.js';
import { mcpSchema } from './manifest-schema.js';
import { mount } from './mount.js';
import { transportOf } from './settings.js';
import { loadSurface, type LoadedSurface } from './surface.js';

/**
 * Upstream MCP servers (`sources.NAME.mcp`): the build connects once and records the upstream's tools,
 * resources, templates and prompts; they are mounted under a prefix and called through at run time. No manifest
 * entry selects this kind (its entries come from its sources only: `sourceOnly` in runtime/kinds/types.ts).
 */
export const mcpKind: GeneratorKind<'mcp'> = {
  schema: mcpSchema,
  source: {
    key: 'mcp',
    // Headers, environment and URL may carry tokens: kept as `${VAR}` in the artifact, resolved when connecting.
    // Missing at build is a warning: the build then mounts what the last build recorded.
    credentials: ['mcp/url', 'mcp/headers', 'mcp/env'],
    runtimeOnly: ['mcp/url', 'mcp/headers', 'mcp/env'],
    phases: { load: 'connecting to upstream MCP servers' },
    load: loadSurface,
    lower(name: string, settings: Entry, loaded: unknown, ctx: LowerContext) {
      const surface = (loaded as LoadedSurface | undefined)?.surface;
      if (!surface) return undefined;
      // Credentials stay `${VAR}` references in the artifact: the transport comes from the raw manifest.
      const raw = obj(obj(obj(obj(ctx.manifest.raw).sources)[name]).mcp);
      const timeoutMs =
        typeof settings.timeoutMs === 'number' ? settings.timeoutMs : defaultOf<number>(mcpSchema.defs!.mcpSource!, 'timeoutMs');
      const source: McpSourceIR = { kind: 'mcp', transport: transportOf(raw), timeoutMs, surface };
      return { source, ...mount(name, settings, surface, ctx) };
    }
  }
};
