import { LOG_LEVELS, type LogLevel } from '../sdk.js';
import type { ToolContext } from '../kinds/kind.js';
import type { RequestContext } from './context.js';
import type { Logger } from '../log.js';

const severity = (l: LogLevel) => LOG_LEVELS.indexOf(l);

/** The handler context: MCP logging honouring the client's level, progress only when a token was sent. */
export function toolContext(ctx: RequestContext, log: Logger, logger: string): ToolContext {
  const meta = ctx.params._meta as Record<string, unknown> | undefined;
  const token = meta?.progressToken;
  let last = -Infinity;
  return {
    signal: ctx.signal,
    requestId: ctx.id,
    log(level, message, data) {
      log.debug(`[${logger}] ${level}: ${message}`);
      if (ctx.signal.aborted) return;
      const wanted = ctx.era === 'legacy' ? (ctx.legacy?.logLevel ?? 'debug') : ctx.logLevel;
      if (wanted === undefined || severity(level) < severity(wanted)) return;
      ctx.notify('notifications/message', { level, logger, data: data === undefined ? message : { message, data } });
    },
    progress(progress, total, message) {
      if ((typeof token !== 'string' && typeof token !== 'number') || ctx.signal.aborted || progress <= last) return;
      last = progress;
      ctx.notify('notifications/progress', { progressToken: token, progress, ...(total !== undefined ? { total } : {}), ...(message ? { message } : {}) });
    }
  };
}
