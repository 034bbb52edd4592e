/**
 * Every regular expression written in TypeScript sources, found with the TypeScript parser (not by searching
 * text, which misses or invents them): regular-expression literals, and `new RegExp(…)` / `RegExp(…)` with a
 * string literal (checkable) or anything else (dynamic: built at run time from something).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

export interface RegexSite {
  /** Relative to the root given to `regexSites`. */
  readonly file: string;
  readonly line: number;
  readonly col: number;
  /** The pattern and its flags; undefined for a dynamic construction. */
  readonly source?: string;
  readonly flags?: string;
  /** The construction's text, for a dynamic one. */
  readonly dynamic?: string;
}

const stringValue = (node: ts.Node | undefined) =>
  node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) ? node.text : undefined;

/** The sites in one file's text. */
export function regexSitesIn(file: string, text: string): RegexSite[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const out: RegexSite[] = [];
  const at = (node: ts.Node) => {
    const { line, character } = sf.getLineAndCharacterOfPosition(node.getStart(sf));
    return { file, line: line + 1, col: character + 1 };
  };
  const visit = (node: ts.Node): void => {
    if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) {
      const literal = (node as ts.RegularExpressionLiteral).text;
      const end = literal.lastIndexOf('/');
      out.push({ ...at(node), source: literal.slice(1, end), flags: literal.slice(end + 1) });
    } else if (
      (ts.isNewExpression(node) || ts.isCallExpression(node)) &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === 'RegExp'
    ) {
      const [pattern, flags] = node.arguments ?? [];
      const source = stringValue(pattern);
      const flagText = flags === undefined ? '' : stringValue(flags);
      if (source !== undefined && flagText !== undefined) out.push({ ...at(node), source, flags: flagText });
      else out.push({ ...at(node), dynamic: node.getText(sf) });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

/** The sites in every `.ts` file (declarations excepted) under `dirs` of `root`. */
export function regexSites(root: string, dirs: readonly string[]): RegexSite[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) files.push(path);
    }
  };
  for (const d of dirs) walk(join(root, d));
  return files.sort().flatMap((f) => regexSitesIn(relative(root, f).replace(/\\/g, '/'), readFileSync(f, 'utf8')));
}
