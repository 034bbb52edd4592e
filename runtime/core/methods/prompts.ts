import { toContentBlock } from '../../kinds/content/index.js';
import { RpcError } from '../errors.js';
import type { ContentBlockIR, PromptMessageIR } from '../../artifact/ir.js';
import type { MethodHandler } from '../services.js';

export const getPrompt: MethodHandler = async (core, ctx) => {
  const name = ctx.params.name;
  const prompt = typeof name === 'string' ? core.catalog.prompts.get(name) : undefined;
  if (!prompt) throw new RpcError('invalidParams', `Unknown prompt: ${JSON.stringify(name)}`);
  const given = (ctx.params.arguments ?? {}) as Record<string, unknown>;
  if (typeof given !== 'object' || Array.isArray(given)) throw new RpcError('invalidParams', 'prompts/get arguments must be an object of strings');
  const problems: string[] = [];
  for (const a of prompt.arguments) {
    const v = given[a.name];
    if (v === undefined || v === null || v === '') {
      if (a.required) problems.push(`missing required argument "${a.name}"`);
    } else if (typeof v !== 'string') problems.push(`argument "${a.name}" must be a string`);
    else if (a.enum && !a.enum.includes(v)) problems.push(`argument "${a.name}" must be one of ${a.enum.join(', ')}`);
  }
  if (problems.length > 0) throw new RpcError('invalidParams', `Invalid arguments for prompt ${prompt.name}: ${problems.join('; ')}`);
  const messages = await core.pipeline({ type: 'prompt', target: prompt.name, arguments: given, request: ctx }, async () =>
    prompt.messages.map((m) =>
      'template' in m
        ? { role: m.role, content: { type: 'text', text: core.catalog.render(m.template, given) } }
        : { role: m.role, content: toContentBlock(m.uriTemplate || m.textTemplate ? renderContent(m, given, core.catalog.render) : m.content) }
    )
  );
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
