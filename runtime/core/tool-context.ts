import { LOG_LEVELS, type LogLevel } from '../sdk.js';
import type { ToolContext } from '../kinds/kind.js';
import type { RequestContext } from './context.js';
import type { Logger } from '../log.js';
import type { Interaction, InputRequest } from './interaction.js';
import { Cancellation, onAbort, withLazySignal } from './cancellation.js';

const severity = (l: LogLevel) => LOG_LEVELS.indexOf(l);

/** The handler context: MCP logging honouring the client's level, progress only when a token was sent. */
export function toolContext(ctx: RequestContext, log: Logger, logger: string, interaction: Interaction, readResource?: ToolContext['readResource']): ToolContext {
  const meta = ctx.params._meta as Record<string, unknown> | undefined;
  const token = meta?.progressToken;
  let last = -Infinity;
  let asked = 0;
  const ask = (method: InputRequest['method'], params: Record<string, unknown>, key: string | undefined) =>
    interaction.ask(key ?? `${method.split('/')[0]}-${++asked}`, { method, params }) as Promise<Record<string, unknown>>;
  // Made on first use only: AbortSignal.any costs tens of microseconds, and most tools never look.
  let cancellation: Cancellation | AbortSignal | undefined;
  const cancelled = () => (cancellation ??= interaction.ended ? Cancellation.any([ctx.cancellation, interaction.ended]) : ctx.cancellation);
  return withLazySignal<ToolContext>({
    onCancel: (listener) => onAbort(cancelled(), listener),
    requestId: ctx.id,
    toolName: logger,
    clientCapabilities: ctx.clientCapabilities,
    state: interaction.state,
    elicit: (params, key) => ask('elicitation/create', params, key),
    sample: (params, key) => ask('sampling/createMessage', params, key),
    listRoots: (key) => ask('roots/list', {}, key),
    closeStream: () => ctx.closeStream?.(),
    ...(interaction.hold ? { holdRound: () => interaction.hold!() } : {}),
    ...(ctx.principal ? { principal: ctx.principal } : {}),
    ...(ctx.requestHeader ? { requestHeader: ctx.requestHeader } : {}),
    ...(readResource ? { readResource } : {}),
    log(level, message, data) {
      log.debug(`[${logger}] ${level}: ${message}`);
      if (ctx.cancellation.aborted) return;
      const wanted = ctx.era === 'legacy' ? (ctx.legacy?.logLevel ?? 'debug') : ctx.logLevel;
      if (wanted === undefined || severity(level) < severity(wanted)) return;
      ctx.notify('notifications/message', { level, logger, data: data === undefined ? message : { message, data } });
    },
    progress(progress, total, message) {
      if ((typeof token !== 'string' && typeof token !== 'number') || ctx.cancellation.aborted || progress <= last) return;
      last = progress;
      ctx.notify('notifications/progress', { progressToken: token, progress, ...(total !== undefined ? { total } : {}), ...(message ? { message } : {}) });
    }
  }, cancelled);
}
