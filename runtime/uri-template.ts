import type { UriVariable } from './artifact/ir.js';

export interface ParsedUriTemplate {
  readonly variables: UriVariable[];
  /** Anchored regular expression source; one group per variable. */
  readonly pattern: string;
  /** Literal text and variables, in order (what uriMatcher matches with). */
  readonly parts: (string | UriVariable)[];
}

/**
 * The RFC 6570 subset resource templates need for matching: `{var}` (one path segment) and `{+var}`
 * (reserved expansion, may contain `/`). Returns an error message for anything else.
 */
export function parseUriTemplate(template: string): ParsedUriTemplate | { error: string } {
  const variables: UriVariable[] = [];
  const parts: (string | UriVariable)[] = [];
  let pattern = '^';
  let rest = template;
  while (rest.length > 0) {
    const open = rest.indexOf('{');
    const literal = open === -1 ? rest : rest.slice(0, open);
    if (literal.includes('}')) return { error: 'unbalanced "}"' };
    pattern += literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    if (literal !== '') parts.push(literal);
    if (open === -1) break;
    const close = rest.indexOf('}', open);
    if (close === -1) return { error: 'unclosed "{"' };
    const expr = rest.slice(open + 1, close);
    const multiSegment = expr.startsWith('+');
    const name = multiSegment ? expr.slice(1) : expr;
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      return { error: `unsupported expression "{${expr}}": use {name} or {+name}` };
    }
    if (variables.some((v) => v.name === name)) return { error: `variable "${name}" appears twice` };
    variables.push({ name, multiSegment });
    parts.push(variables[variables.length - 1]!);
    pattern += multiSegment ? '(.+)' : '([^/?#]+)';
    rest = rest.slice(close + 1);
  }
  return { variables, pattern: pattern + '$', parts };
}

/** A matcher for concrete URIs: a RegExp, or uriMatcher's linear equivalent. */
export interface UriMatcher {
  exec(uri: string): ArrayLike<string | undefined> | null;
}

export function matchUriTemplate(regex: UriMatcher, variables: readonly UriVariable[], uri: string): Record<string, string> | undefined {
  const m = regex.exec(uri);
  if (!m) return undefined;
  const out: Record<string, string> = {};
  for (let i = 0; i < variables.length; i++) {
    const raw = m[i + 1]!;
    try {
      out[variables[i]!.name] = decodeURIComponent(raw);
    } catch {
      return undefined;
    }
  }
  return out;
}
