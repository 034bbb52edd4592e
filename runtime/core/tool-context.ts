import { LOG_LEVELS, type LogLevel } from '../sdk.js';
import type { ToolContext } from '../kinds/kind.js';
import type { RequestContext } from './context.js';
import type { Logger } from '../log.js';
import type { Interaction, InputRequest } from './interaction.js';
import { Cancellation, onAbort, signalOf } from './cancellation.js';

const severity = (l: LogLevel) => LOG_LEVELS.indexOf(l);

/**
 * The handler context: MCP logging honouring the client's level, progress only when a token was sent.
 * One per call, so a class (one allocation, methods on the prototype) rather than a literal of closures.
 */
class CallContext implements ToolContext {
  declare readonly holdRound?: () => () => void;
  declare readonly principal?: ToolContext['principal'];
  declare readonly requestHeader?: (name: string) => string | undefined;
  declare readonly readResource?: ToolContext['readResource'];
  declare readonly trace?: ToolContext['trace'];
  readonly requestId: string | number;
  readonly clientCapabilities: Readonly<Record<string, unknown>>;
  readonly state: Record<string, unknown>;
  private lastProgress = -Infinity;
  private asked = 0;
  // Made on first use only: AbortSignal.any costs tens of microseconds, and most tools never look.
  private cancellation: Cancellation | AbortSignal | undefined = undefined;

  constructor(
    private readonly ctx: RequestContext,
    private readonly logger: Logger,
    readonly toolName: string,
    private readonly interaction: Interaction,
    readResource: ToolContext['readResource'] | undefined
  ) {
    this.requestId = ctx.id;
    this.clientCapabilities = ctx.clientCapabilities;
    this.state = interaction.state;
    if (interaction.hold) this.holdRound = () => interaction.hold!();
    if (ctx.principal) this.principal = ctx.principal;
    if (ctx.trace) this.trace = ctx.trace;
    if (ctx.requestHeader) this.requestHeader = ctx.requestHeader;
    if (readResource) this.readResource = readResource;
  }

  private cancelled(): Cancellation | AbortSignal {
    const ended = this.interaction.ended;
    return (this.cancellation ??= ended ? Cancellation.any([this.ctx.cancellation, ended]) : this.ctx.cancellation);
  }

  get signal(): AbortSignal {
    return signalOf(this.cancelled());
  }

  onCancel(listener: () => void): () => void {
    return onAbort(this.cancelled(), listener);
  }

  private ask(method: InputRequest['method'], params: Record<string, unknown>, key: string | undefined): Promise<Record<string, unknown>> {
    return this.interaction.ask(key ?? `${method.split('/')[0]}-${++this.asked}`, { method, params }) as Promise<Record<string, unknown>>;
  }

  elicit(params: Record<string, unknown>, key?: string): Promise<Record<string, unknown>> {
    return this.ask('elicitation/create', params, key);
  }

  sample(params: Record<string, unknown>, key?: string): Promise<Record<string, unknown>> {
    return this.ask('sampling/createMessage', params, key);
  }

  listRoots(key?: string): Promise<Record<string, unknown>> {
    return this.ask('roots/list', {}, key);
  }

  closeStream(): void {
    this.ctx.closeStream?.();
  }

  log(level: LogLevel, message: string, data?: unknown): void {
    const ctx = this.ctx;
    this.logger.debug(`[${this.toolName}] ${level}: ${message}`);
    if (ctx.cancellation.aborted) return;
    const wanted = ctx.era === 'legacy' ? (ctx.legacy?.logLevel ?? 'debug') : ctx.logLevel;
    if (wanted === undefined || severity(level) < severity(wanted)) return;
    ctx.notify('notifications/message', { level, logger: this.toolName, data: data === undefined ? message : { message, data } });
  }

  progress(progress: number, total?: number, message?: string): void {
    const ctx = this.ctx;
    const token = (ctx.params._meta as Record<string, unknown> | undefined)?.progressToken;
    if ((typeof token !== 'string' && typeof token !== 'number') || ctx.cancellation.aborted || progress <= this.lastProgress) return;
    this.lastProgress = progress;
    ctx.notify('notifications/progress', {
      progressToken: token,
      progress,
      ...(total !== undefined ? { total } : {}),
      ...(message ? { message } : {})
    });
  }
}

export function toolContext(
  ctx: RequestContext,
  log: Logger,
  toolName: string,
  interaction: Interaction,
  readResource?: ToolContext['readResource']
): ToolContext {
  return new CallContext(ctx, log, toolName, interaction, readResource);
}

/** The same context under another tool name (a dynamic OpenAPI call runs the operation it names). */
export function renamedContext(ctx: ToolContext, toolName: string): ToolContext {
  return Object.create(ctx, { toolName: { value: toolName, enumerable: true } }) as ToolContext;
}
