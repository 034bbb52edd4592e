import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, describe, expect, it } from 'vitest';
import { build, type BuildResult } from '../../generators/build.js';
import { joined } from '../helpers/pattern.js';
import { listTokens } from '../../generators/lower/tokens.js';

/**
 * GitHub's own description of its REST API (@octokit/openapi): about 1,200 operations in a 13 MB document, the
 * scale the OpenAPI kind has to handle. ghec.json has three `$ref`s to files that are not shipped (inside an
 * example of one operation's response): that operation alone is skipped.
 */
const generated = (name: string) => createRequire(import.meta.url).resolve(`@octokit/openapi/generated/${name}`);
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const NAME = /^[A-Za-z0-9_.-]{1,64}$/;
const tmp = mkdtempSync(join(tmpdir(), 'mcpgen-github-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function buildSpec(file: string, extra = ''): Promise<BuildResult> {
  const manifest = join(tmp, `${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(
    manifest,
    `server: { name: github, version: "1" }\nsources:\n  gh: { openapi: ${JSON.stringify(file)}, ` +
      `baseUrl: "https://api.github.com"${extra} }\n`
  );
  return build({ manifest, outDir: join(tmp, 'out'), env: {} });
}

/** Operations the build should turn into tools: every one that is not deprecated. */
function operations(file: string): { id: string; deprecated: boolean }[] {
  const doc = JSON.parse(readFileSync(file, 'utf8')) as {
    paths: Record<string, Record<string, { operationId: string; deprecated?: boolean }>>;
  };
  return Object.values(doc.paths).flatMap((item) =>
    METHODS.filter((m) => item[m]).map((m) => ({ id: item[m]!.operationId, deprecated: item[m]!.deprecated === true }))
  );
}

function checkTools(result: BuildResult): string[] {
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const tools = result.artifact!.tools;
  const names = tools.map((t) => t.name);
  expect(new Set(names).size).toBe(names.length);
  expect(names.filter((n) => !NAME.test(n))).toEqual([]);
  const ajv = new Ajv2020({ strict: false, logger: false });
  for (const tool of tools) {
    const input = (tool.descriptor as { inputSchema: Record<string, unknown> }).inputSchema;
    expect(input.type, tool.name).toBe('object');
    expect(() => ajv.compile(input), tool.name).not.toThrow();
  }
  const skipped = result.diagnostics.filter((d) => d.code === 'MCPGEN_OPENAPI_OPERATION');
  // A warning names the operation it skips (operationId and route).
  for (const d of skipped) expect(d.message).toMatch(/^operation \S+ \((GET|PUT|POST|DELETE|OPTIONS|HEAD|PATCH|TRACE) \/\S*\) skipped: /);
  return skipped.map((d) => d.message);
}

describe('GitHub REST API (@octokit/openapi)', { timeout: 180_000 }, () => {
  it('api.github.com.json: every usable operation becomes a valid tool', async () => {
    const file = generated('api.github.com.json');
    const started = performance.now();
    const result = await buildSpec(file, ', mode: tools');
    const seconds = (performance.now() - started) / 1000;
    const skipped = checkTools(result);
    const ops = operations(file);
    const usable = ops.filter((o) => !o.deprecated);
    console.log(
      `api.github.com.json: ${ops.length} operations, ${usable.length} not deprecated, ` +
        `${result.artifact!.tools.length} tools, ${skipped.length} skipped, built in ` +
        `${seconds.toFixed(1)} s`
    );
    expect(result.artifact!.tools.length + skipped.length).toBe(usable.length);
    expect(skipped).toEqual([]);
    expect(result.artifact!.tools.length).toBeGreaterThan(1000);
  });

  it('api.github.com.json with no options (mode: auto): a list within 50 k tokens, every operation still callable', async () => {
    const file = generated('api.github.com.json');
    const result = await buildSpec(file);
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const tools = result.artifact!.tools;
    console.log(`api.github.com.json, mode auto: ${tools.length} tools, about ${listTokens(tools)} tokens`);
    expect(listTokens(tools)).toBeLessThanOrEqual(50_000);
    expect(tools.map((t) => t.name)).toEqual(['gh_search_operations', 'gh_describe_operation', 'gh_call_operation']);
    const catalogue = (result.artifact!.sources.gh as { operations?: { name: string }[] }).operations ?? [];
    expect(catalogue).toHaveLength(operations(file).filter((o) => !o.deprecated).length);
    expect(result.diagnostics.filter((d) => d.code === 'MCPGEN_AUTO_MODE').map((d) => d.message)).toEqual([
      expect.stringMatching(/^source "gh" \(mode: auto\) is served as 3 tools .* instead of its \d+: those would be about [\d,]+ tokens/)
    ]);
  });

  it('ghec.json: the operation whose example points at missing files is skipped and named; the rest build', async () => {
    const file = generated('ghec.json');
    const result = await buildSpec(file, ', outputSchema: false, mode: tools');
    const skipped = checkTools(result);
    const usable = operations(file).filter((o) => !o.deprecated);
    console.log(`ghec.json: ${usable.length} usable operations, ${result.artifact!.tools.length} tools, skipped: ${skipped.join(' | ')}`);
    expect(skipped).toHaveLength(1);
    expect(skipped[0]).toMatch(
      joined(
        /^operation enterprise-admin\/get-server-statistics /,
        /\(GET \/enterprise-installation\/\{enterprise_or_org\}\/server-statistics\) /,
        /skipped: \$ref "server-statistics-\w+(-\w+)?\.yaml" cannot be resolved/
      )
    );
    expect(result.artifact!.tools.length).toBe(usable.length - 1);
  });
});
