import { textResult, type RuntimeKind, type TemplateFn, type Services } from '../kind.js';

function compiled(name: string, services: Services): TemplateFn {
  const fn = services.templates[name];
  if (!fn) throw new Error(`artifact is missing template ${name}: rebuild it`);
  return fn;
}

/** Reference kind: renders a precompiled Handlebars template with the arguments or URI variables. */
export const templateKind: RuntimeKind<'template'> = {
  tool(exec, services) {
    const render = compiled(exec.template, services);
    return (args) => textResult(render(args));
  },
  resource(exec, services, entry) {
    const render = compiled(exec.template, services);
    const mimeType = entry.mimeType ?? 'text/plain';
    return async (uri) => [{ uri, mimeType, text: render({}) }];
  },
  resourceTemplate(exec, services, entry) {
    const render = compiled(exec.template, services);
    const mimeType = entry.mimeType ?? 'text/plain';
    return async (uri, variables) => [{ uri, mimeType, text: render(variables) }];
  }
};
