/**
 * Issue 12: a kind is its folder pair (generators/kinds/X, runtime/kinds/X) plus one line in each registry.
 * Everywhere else in generators/ and runtime/, no code names a kind: no import from a kind's folder and no
 * comparison of a value with a kind's name (`exec.kind === 'file'`, `case 'sql':`, `['file', 'sql'].includes(k)`).
 * Generic code asks the kind through a hook instead (RuntimeKind, GeneratorKind). The TypeScript parser finds
 * the sites, so kind names in messages, comments and types (`sink: 'file'`) are not flagged.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { runtimeKinds } from '../../runtime/kinds/registry.js';

const root = join(import.meta.dirname, '..', '..');
const kindNames = new Set(Object.keys(runtimeKinds));

/** The registries name every kind by design; the kind folders name their own. */
const registries = new Set(['generators/kinds/registry.ts', 'runtime/kinds/registry.ts', 'runtime/kinds/types.ts']);
const kindFolder = /^(generators|runtime)\/kinds\/[^/]+\//;

interface Allowed {
  readonly file: string;
  /** A piece of the site's description (what it compares or tests against). */
  readonly site: string;
  readonly why: string;
}

/** Sites whose string happens to equal a kind name but is not one. Keep it short. */
const allowed: readonly Allowed[] = [
  { file: 'generators/lower/context.ts', site: 'compares want with', why: "existingPath's `want: 'file' | 'directory'` is a path type" },
  { file: 'runtime/security/audit/index.ts', site: 'compares config.sink with', why: "the audit sink 'file' is a destination" },
  { file: 'generators/validate/schema-patterns.ts', site: "'encoding'", why: "OpenAPI's `content` map of media types" }
];
const isAllowed = (s: KindNameSite) => allowed.some((a) => a.file === s.file && s.what.includes(a.site));

interface KindNameSite {
  readonly file: string;
  readonly line: number;
  readonly what: string;
}

const comparisons = new Set([
  ts.SyntaxKind.EqualsEqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsEqualsToken,
  ts.SyntaxKind.EqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsToken
]);

const kindLiteral = (node: ts.Node | undefined): node is ts.StringLiteralLike =>
  node !== undefined && ts.isStringLiteralLike(node) && kindNames.has(node.text);

/** `kinds/<name>` in a module specifier, relative or not. */
const namesKindFolder = (specifier: string) => specifier.split('/').some((part, i, all) => kindNames.has(part) && all[i - 1] === 'kinds');

/** Sites in one source text where code names a kind. */
function kindNameSites(file: string, text: string): KindNameSite[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const sites: KindNameSite[] = [];
  const lineOf = (node: ts.Node) => source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
  const at = (node: ts.Node, what: string) => sites.push({ file, line: lineOf(node), what });
  const visit = (node: ts.Node): void => {
    const specifier =
      ts.isImportDeclaration(node) || ts.isExportDeclaration(node)
        ? node.moduleSpecifier
        : ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword
          ? node.arguments[0]
          : ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)
            ? node.argument.literal
            : undefined;
    if (specifier && ts.isStringLiteralLike(specifier) && namesKindFolder(specifier.text)) at(node, `imports ${specifier.text}`);
    if (ts.isBinaryExpression(node) && comparisons.has(node.operatorToken.kind)) {
      const [literal, other] = kindLiteral(node.right) ? [node.right, node.left] : kindLiteral(node.left) ? [node.left, node.right] : [];
      if (literal) at(node, `compares ${other?.getText(source)} with '${literal.text}'`);
    }
    if (ts.isCaseClause(node) && kindLiteral(node.expression)) at(node, `case '${node.expression.text}'`);
    if (ts.isArrayLiteralExpression(node) && node.elements.some((e) => kindLiteral(e))) {
      const parent = node.parent;
      const tested = ts.isPropertyAccessExpression(parent) && ['includes', 'indexOf', 'has'].includes(parent.name.text);
      const set = ts.isNewExpression(parent) && parent.expression.getText(source) === 'Set';
      if (tested || set) at(node, `tests against ${node.getText(source)}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return sites;
}

function genericFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.d.ts'))
    .map((e) => relative(root, join(e.parentPath, e.name)).split('\\').join('/'))
    .filter((f) => !kindFolder.test(f) && !registries.has(f));
}

describe('generic code names no kind', () => {
  it('finds the kind names in the registry', () => {
    expect([...kindNames]).toEqual(expect.arrayContaining(['file', 'sql', 'openapi']));
  });

  it.each([
    { given: "const changes = (kind: string) => kind === 'file' || kind === 'sql';", want: 2 },
    { given: "if (direct.ir.exec.kind !== 'file') return;", want: 1 },
    { given: "switch (exec.kind) { case 'openapi': break; }", want: 1 },
    { given: "const live = ['file', 'sql'].includes(kind);", want: 1 },
    { given: "import { inside } from '../../kinds/file/index.js';", want: 1 },
    { given: "export type { SqlExec } from '../kinds/sql/ir.js';", want: 1 },
    { given: "const m = await import('../kinds/openapi/index.js');", want: 1 },
    { given: "if (block.type === 'text') return; const sink = { sink: 'file' as const };", want: 0 },
    { given: "throw new Error('the handler module has no default export');", want: 0 },
    { given: "import { runtimeKinds } from '../kinds/registry.js';", want: 0 }
  ])('$given: $want site(s)', ({ given, want }) => {
    expect(kindNameSites('runtime/core/example.ts', given)).toHaveLength(want);
  });

  it('generators/ and runtime/ outside the kind folders and registries', () => {
    const files = [...genericFiles('generators'), ...genericFiles('runtime')];
    expect(files).toContain('runtime/core/methods/resources.ts');
    const sites = files.flatMap((f) => kindNameSites(f, readFileSync(join(root, f), 'utf8')));
    expect(sites.filter((s) => !isAllowed(s)).map((s) => `${s.file}:${s.line}: ${s.what}`)).toEqual([]);
    const unused = allowed.filter((a) => !sites.some((s) => a.file === s.file && s.what.includes(a.site)));
    expect(unused, 'allow-list entries that match nothing any more: remove them').toEqual([]);
  });
});
