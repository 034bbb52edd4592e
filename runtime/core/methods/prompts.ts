import { toContentBlock } from '../../artifact/content.js';
import { RpcError } from '../errors.js';
import { runInteractive } from '../interaction.js';
import { unknownPrompt } from '../unknown.js';
import { permits, refusal, visibleNames } from '../access.js';
import type { ContentBlockIR, PromptMessageIR } from '../../artifact/ir.js';
import type { MethodHandler } from '../services.js';
import { toolContext } from '../tool-context.js';

export const getPrompt: MethodHandler = async (core, ctx) => {
  const name = ctx.params.name;
  const prompt = typeof name === 'string' ? core.catalog.prompts.get(name) : undefined;
  const unknown = () =>
    unknownPrompt(
      name,
      visibleNames(ctx.principal, core.catalog.prompts.values(), (p) => p.name)
    );
  if (!prompt) throw unknown();
  const given = (ctx.params.arguments ?? {}) as Record<string, unknown>;
  const scopes = { ...(prompt.scopes ? { scopes: prompt.scopes } : {}), unknown };
  // Refused before argument checks and questions to the user (through the pipeline, so it is audited).
  if (!permits(ctx.principal, prompt.scopes))
    return core.pipeline({ type: 'prompt', target: prompt.name, arguments: given, request: ctx, ...scopes }, () =>
      Promise.reject(refusal(ctx, `prompt ${prompt.name}`, prompt.scopes!, unknown))
    );
  if (typeof given !== 'object' || Array.isArray(given))
    throw new RpcError('invalidParams', 'prompts/get arguments must be an object of strings');
  const problems: string[] = [];
  for (const a of prompt.arguments) {
    const v = given[a.name];
    if (v === undefined || v === null || v === '') {
      if (a.required) problems.push(`missing required argument "${a.name}"`);
    } else if (typeof v !== 'string') problems.push(`argument "${a.name}" must be a string`);
    else if (a.enum && !a.enum.includes(v)) problems.push(`argument "${a.name}" must be one of ${a.enum.join(', ')}`);
  }
  if (problems.length > 0) throw new RpcError('invalidParams', `Invalid arguments for prompt ${prompt.name}: ${problems.join('; ')}`);
  const outcome = await runInteractive(ctx, core.requestState, `prompt:${prompt.name}`, async (interaction) => {
    const data: Record<string, unknown> = { ...given };
    for (const q of prompt.elicit ?? []) {
      const answer = (await interaction.ask(q.key, {
        method: 'elicitation/create',
        params: { message: q.message, requestedSchema: q.requestedSchema }
      })) as { action?: string; content?: unknown };
      if (answer.action !== 'accept')
        throw new RpcError(
          'invalidParams',
          `The user did not answer "${q.message}" (${String(answer.action)}); the prompt was not rendered`
        );
      data[q.key] = answer.content ?? {};
    }
    const served = core.catalog.promptGetters.get(prompt.name);
    // A prompt a kind serves (an upstream MCP server's) answers itself, with its own description.
    if (served) {
      const context = toolContext(ctx, core.log, prompt.name, interaction);
      return core.pipeline({ type: 'prompt', target: prompt.name, arguments: given, request: ctx, ...scopes }, () =>
        served(given as Record<string, string>, context)
      );
    }
    return core.pipeline({ type: 'prompt', target: prompt.name, arguments: given, request: ctx, ...scopes }, async () =>
      prompt.messages.map((m) =>
        'template' in m
          ? { role: m.role, content: { type: 'text', text: core.catalog.render(m.template, data) } }
          : {
              role: m.role,
              content: toContentBlock(m.uriTemplate || m.textTemplate ? renderContent(m, data, core.catalog.render) : m.content)
            }
      )
    );
  });
  if ('inputRequired' in outcome) return { value: outcome.inputRequired };
  if (!Array.isArray(outcome.done)) return { value: { ...outcome.done } };
  const messages = outcome.done;
  const description = prompt.descriptor.description;
  return { value: { ...(description ? { description } : {}), messages } };
};

type ContentMessage = Extract<PromptMessageIR, { content: unknown }>;

/** An embedded resource whose uri or text use the prompt's arguments. */
function renderContent(m: ContentMessage, args: Record<string, unknown>, render: (t: string, d: unknown) => string): ContentBlockIR {
  return {
    ...m.content,
    ...(m.uriTemplate ? { uri: render(m.uriTemplate, args) } : {}),
    ...(m.textTemplate ? { text: render(m.textTemplate, args) } : {})
  };
}
