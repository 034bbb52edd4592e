import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { build, type BuildResult } from '../../build.js';
import { hasErrors } from '../../diagnostics/diagnostic.js';
import { help, parse } from '../args.js';
import { printDiagnostics } from '../output.js';
import { progressLine } from '../progress.js';

export const buildHelp = `mcp-gen build [-m FILE] [-o DIR] [--check] [--db] [--quiet]

Validates the manifest, resolves every file it references, precompiles argument validators and templates,
compiles and type-checks handlers, and writes the artifact.

  -m, --manifest FILE  manifest to build (default ./mcp-gen.yaml)
  -o, --out DIR        artifact directory (default .mcp-gen next to the manifest)
      --check          write nothing; exit 1 if the artifact on disk is missing or stale
      --db             SQL sources must be reachable: their statements are checked (MCPGEN_DB_CHECK=1 does the same)
      --strict         warnings are errors (a skipped OpenAPI operation, an unset variable, a token budget exceeded)
  -q, --quiet          print only problems: no progress line, no summary (on a terminal a build over a second
                       shows its phases on one stderr line)

SQLite databases missing on disk are created from their source's seed: SQL file.
`;

export const validateHelp = `mcp-gen validate [-m FILE]

Checks everything build checks and writes nothing. Exit code 1 on any error.

  -m, --manifest FILE  manifest to check (default ./mcp-gen.yaml)
      --strict         warnings are errors
`;

const flags = { manifest: { type: 'string', short: 'm' }, out: { type: 'string', short: 'o' } } as const;

export async function buildCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    ...flags,
    check: { type: 'boolean' },
    db: { type: 'boolean' },
    strict: { type: 'boolean' },
    quiet: { type: 'boolean', short: 'q' }
  });
  if (values.help) return help(buildHelp);
  const quiet = values.quiet === true;
  const sql = { seed: !values.check, ...(values.db ? { check: 'required' as const } : {}) };
  const progress = progressLine(process.stderr, { quiet });
  let result: BuildResult;
  try {
    result = await build({
      manifest: String(values.manifest ?? 'mcp-gen.yaml'),
      ...(values.out ? { outDir: String(values.out) } : {}),
      ...sql,
      onPhase: progress.phase
    });
  } finally {
    progress.done();
  }
  if (reported(result, values.strict === true)) return 1;
  if (values.check) return check(result);
  await writeArtifact(result);
  const rel = relative(process.cwd(), result.outDir) || '.';
  if (!quiet) process.stderr.write(`built ${summary(result)} into ${rel}/\n`);
  return 0;
}

export async function validateCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, { manifest: flags.manifest, strict: { type: 'boolean' } });
  if (values.help) return help(validateHelp);
  const result = await build({ manifest: String(values.manifest ?? 'mcp-gen.yaml') });
  if (reported(result, values.strict === true)) return 1;
  process.stderr.write(`ok: ${summary(result)}\n`);
  return 0;
}

/** Builds `manifest` into `outDir` and writes the artifact (what `run --build` does first); false when the build failed. */
export async function buildInto(manifest: string, outDir: string): Promise<boolean> {
  const result = await build({ manifest, outDir, seed: true });
  if (reported(result, false)) return false;
  await writeArtifact(result);
  process.stderr.write(`built ${summary(result)} into ${relative(process.cwd(), result.outDir) || '.'}/\n`);
  return true;
}

/** Prints the diagnostics (warnings as errors under --strict); true when the build must fail. */
function reported(result: BuildResult, strict: boolean): boolean {
  const diagnostics = strict
    ? result.diagnostics.map((d) => (d.severity === 'warning' ? { ...d, severity: 'error' as const } : d))
    : result.diagnostics;
  printDiagnostics(diagnostics);
  return hasErrors(diagnostics);
}

function summary(r: BuildResult): string {
  const a = r.artifact!;
  return (
    `${a.tools.length} tool(s), ${a.resources.length} resource(s), ${a.resourceTemplates.length} ` +
    `template(s), ${a.prompts.length} prompt(s)`
  );
}

/** Replaces the artifact directory's generated files; unrelated files are left alone. */
export async function writeArtifact(result: BuildResult): Promise<void> {
  await rm(join(result.outDir, 'handlers'), { recursive: true, force: true });
  for (const [name, content] of result.files) {
    const path = join(result.outDir, name);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, content);
  }
}

async function check(result: BuildResult): Promise<number> {
  const stale: string[] = [];
  for (const [name, content] of result.files) {
    const onDisk = await readFile(join(result.outDir, name), 'utf8').catch(() => undefined);
    if (onDisk !== content) stale.push(name);
  }
  const handlers = await readdir(join(result.outDir, 'handlers')).catch(() => [] as string[]);
  for (const h of handlers) if (!result.files.has(`handlers/${h}`)) stale.push(`handlers/${h}`);
  if (stale.length === 0) {
    process.stderr.write('artifact is up to date\n');
    return 0;
  }
  process.stderr.write(`artifact is stale: ${stale.join(', ')} differ; run mcp-gen build\n`);
  return 1;
}
