/**
 * templates.mjs: every Handlebars template, precompiled. It imports nothing: the runtime passes in
 * Handlebars' small runtime, so the artifact works wherever mcp-gen is installed.
 */
export function emitTemplates(specs: readonly string[]): string {
  const lines = specs.map((spec, i) => `    t${i}: template(${spec})`);
  return `export default function templates(template) {\n  return {\n${lines.join(',\n')}\n  };\n}\n`;
}
