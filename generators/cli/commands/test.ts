import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { loadArtifact } from '../../../runtime/artifact/load.js';
import { EXAMPLES_FILE, type ExampleIR } from '../../lower/examples.js';
import { help, parse, UsageError } from '../args.js';
import { runExamples } from '../surface/examples.js';
import { surfaceChanges } from '../surface/diff.js';
import { readSurface, snapshotText } from '../surface/snapshot.js';
import { httpTarget, inProcessTarget } from '../surface/target.js';

export const testHelp = `mcp-gen test [-m FILE] [-o DIR] [--build] [--update] [--snapshot FILE] [--url URL [--header H]...] [--toolset NAME]

Checks what models see against a snapshot, and runs the tools' example calls (examples: in the
manifest). The snapshot (YAML, committed next to the manifest) holds every tool's name, description,
input and output schema, annotations and token size, and every resource, template and prompt. A
difference fails with a diff per entry; --update writes the snapshot as the server is now. Exit
code 0 when the snapshot matches and every example passes, 1 otherwise, 2 on a usage error.

  -m, --manifest FILE  test the build of this manifest (default ./mcp-gen.yaml)
  -o, --out DIR        artifact directory (default .mcp-gen next to the manifest)
      --build          build first, as mcp-gen build does
      --update         write the snapshot instead of comparing (examples still run)
      --snapshot FILE  the snapshot file (default mcp-gen.snapshot.yaml next to the manifest;
                       mcp-gen.NAME.snapshot.yaml with --toolset NAME)
      --url URL        ask a running server at this Streamable HTTP endpoint instead of the build
      --header H       with --url: a request header, "Name: value" (repeatable), e.g. authorization
      --toolset NAME   the surface of this toolset's endpoint (without --url)
`;

export async function testCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    manifest: { type: 'string', short: 'm' },
    out: { type: 'string', short: 'o' },
    build: { type: 'boolean' },
    update: { type: 'boolean' },
    snapshot: { type: 'string' },
    url: { type: 'string' },
    header: { type: 'string', multiple: true },
    toolset: { type: 'string' }
  });
  if (values.help) return help(testHelp);
  const manifest = String(values.manifest ?? 'mcp-gen.yaml');
  const dir = values.out !== undefined ? String(values.out) : join(dirname(manifest), '.mcp-gen');
  if (values.url !== undefined && values.toolset !== undefined)
    throw new UsageError('--toolset is for the build: with --url, give the toolset endpoint (…/mcp/NAME) as the URL');
  if (values.build) {
    const { buildInto } = await import('./build.js');
    if (!(await buildInto(manifest, dir))) return 1;
  }
  const loaded = await loadArtifact(dir);
  const toolset = values.toolset === undefined ? undefined : String(values.toolset);
  if (toolset !== undefined && !(toolset in (loaded.artifact.toolsets ?? {})))
    throw new UsageError(`--toolset ${toolset}: the build has ${Object.keys(loaded.artifact.toolsets ?? {}).join(', ') || 'no toolsets'}`);
  const target =
    values.url !== undefined ? httpTarget(String(values.url), headersOf(values.header)) : await inProcessTarget(loaded, toolset);
  try {
    const surface = await readSurface(target);
    const file = String(values.snapshot ?? join(loaded.root, toolset ? `mcp-gen.${toolset}.snapshot.yaml` : 'mcp-gen.snapshot.yaml'));
    const shown = relative(process.cwd(), file) || file;
    const text = snapshotText(
      surface,
      `${loaded.artifact.server.name} ${loaded.artifact.server.version}${toolset ? ` (toolset ${toolset})` : ''}`
    );
    let failed = false;
    if (values.update) {
      await writeFile(file, text);
      process.stdout.write(
        `wrote ${shown}: ${surface.tools.length} tool(s), ${surface.resources.length} resource(s), ${surface.resourceTemplates.length} template(s), ${surface.prompts.length} prompt(s)\n`
      );
    } else if (!existsSync(file)) {
      process.stdout.write(`no snapshot at ${shown}: run \`mcp-gen test --update\` to write one, and commit it\n`);
      failed = true;
    } else {
      const changes = surfaceChanges(await readFile(file, 'utf8'), surface);
      process.stdout.write(`snapshot ${shown}: ${changes.length === 0 ? 'ok' : `${changes.length} change(s)`}\n`);
      for (const c of changes) process.stdout.write(`  ${c.kind} ${c.entry}\n${c.lines.map((l) => `    ${l}\n`).join('')}`);
      failed = changes.length > 0;
      if (failed) process.stdout.write('  (if the change is meant: mcp-gen test --update, and commit the snapshot)\n');
    }
    const served = new Set(surface.tools.map((t) => String(t.name)));
    const examples = (await readExamples(dir)).filter((e) => served.has(e.tool));
    const outcomes = await runExamples(target, examples);
    for (const o of outcomes) process.stdout.write(`${o.ok ? 'ok  ' : 'FAIL'} ${o.label}${o.detail ? `: ${o.detail}` : ''}\n`);
    const bad = outcomes.filter((o) => !o.ok).length;
    if (outcomes.length > 0) process.stdout.write(`examples: ${outcomes.length - bad} passed, ${bad} failed\n`);
    return failed || bad > 0 ? 1 : 0;
  } finally {
    await target.close();
  }
}

/** `--header "Name: value"` flags as a header map. */
function headersOf(given: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const h of (given as string[] | undefined) ?? []) {
    const colon = h.indexOf(':');
    if (colon < 1) throw new UsageError(`--header must be "Name: value", got ${JSON.stringify(h)}`);
    out[h.slice(0, colon).trim().toLowerCase()] = h.slice(colon + 1).trim();
  }
  return out;
}

/** The build's example calls; an artifact built before examples existed has none. */
async function readExamples(dir: string): Promise<ExampleIR[]> {
  const text = await readFile(join(dir, EXAMPLES_FILE), 'utf8').catch(() => '[]');
  return JSON.parse(text) as ExampleIR[];
}
