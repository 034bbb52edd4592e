import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { build } from '../../generators/build.js';
import { diagnosticCodes } from '../../generators/diagnostics/codes.js';
import { formatDiagnostic } from '../../generators/diagnostics/diagnostic.js';
import { rpcErrors } from '../../runtime/core/errors.js';

/**
 * docs/errors.md documents every diagnostic code (as `### MCPGEN_...` sections) and every runtime JSON-RPC
 * error. Each code's section carries the summary and hint from generators/diagnostics/codes.ts and an
 * example: the files in code blocks tagged `file=NAME` are written to an empty folder, `mcp-gen.yaml` in it
 * is validated, and the output must equal the section's ```text block, exactly as
 * `mcp-gen validate` prints it there. After a deliberate change of messages, refresh the printed output with
 *   UPDATE_DOCS=1 npx vitest run test/docs/errors-doc.test.ts
 * (it rewrites only the ```text blocks; review the diff).
 */
const root = join(import.meta.dirname, '..', '..');
const docPath = join(root, 'docs', 'errors.md');
const update = process.env.UPDATE_DOCS === '1';
const REGENERATE = 'UPDATE_DOCS=1 npx vitest run test/docs/errors-doc.test.ts';

let doc = readFileSync(docPath, 'utf8');
const scratch = mkdtempSync(join(tmpdir(), 'mcp-gen-errors-doc-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Section {
  readonly code: string;
  readonly body: string;
}

/** `### MCPGEN_X` sections, each up to the next heading of level 1-3. */
function codeSections(text: string): Section[] {
  const out: Section[] = [];
  const heading = /^(#{1,3}) (.*)$/gm;
  const marks = [...text.matchAll(heading)].map((m) => ({ title: m[2]!.trim(), start: m.index!, bodyStart: m.index! + m[0].length }));
  marks.forEach((m, i) => {
    const code = /^(MCPGEN_[A-Z_]+)$/.exec(m.title)?.[1];
    if (code) out.push({ code, body: text.slice(m.bodyStart, marks[i + 1]?.start ?? text.length) });
  });
  return out;
}

const fence = /```(\w+)(?:[ \t]+file=(\S+))?\n([\s\S]*?)```/g;

/** Runs one section's example as `mcp-gen validate` would in a folder holding just its files. */
async function runExample(section: Section): Promise<{ output: string; codes: string[] } | undefined> {
  const blocks = [...section.body.matchAll(fence)];
  if (!blocks.some((b) => b[1] === 'text')) return undefined;
  const dir = join(scratch, section.code);
  mkdirSync(dir, { recursive: true });
  for (const b of blocks) {
    if (!b[2]) continue;
    mkdirSync(dirname(join(dir, b[2])), { recursive: true });
    writeFileSync(join(dir, b[2]), b[3]!);
  }
  // A clean environment: `${VAR}` examples must not depend on the machine running the test.
  const result = await build({ manifest: join(dir, 'mcp-gen.yaml'), env: { PATH: process.env.PATH } });
  const lines = result.diagnostics.map((d) => formatDiagnostic(d).split(`${dir}/`).join(''));
  const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = result.diagnostics.filter((d) => d.severity === 'warning').length;
  // As generators/cli/output.ts prints them: no count line when there are only info messages.
  const counts = errors + warnings > 0 ? `${errors} error(s), ${warnings} warning(s)\n` : '';
  const output = `${lines.join('\n')}\n${counts}`;
  return { output, codes: result.diagnostics.map((d) => d.code) };
}

function expectedOutput(section: Section): string | undefined {
  return [...section.body.matchAll(fence)].find((b) => b[1] === 'text')?.[3];
}

describe('docs/errors.md', () => {
  const sections = codeSections(doc);

  it('has one `### MCPGEN_...` section per diagnostic code, no more, no fewer', () => {
    const documented = sections.map((s) => s.code);
    expect(documented.length, 'a code is documented twice').toBe(new Set(documented).size);
    expect([...documented].sort(), 'docs/errors.md and generators/diagnostics/codes.ts list different codes').toEqual(
      Object.keys(diagnosticCodes).sort()
    );
  });

  for (const [code, { summary, hint }] of Object.entries(diagnosticCodes)) {
    it(`${code}: summary, hint and a verified example`, async () => {
      const section = sections.find((s) => s.code === code);
      expect(section, `docs/errors.md has no "### ${code}" section`).toBeDefined();
      expect(section!.body, `the ${code} section must quote its summary from codes.ts`).toContain(summary);
      expect(section!.body, `the ${code} section must quote its hint from codes.ts`).toContain(hint);
      const ran = await runExample(section!);
      expect(
        ran,
        `the ${code} section needs an example: a \`\`\`yaml file=mcp-gen.yaml block and the \`\`\`text block it prints`
      ).toBeDefined();
      expect(ran!.codes, `the ${code} example must trigger ${code}`).toContain(code);
      const expected = expectedOutput(section!)!;
      if (update && expected !== ran!.output) {
        doc = doc.replace('```text\n' + expected + '```', '```text\n' + ran!.output + '```');
        writeFileSync(docPath, doc);
        return;
      }
      expect(
        ran!.output,
        `the printed output of the ${code} example changed; after reviewing, refresh docs/errors.md with: ${REGENERATE}`
      ).toBe(expected);
    }, 120_000); // handler examples compile and type-check: slow on a busy machine
  }

  it('lists every runtime JSON-RPC error code with its name and HTTP status', () => {
    const start = doc.indexOf('## Runtime errors');
    expect(start, 'docs/errors.md needs a "## Runtime errors" section').toBeGreaterThan(-1);
    const runtime = doc.slice(start);
    for (const [name, { code, status }] of Object.entries(rpcErrors)) {
      const row = runtime.split('\n').find((l) => l.startsWith(`| ${code} |`));
      expect(row, `the runtime errors table has no row for ${code} (${name}, runtime/core/errors.ts)`).toBeDefined();
      expect(row, `the row for ${code} must name \`${name}\``).toContain(`\`${name}\``);
      expect(row, `the row for ${code} must give HTTP status ${status}`).toContain(String(status));
    }
    const documented = [...runtime.matchAll(/^\| (-\d+) \|/gm)].map((m) => Number(m[1]));
    expect(
      documented.filter((c) => !Object.values(rpcErrors).some((e) => e.code === c)),
      'codes documented that the runtime does not send'
    ).toEqual([]);
  });
});
