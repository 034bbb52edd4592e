import type { Artifact, SourceRef } from '../../runtime/artifact/ir.js';
import { obj } from '../plain.js';
import { valueAt } from '../validate/pointer.js';
import type { LowerContext } from './context.js';

/** The file of the artifact directory `mcp-gen test` reads the manifest's example calls from (never the runtime). */
export const EXAMPLES_FILE = 'examples.json';

/** One `examples:` item of a tool: a call and what its result must be. */
export interface ExampleIR {
  readonly tool: string;
  readonly arguments: Readonly<Record<string, unknown>>;
  /** Text: the result's text content, joined; anything else: its structuredContent, exactly. */
  readonly result?: unknown;
  /** A regular expression the result's text (else its structuredContent as JSON) must match. */
  readonly matches?: string;
  readonly isError: boolean;
  readonly at: SourceRef;
}

/**
 * Every tool's `examples:` (its own entry, or the `operation:` override of a generated one), checked now so that
 * `mcp-gen test` never finds out: arguments against the tool's input schema, `matches` as a regular expression.
 */
export function lowerExamples(artifact: Artifact, ctx: LowerContext): ExampleIR[] {
  const out: ExampleIR[] = [];
  const seen = new Set<string>();
  for (const tool of artifact.tools) {
    if (!tool.at.pointer.startsWith('/tools/') || seen.has(tool.name)) continue;
    seen.add(tool.name);
    const list = obj(valueAt(ctx.manifest.value, tool.at.pointer)).examples;
    if (!Array.isArray(list)) continue;
    list.forEach((raw, i) => {
      const e = obj(raw);
      const pointer = `${tool.at.pointer}/examples/${i}`;
      const args = obj(e.arguments);
      // Claim-filled arguments come from a caller's credentials, which an example has none of: not checked here.
      const problems = tool.fromAuth ? [] : ctx.validators.check(tool.validator, args);
      if (problems.length > 0)
        ctx.error(
          'MCPGEN_EXAMPLE',
          `example ${i} of tool "${tool.name}" has arguments the tool refuses: ${problems.join('; ')}`,
          `${pointer}/arguments`
        );
      if (typeof e.matches === 'string' && !isRegExp(e.matches))
        ctx.error(
          'MCPGEN_EXAMPLE',
          `example ${i} of tool "${tool.name}": matches is not a regular expression: ${JSON.stringify(e.matches)}`,
          `${pointer}/matches`
        );
      out.push({
        tool: tool.name,
        arguments: args,
        ...('result' in e ? { result: e.result } : {}),
        ...(typeof e.matches === 'string' ? { matches: e.matches } : {}),
        isError: e.isError === true,
        at: ctx.sourceRef(pointer)
      });
    });
  }
  // An operation served only through its source's search/describe/call tools has no tool of its own to call.
  const served = new Set(artifact.tools.map((t) => t.at.pointer));
  const entries = obj(ctx.manifest.value).tools;
  (Array.isArray(entries) ? entries : []).forEach((entry, i) => {
    const list = obj(entry).examples;
    if (!Array.isArray(list) || list.length === 0 || served.has(`/tools/${i}`)) return;
    ctx.warn(
      'MCPGEN_EXAMPLE',
      `the examples of /tools/${i} cannot run: no tool is served from it (its operation is reached through its ` +
        "source's search/describe/call tools); set mode: tools on the source to test it as a tool",
      `/tools/${i}/examples`
    );
  });
  return out;
}

function isRegExp(source: string): boolean {
  try {
    new RegExp(source, 'u');
    return true;
  } catch {
    return false;
  }
}
