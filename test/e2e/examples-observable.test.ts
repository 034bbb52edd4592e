/**
 * Every example, built and served over HTTP as a user would, answers the operator's endpoints: /healthz, /readyz
 * (its dependencies answer) and /metrics with the OpenTelemetry MCP names, outside the Host allow-list.
 */
import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { build } from '../../generators/build.js';
import { writeArtifact } from '../../generators/cli/commands/build.js';
import { formatDiagnostic } from '../../generators/diagnostics/diagnostic.js';
import { cleanupTemp, killAll, postModern, repo, startHttp, tempDir } from '../helpers/e2e-server.js';

const examples = readdirSync(join(repo, 'examples'), { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(repo, 'examples', d.name, 'mcp-gen.yaml')))
  .map((d) => d.name);

afterAll(async () => {
  await killAll();
  cleanupTemp();
});

describe('every example is observable', () => {
  it('has examples to check', () => expect(examples.length).toBeGreaterThanOrEqual(5));

  it.each(examples)('%s answers /healthz, /readyz and /metrics', async (example) => {
    // Built as `mcp-gen build` does: a SQLite example's database is made from its seed (in its gitignored data/).
    const result = await build({
      manifest: join(repo, 'examples', example, 'mcp-gen.yaml'),
      outDir: join(tempDir(), '.mcp-gen'),
      seed: true
    });
    if (result.files.size === 0) throw new Error(result.diagnostics.map(formatDiagnostic).join('\n'));
    await writeArtifact(result);
    const out = result.outDir;
    const server = await startHttp(out);
    const origin = new URL(server.url).origin;
    // A Host that is not allowed for MCP requests: probes come from kubelets and load balancers by address.
    const probe = (path: string) => fetch(`${origin}${path}`, { headers: { host: 'pod-10-0-0-7.internal:8080' } });
    expect((await probe('/healthz')).status).toBe(200);
    const ready = await probe('/readyz');
    expect(ready.status, await ready.clone().text()).toBe(200);
    const listed = await postModern(server.url, 1, 'tools/list');
    expect(listed.status).toBe(200);
    const metrics = await probe('/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await metrics.text();
    expect(text).toContain('# TYPE mcp_server_operation_duration_seconds histogram');
    expect(text).toMatch(/mcp_server_operation_duration_seconds_count\{[^}]*mcp_method_name="tools\/list"[^}]*network_transport="tcp"/);
    expect(text).toContain('process_cpu_seconds_total');
  });
});
