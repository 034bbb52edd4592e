import { RpcError } from '../errors.js';
import type { MethodHandler } from '../services.js';
import { permits } from '../access.js';

const MAX = 100;

/**
 * Completions for prompt arguments with `enum` or a `complete:` query, and for resource template variables whose
 * backend can list values.
 */
export const complete: MethodHandler = async (core, ctx) => {
  const ref = ctx.params.ref as { type?: string; name?: string; uri?: string } | undefined;
  const argument = ctx.params.argument as { name?: string; value?: string } | undefined;
  if (!ref || !argument || typeof argument.name !== 'string')
    throw new RpcError('invalidParams', 'completion/complete needs ref and argument.name');
  const prefix = typeof argument.value === 'string' ? argument.value : '';
  let values: string[] = [];
  if (ref.type === 'ref/prompt') {
    const found = core.catalog.prompts.get(String(ref.name));
    // A prompt the caller may not use is, to them, a prompt that does not exist.
    const prompt = found && permits(ctx.principal, found.scopes) ? found : undefined;
    if (!prompt) throw new RpcError('invalidParams', `Unknown prompt: ${JSON.stringify(ref.name)}`);
    const declared = prompt.arguments.find((a) => a.name === argument.name);
    const query = declared?.complete ? core.catalog.promptCompleters.get(prompt.name) : undefined;
    values = query ? await query(argument.name, prefix) : [...(declared?.enum ?? [])].filter((v) => v.startsWith(prefix));
  } else if (ref.type === 'ref/resource') {
    const template = core.catalog.templates.find((t) => t.ir.uriTemplate === ref.uri && permits(ctx.principal, t.ir.scopes));
    const resource = core.catalog.resources.get(String(ref.uri));
    if (!template && !(resource && permits(ctx.principal, resource.ir.scopes)))
      throw new RpcError('invalidParams', `Unknown resource template: ${JSON.stringify(ref.uri)}`);
    if (template?.complete) values = await template.complete(argument.name, prefix);
  } else {
    throw new RpcError('invalidParams', `unknown ref type ${JSON.stringify(ref.type)}`);
  }
  return { value: { completion: { values: values.slice(0, MAX), total: values.length, hasMore: values.length > MAX } } };
};
