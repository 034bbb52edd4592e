import { RpcError } from '../errors.js';
import type { MethodHandler } from '../services.js';
import type { Call } from '../pipeline.js';
import type { ToolResult } from '../../kinds/kind.js';
import { textResult } from '../../kinds/kind.js';
import type { CompiledValidator } from '../../artifact/ir.js';
import { toolContext } from '../tool-context.js';
import { unknownTool } from '../unknown.js';
import { isRpcError } from '../errors.js';
import { runInteractive, type Interaction } from '../interaction.js';
import type { PreparedTool } from '../catalog.js';
import { resolveRead } from './resources.js';
import { viewOf } from '../toolsets.js';
import { invalidArguments, parsedJson } from '../arguments.js';
import { noteCache, noteOutcome } from '../outcome.js';
import { redact } from '../../redact.js';
import { firstPart, nextPart, type ContinuedTool } from '../continuation.js';
import { injectClaims, permits, refusal, visibleNames } from '../access.js';

export const callTool: MethodHandler = async (core, ctx) => {
  const name = ctx.params.name;
  const tool = typeof name === 'string' ? viewOf(core.views, ctx).tools.get(name) : undefined;
  if (!tool) throw unknownToolOf(core, ctx, name);
  const raw = ctx.params.arguments ?? {};
  // Only a tool with scopes can be refused, with the answer an unknown name gets: a closure per call otherwise.
  const unknown = tool.ir.scopes ? () => unknownToolOf(core, ctx, name) : undefined;
  const call: Call = {
    type: 'tool',
    target: tool.ir.name,
    arguments: raw as Record<string, unknown>,
    request: ctx,
    scopes: tool.ir.scopes,
    unknown
  };
  // A caller without the scope learns nothing about the arguments: refused before validation (through the pipeline, so it is audited).
  if (!permits(ctx.principal, tool.ir.scopes))
    return core.pipeline(call, () => Promise.reject(refusal(ctx, `tool ${tool.ir.name}`, tool.ir.scopes!, unknown!)));
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new RpcError('invalidParams', 'tools/call arguments must be an object');
  const args = raw as Record<string, unknown>;
  // A split result's next part: the kept result is read, the tool does not run again (its other arguments are ignored).
  const continued = continuedOf(tool);
  const cursor = continued ? args[continued.continuation.argument] : undefined;
  if (continued && typeof cursor === 'string' && cursor !== '')
    return { value: toValue(await core.pipeline(call, () => nextPart(core.cache, continued, ctx.principal, cursor))) };
  // Models often send an optional argument empty or null: the first call, then.
  if (cursor === '' || cursor === null) delete args[continued!.continuation.argument];
  for (const name of tool.jsonArguments) args[name] = parsedJson(args[name]);
  if (ctx.header && tool.ir.paramHeaders) checkParamHeaders(tool.ir.paramHeaders, args, ctx.header);
  const unfilled = tool.ir.fromAuth && injectClaims(tool.ir.name, args, tool.ir.fromAuth, ctx.principal);
  if (unfilled) return { value: toValue(textResult(unfilled, true)) };
  // validate
  const invalid = invalidArguments(tool.ir.name, args, tool.validate, tool.declared);
  if (invalid !== undefined) {
    noteOutcome(ctx, 'invalid');
    return { value: toValue(textResult(invalid, true)) };
  }
  // `fields` (select: with fields: true) chooses what the projection keeps: it is not the tool's own argument.
  const fields = tool.ir.select?.fields ? args.fields : undefined;
  if (tool.ir.select?.fields) delete args.fields;
  // authorize → execute (middleware) → shape
  const outcome = await runInteractive(ctx, core.requestState, tool.target, (interaction) =>
    core.pipeline(call, async () => {
      if (tool.ir.confirm !== undefined) {
        const answer = (await interaction.ask('confirm', {
          method: 'elicitation/create',
          params: { message: tool.ir.confirm, requestedSchema: { type: 'object', properties: {} } }
        })) as { action?: string };
        if (answer.action !== 'accept')
          return textResult(`The user did not confirm (${String(answer.action)}); ${tool.ir.name} did not run.`, true);
      }
      const run = (asking: Interaction) => execute(core, ctx, tool, args, asking, fields);
      if (!tool.ir.cache || !core.cache) return run(interaction);
      // After authorization, limits, validation and confirmation: a hit is refused exactly as a miss is.
      let asked = false;
      const through = await core.cache.through(
        tool.target,
        tool.ir.cache,
        ctx.principal,
        // The projection's fields make a different answer: part of the key, though not the tool's argument.
        fields === undefined ? args : { ...args, fields },
        () => run(watched(interaction, () => (asked = true))),
        // An answer that depended on the user's input, or a failure, is not anyone else's answer.
        (result) => !result.isError && !asked && interaction.ended?.aborted !== true
      );
      noteCache(ctx, { entry: tool.ir.name, hit: through.hit });
      return through.value;
    })
  );
  if (!('done' in outcome)) return { value: outcome.inputRequired };
  return { value: toValue(continued ? await firstPart(core.cache, continued, ctx.principal, outcome.done, core.log) : outcome.done) };
};

/** The tool as continuation sees it, when it has `maxResultBytes`. */
function continuedOf(tool: PreparedTool): ContinuedTool | undefined {
  const { continuation } = tool.ir;
  return continuation && { name: tool.ir.name, continuation };
}

/** The tool's work: its executor with the handler context, then `isError:` and the output check. */
async function execute(
  core: Parameters<MethodHandler>[0],
  ctx: Parameters<MethodHandler>[1],
  tool: PreparedTool,
  args: Record<string, unknown>,
  interaction: Interaction,
  fields: unknown
): Promise<ToolResult> {
  try {
    const readResource = async (uri: string) => (await resolveRead(core, uri, ctx))?.contents;
    const result = await tool.execute(args, toolContext(ctx, core.log, tool.ir.name, interaction, readResource));
    if (tool.ir.isError) return { ...result, isError: true };
    const selected = tool.project && !result.isError ? tool.project(result, fields) : result;
    return tool.validateOutput && !selected.isError ? checkOutput(tool.ir.name, tool.validateOutput, selected, core.log) : selected;
  } catch (e) {
    if (isRpcError(e)) throw e;
    // A 2026-07-28 round that ended with input_required stops its work; that is not a failure worth logging.
    if (!interaction.ended?.aborted) core.log.warn(`tool ${tool.ir.name} failed: ${(e as Error).stack ?? String(e)}`);
    return textResult(redact(`Tool ${tool.ir.name} failed: ${(e as Error)?.message ?? String(e)}`), true);
  }
}

/** The interaction, telling `onAsk` when the tool asks the client something (its answer then is not cached). */
function watched(interaction: Interaction, onAsk: () => void): Interaction {
  return {
    get state() {
      return interaction.state;
    },
    get ended() {
      return interaction.ended;
    },
    ask(key, request) {
      onAsk();
      return interaction.ask(key, request);
    },
    ...(interaction.hold ? { hold: () => interaction.hold!() } : {})
  };
}

/** The answer to an unknown tool name: the names this caller may see, with a did-you-mean. */
function unknownToolOf(core: Parameters<MethodHandler>[0], ctx: Parameters<MethodHandler>[1], name: unknown) {
  return unknownTool(
    name,
    visibleNames(
      ctx.principal,
      Array.from(viewOf(core.views, ctx).tools.values(), (t) => t.ir),
      (t) => t.name
    )
  );
}

function toValue(r: ToolResult): Record<string, unknown> {
  return r as unknown as Record<string, unknown>;
}

/** 2026-07-28 `x-mcp-header`: each mirrored argument and its Mcp-Param-* header must agree, both ways. */
function checkParamHeaders(
  list: readonly { argument: string; header: string }[],
  args: Record<string, unknown>,
  header: (n: string) => string | null | undefined
): void {
  for (const { argument, header: name } of list) {
    const value = args[argument];
    const sent = header(name);
    if (sent === null) throw new RpcError('headerMismatch', `${name} is not a valid header value (bad =?base64?…?= encoding)`);
    const expected = value === undefined || value === null ? undefined : String(value);
    if (sent !== expected) {
      throw new RpcError(
        'headerMismatch',
        expected === undefined
          ? `${name} is set but argument ${argument} is absent`
          : `${name} ${sent === undefined ? 'is missing' : 'does not match'} argument ${argument}`
      );
    }
  }
}

/** A declared outputSchema is a promise to clients: a result that breaks it is reported, not passed on. */
function checkOutput(name: string, validate: CompiledValidator, result: ToolResult, log: { warn(m: string): void }): ToolResult {
  if (result.structuredContent !== undefined && validate(result.structuredContent)) return result;
  const mismatches = () => (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`).join('; ');
  const problem =
    result.structuredContent === undefined
      ? 'returned no structured content'
      : `returned structured content that does not match its outputSchema (${mismatches()})`;
  log.warn(`tool ${name} ${problem} (for an OpenAPI source whose document under-describes responses, set outputSchema: false)`);
  const text = result.content.find((c) => c.type === 'text')?.text;
  const excerpt = typeof text === 'string' && text !== '' ? `\n\nWhat it returned: ${text.slice(0, 2000)}` : '';
  return textResult(`Tool ${name} failed: it ${problem}. This is not a problem with the arguments.${excerpt}`, true);
}
