import { existsSync, statSync } from 'node:fs';
import { offsetInQuoted } from '../load/quoted.js';
import { isAbsolute, relative, resolve } from 'node:path';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { DiagnosticCode } from '../diagnostics/codes.js';
import { displayPath, type LoadedManifest } from '../load/load-manifest.js';
import type { SourceRef } from '../../runtime/artifact/ir.js';
import { compileTemplate } from './templates.js';
import { ValidatorSet } from './validators.js';

export interface HandlerJob {
  readonly tool: string;
  /** Absolute path of the handler source. */
  readonly source: string;
  /** Path of the compiled module inside the artifact directory. */
  readonly output: string;
  readonly pointer: string;
}

/** Everything a kind may use while lowering one manifest entry; collects diagnostics instead of throwing. */
export class LowerContext {
  readonly diagnostics: Diagnostic[] = [];
  readonly validators = new ValidatorSet();
  readonly templates: string[] = [];
  readonly handlers: HandlerJob[] = [];
  /** Every file the build read; `mcp-gen dev` watches these. */
  readonly inputs = new Set<string>();
  /** Paths (relative to the manifest directory) the runtime reads on every request: left out of inputs.json. */
  readonly readAtRequest = new Set<string>();

  constructor(readonly manifest: LoadedManifest) {
    this.inputs.add(manifest.path);
  }

  error(code: DiagnosticCode, message: string, pointer: string, options: { key?: boolean; hint?: string } = {}): void {
    const at = this.manifest.source.locate(pointer, { key: options.key ?? false });
    this.diagnostics.push(diagnostic(code, message, at, pointer, options.hint ? { hint: options.hint } : {}));
  }

  warn(code: DiagnosticCode, message: string, pointer: string): void {
    this.diagnostics.push(diagnostic(code, message, this.manifest.source.locate(pointer), pointer, { severity: 'warning' }));
  }

  /** What the build decided for the user, shown with the diagnostics but never failing a build (not even --strict). */
  info(code: DiagnosticCode, message: string, pointer: string): void {
    this.diagnostics.push(diagnostic(code, message, this.manifest.source.locate(pointer), pointer, { severity: 'info' }));
  }

  sourceRef(pointer: string): SourceRef {
    const { line, col } = this.manifest.source.locate(pointer);
    return { file: relative(this.manifest.dir, this.manifest.path), line, col, pointer };
  }

  /** Resolves a manifest-relative path that must exist; returns it relative to the manifest directory. */
  existingPath(path: string, pointer: string, want: 'file' | 'directory'): string | undefined {
    const absolute = isAbsolute(path) ? path : resolve(this.manifest.dir, path);
    const ok = existsSync(absolute) && (want === 'file' ? statSync(absolute).isFile() : statSync(absolute).isDirectory());
    if (!ok) {
      this.error('MCPGEN_FILE_NOT_FOUND', `${want} not found: ${path} (looked for ${displayPath(absolute)})`, pointer);
      return undefined;
    }
    this.inputs.add(absolute);
    return relative(this.manifest.dir, absolute) || '.';
  }

  absolute(relativePath: string): string {
    return resolve(this.manifest.dir, relativePath);
  }

  /** Checks and precompiles a template; returns its export name in templates.mjs. */
  template(source: string, pointer: string, declared: readonly string[], what: string): string | undefined {
    const { spec, problems } = compileTemplate(source, declared);
    for (const p of problems) {
      const where = this.positionIn(pointer, source, p.line, p.col);
      const message =
        p.kind === 'undeclared' ? `${p.message} (declared: ${declared.join(', ') || 'none'}) in ${what}` : `${p.message} in ${what}`;
      this.diagnostics.push(
        diagnostic(p.kind === 'undeclared' ? 'MCPGEN_TEMPLATE_UNDECLARED' : 'MCPGEN_TEMPLATE_SYNTAX', message, where, pointer)
      );
    }
    if (problems.length > 0) return undefined;
    const known = this.templates.indexOf(spec);
    if (known !== -1) return `t${known}`;
    this.templates.push(spec);
    return `t${this.templates.length - 1}`;
  }

  /** Exact position inside a one-line plain or quoted scalar; the scalar's start (with the offset named) otherwise. */
  positionIn(pointer: string, source: string, line: number, col: number) {
    const start = this.manifest.source.offsetOf(pointer);
    if (start === undefined) return this.manifest.source.locate(pointer);
    const text = this.manifest.text;
    const quoted = text[start] === '"' || text[start] === "'";
    // Escapes and folding make a quoted value differ from its text: map the position through them.
    if (quoted) return this.manifest.source.at(offsetInQuoted(text, start, source, line, col));
    const firstLine = text.slice(start, text.indexOf('\n', start) === -1 ? undefined : text.indexOf('\n', start));
    if (line === 1 && !source.includes('\n') && firstLine.startsWith(source.slice(0, 20))) return this.manifest.source.at(start + col - 1);
    const base = this.manifest.source.at(start);
    if (text[start] !== '|' && text[start] !== '>') return { ...base, line: base.line + line - 1 };
    // A block scalar's indentation is its first line's; deeper lines keep the rest as content.
    const blockStart = text.split('\n')[base.line] ?? '';
    const indent = blockStart.length - blockStart.trimStart().length;
    return { ...base, line: base.line + line, col: indent + col };
  }
}
