import Handlebars from 'handlebars';

/** Helpers built into Handlebars; templates may use no others (compiled with knownHelpersOnly). */
const builtinHelpers = new Set(['if', 'unless', 'each', 'with', 'lookup', 'log']);
/** Blocks that change the context: paths inside them refer to the item, not to the arguments. */
const scopeChanging = new Set(['each', 'with']);

export interface TemplateProblem {
  readonly message: string;
  /** 1-based line and column inside the template text. */
  readonly line: number;
  readonly col: number;
  readonly kind: 'syntax' | 'undeclared';
}

export interface CompiledTemplate {
  /** Handlebars precompiled template spec (JavaScript source). */
  readonly spec: string;
  readonly problems: readonly TemplateProblem[];
}

type Node = hbs.AST.Node & Record<string, unknown>;

/** Parses, checks every root-scope variable against `declared`, and precompiles. */
export function compileTemplate(source: string, declared: readonly string[]): CompiledTemplate {
  let ast: hbs.AST.Program;
  try {
    ast = Handlebars.parse(source);
  } catch (e) {
    const text = (e as Error).message;
    const m = /line (\d+)/.exec(text);
    const col = /column (\d+)/.exec(text);
    const lines = text.split('\n');
    const message = lines.length > 1 ? `${lines[0]} ${lines.at(-1)}` : text;
    return { spec: '', problems: [{ kind: 'syntax', message, line: m ? Number(m[1]) : 1, col: col ? Number(col[1]) + 1 : 1 }] };
  }
  const problems: TemplateProblem[] = [];
  const seen = new Set<string>();
  const visit = (node: Node | undefined, rootScope: boolean): void => {
    if (!node || typeof node !== 'object') return;
    switch (node.type) {
      case 'Program':
        for (const s of (node as unknown as hbs.AST.Program).body) visit(s as Node, rootScope);
        return;
      case 'MustacheStatement':
      case 'SubExpression':
      case 'BlockStatement': {
        const n = node as unknown as hbs.AST.BlockStatement;
        const callee = n.path as hbs.AST.PathExpression;
        const isCall = node.type === 'BlockStatement' || n.params.length > 0 || (n.hash?.pairs.length ?? 0) > 0;
        if (callee.type === 'PathExpression') {
          if (isCall && !builtinHelpers.has(callee.original)) {
            problems.push({
              kind: 'syntax',
              message: `unknown helper "${callee.original}" (built-in helpers only: ${[...builtinHelpers].join(', ')})`,
              line: callee.loc.start.line,
              col: callee.loc.start.column + 1
            });
          } else if (!isCall) {
            checkPath(callee, rootScope);
          }
        }
        for (const p of n.params) visit(p as Node, rootScope);
        for (const pair of n.hash?.pairs ?? []) visit(pair.value as Node, rootScope);
        const inner = rootScope && !(node.type === 'BlockStatement' && scopeChanging.has(callee.original));
        if (n.program) visit(n.program as unknown as Node, inner);
        if (n.inverse) visit(n.inverse as unknown as Node, rootScope);
        return;
      }
      case 'PathExpression':
        checkPath(node as unknown as hbs.AST.PathExpression, rootScope);
        return;
      default:
        return;
    }
  };
  const checkPath = (p: hbs.AST.PathExpression, rootScope: boolean): void => {
    if (!rootScope || p.data || p.depth > 0) return;
    const head = p.parts[0];
    if (head === undefined) return;
    if (!declared.includes(head) && !seen.has(head)) {
      seen.add(head);
      problems.push({
        kind: 'undeclared',
        message: `template uses "${head}", which is not declared`,
        line: p.loc.start.line,
        col: p.loc.start.column + 1
      });
    }
  };
  visit(ast as unknown as Node, true);
  if (problems.length > 0) return { spec: '', problems };
  const spec = Handlebars.precompile(ast, { noEscape: true, knownHelpersOnly: true, strict: false }) as string;
  return { spec, problems };
}
