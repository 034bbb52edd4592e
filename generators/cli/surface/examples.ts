import { isDeepStrictEqual } from 'node:util';
import type { ExampleIR } from '../../lower/examples.js';
import type { Target } from './target.js';

type Obj = Record<string, unknown>;

export interface ExampleOutcome {
  /** e.g. `greet example 1 (mcp-gen.yaml:14:9)`. */
  readonly label: string;
  readonly ok: boolean;
  /** Why it failed: what was expected and what came back. */
  readonly detail?: string;
}

const shown = (value: unknown) => {
  const text = typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value ?? null);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
};

/** The result's text: its text content blocks joined by a newline. */
const textOf = (result: Obj) =>
  ((result.content as Obj[] | undefined) ?? [])
    .filter((b) => b.type === 'text')
    .map((b) => String(b.text))
    .join('\n');

/** Makes each example call and compares its result with what the manifest expects. */
export async function runExamples(target: Target, examples: readonly ExampleIR[]): Promise<ExampleOutcome[]> {
  const counts = new Map<string, number>();
  const out: ExampleOutcome[] = [];
  for (const example of examples) {
    const n = counts.get(example.tool) ?? 0;
    counts.set(example.tool, n + 1);
    const label = `${example.tool} example ${n} (${example.at.file}:${example.at.line}:${example.at.col})`;
    try {
      const result = await target.request('tools/call', { name: example.tool, arguments: example.arguments });
      const problem = mismatch(example, result);
      out.push(problem === undefined ? { label, ok: true } : { label, ok: false, detail: problem });
    } catch (e) {
      out.push({ label, ok: false, detail: `the call failed: ${(e as Error).message}` });
    }
  }
  return out;
}

function mismatch(example: ExampleIR, result: Obj): string | undefined {
  const text = textOf(result);
  if ((result.isError === true) !== example.isError)
    return `expected ${example.isError ? 'a tool error' : 'a result'}, got ${result.isError === true ? 'a tool error' : 'a result'}: ${shown(text)}`;
  if ('result' in example) {
    if (typeof example.result === 'string') {
      if (text !== example.result) return `expected text ${shown(example.result)}, got ${shown(text)}`;
    } else if (!isDeepStrictEqual(result.structuredContent, example.result))
      return `expected structuredContent ${shown(example.result)}, got ${shown(result.structuredContent)}`;
  }
  if (example.matches !== undefined) {
    const subject = text !== '' ? text : JSON.stringify(result.structuredContent ?? null);
    if (!new RegExp(example.matches, 'u').test(subject)) return `expected a match of /${example.matches}/, got ${shown(subject)}`;
  }
  return undefined;
}
