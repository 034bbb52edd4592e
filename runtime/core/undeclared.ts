import { closest } from '../suggest.js';
import { obj, type Obj } from '../plain.js';

// Undeclared arguments (issue 11): refused before validation, with the names the tool does accept, so the
// model can fix a typo in one round. One Set lookup per argument sent.

const COMBINATORS = ['allOf', 'anyOf', 'oneOf', 'if', 'then', 'else', 'dependentSchemas', '$ref'] as const;

export interface DeclaredArguments {
  /** What the model may send: the schema's names (with those filled from credentials), or a pattern's. */
  accepts(name: string): boolean;
  /** The names a refusal lists: the published ones, never those filled from credentials. */
  readonly listed: readonly string[];
  readonly patterns: readonly string[];
}

/**
 * The names a tool's input schema declares at its top level, including those its combinators (allOf, oneOf, …,
 * local `$ref`s) declare: a name any branch names is declared.
 */
export function declaredArguments(schema: Obj, hidden: readonly string[] = []): DeclaredArguments {
  const names = new Set<string>();
  const patterns: string[] = [];
  const seen = new Set<unknown>();
  const visit = (node: Obj) => {
    if (seen.has(node)) return;
    seen.add(node);
    for (const name of Object.keys(obj(node.properties))) names.add(name);
    patterns.push(...Object.keys(obj(node.patternProperties)));
    for (const key of COMBINATORS) {
      const v = node[key];
      if (key === '$ref') {
        if (typeof v === 'string' && v.startsWith('#/$defs/')) visit(obj(obj(schema.$defs)[v.slice(8)]));
      } else if (Array.isArray(v)) v.forEach((b) => visit(obj(b)));
      else if (key === 'dependentSchemas') Object.values(obj(v)).forEach((b) => visit(obj(b)));
      else if (v !== undefined) visit(obj(v));
    }
  };
  visit(schema);
  const listed = [...names];
  for (const h of hidden) names.add(h);
  const regexes = patterns.map((p) => new RegExp(p, 'u'));
  return { accepts: (name) => names.has(name) || regexes.some((r) => r.test(name)), listed, patterns };
}

/** The arguments sent that the tool does not declare, in the order sent. */
export function undeclaredOf(args: Obj, declared: DeclaredArguments): string[] {
  const out: string[] = [];
  for (const name of Object.keys(args)) if (!declared.accepts(name)) out.push(name);
  return out;
}

/** At most this many undeclared arguments are named; a guess is made only for names up to GUESS_LENGTH. */
export const MAX_NAMED = 10;
const GUESS_LENGTH = 64;
const shown = (name: string) => JSON.stringify(name.length > 100 ? `${name.slice(0, 100)}…` : name);

/** One line per undeclared argument (the first few), with a likely intended name. */
export function undeclaredLines(names: readonly string[], declared: DeclaredArguments): string[] {
  const lines = names.slice(0, MAX_NAMED).map((name) => {
    const guess = name.length <= GUESS_LENGTH ? closest(name, declared.listed) : undefined;
    return `- unknown argument ${shown(name)}.${guess !== undefined ? ` Did you mean ${JSON.stringify(guess)}?` : ''}`;
  });
  if (names.length > MAX_NAMED) lines.push(`- and ${names.length - MAX_NAMED} more unknown arguments`);
  return lines;
}

/** What the tool accepts, as a refusal says it. */
export function acceptedNote(declared: DeclaredArguments): string {
  const patterns = declared.patterns.length > 0 ? ` (and names matching ${declared.patterns.join(', ')})` : '';
  if (declared.listed.length === 0 && patterns === '') return 'It takes no arguments.';
  return `It accepts these arguments: ${declared.listed.join(', ') || 'none by name'}${patterns}.`;
}
