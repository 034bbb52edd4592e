import { build, type Message } from 'esbuild';
import { relative, resolve } from 'node:path';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { displayPath } from '../load/load-manifest.js';
import type { HandlerJob, LowerContext } from '../lower/context.js';
import { TYPES_FILE } from '../../runtime/artifact/ir.js';

/** Compiles each handler to one ESM file (npm packages stay external, resolved from the project at run time). */
export async function compileHandlers(ctx: LowerContext): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const job of ctx.handlers) {
    try {
      const result = await build({
        entryPoints: [job.source],
        bundle: true,
        packages: 'external',
        write: false,
        format: 'esm',
        platform: 'node',
        target: 'node20',
        sourcemap: 'inline',
        metafile: true,
        logLevel: 'silent'
      });
      out.set(job.output, result.outputFiles[0]!.text);
      // Local modules the handler imports: `mcp-gen dev` rebuilds when they change too.
      for (const input of Object.keys(result.metafile.inputs)) ctx.inputs.add(resolve(input));
    } catch (e) {
      const errors = (e as { errors?: Message[] }).errors ?? [];
      for (const m of errors) ctx.diagnostics.push(esbuildDiagnostic(m, job));
      if (errors.length === 0)
        ctx.error('MCPGEN_HANDLER_COMPILE', `handler for "${job.tool}" failed to compile: ${(e as Error).message}`, job.pointer);
    }
  }
  return out;
}

function esbuildDiagnostic(m: Message, job: HandlerJob): Diagnostic {
  const file = m.location ? displayPath(resolve(m.location.file)) : displayPath(job.source);
  const at = { file, line: m.location?.line ?? 1, col: (m.location?.column ?? 0) + 1 };
  return diagnostic('MCPGEN_HANDLER_COMPILE', `${m.text} (handler of tool "${job.tool}")`, at, job.pointer);
}

/**
 * Type-checks every handler against the generated types.d.ts, which exists only in memory at this point:
 * the compiler host serves it at the artifact path the handlers import it from.
 */
export async function typecheckHandlers(ctx: LowerContext, outDir: string, typesSource: string): Promise<void> {
  if (ctx.handlers.length === 0) return;
  const ts = (await import('typescript')).default;
  const typesPath = resolve(outDir, TYPES_FILE);
  // Handlers import the types from the conventional .mcp-gen/ next to the manifest; serve them there too,
  // so a build into another directory (-o) or a first build in a fresh clone type-checks the same.
  const conventional = resolve(ctx.manifest.dir, '.mcp-gen', TYPES_FILE);
  const checkPath = resolve(outDir, '__handlers_check.ts');
  const checkSource = ctx.handlers
    .map((h, i) => {
      const spec = relative(outDir, h.source)
        .replace(/\\/g, '/')
        .replace(/\.(m?)ts$/, '.$1js');
      return (
        `import h${i} from ${JSON.stringify(spec.startsWith('.') ? spec : './' + spec)};\nexport const ` +
        `c${i}: Handlers[${JSON.stringify(h.tool)}] = h${i};`
      );
    })
    .join('\n');
  const virtual = new Map([
    [typesPath, typesSource],
    [conventional, typesSource],
    [checkPath, `import type { Handlers } from './types.js';\n${checkSource}\n`]
  ]);
  const options = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    skipLibCheck: true,
    allowJs: true,
    checkJs: false,
    allowImportingTsExtensions: true
  };
  const host = ts.createCompilerHost(options);
  const base = { getSourceFile: host.getSourceFile, fileExists: host.fileExists, readFile: host.readFile };
  const baseDirectoryExists = host.directoryExists?.bind(host);
  const virtualDirs = new Set([resolve(outDir), resolve(conventional, '..')]);
  host.directoryExists = (d) => virtualDirs.has(resolve(d)) || (baseDirectoryExists ? baseDirectoryExists(d) : true);
  host.fileExists = (f) => virtual.has(resolve(f)) || base.fileExists(f);
  host.readFile = (f) => virtual.get(resolve(f)) ?? base.readFile(f);
  host.getSourceFile = (f, lang, onError, create) => {
    const text = virtual.get(resolve(f));
    return text !== undefined ? ts.createSourceFile(f, text, lang) : base.getSourceFile(f, lang, onError, create);
  };
  const program = ts.createProgram([checkPath, ...ctx.handlers.map((h) => h.source)], options, host);
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const message = ts.flattenDiagnosticMessageText(d.messageText, '\n').split('\n').slice(0, 3).join(' ');
    const file = d.file ? resolve(d.file.fileName) : undefined;
    if (file === checkPath && d.file && d.start !== undefined) {
      const line = d.file.getLineAndCharacterOfPosition(d.start).line;
      const job = ctx.handlers[Math.floor((line - 1) / 2)] ?? ctx.handlers[0]!;
      ctx.error('MCPGEN_HANDLER_TYPE', `handler of tool "${job.tool}" does not match Handlers["${job.tool}"]: ${message}`, job.pointer);
    } else if (d.file && d.start !== undefined && file) {
      const pos = d.file.getLineAndCharacterOfPosition(d.start);
      const job = ctx.handlers.find((h) => h.source === file) ?? ctx.handlers[0]!;
      ctx.diagnostics.push(
        diagnostic(
          'MCPGEN_HANDLER_TYPE',
          `${message} (handler of tool "${job.tool}")`,
          { file: displayPath(file), line: pos.line + 1, col: pos.character + 1 },
          job.pointer
        )
      );
    } else {
      ctx.error('MCPGEN_HANDLER_TYPE', message, ctx.handlers[0]!.pointer);
    }
  }
}
