/** A cached read-only tool that asks the user something: its answer depended on the reply, so it is never stored. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadArtifact } from '../../runtime/artifact/load.js';
import type { Channel, LegacyState } from '../../runtime/core/context.js';
import type { McpCore } from '../../runtime/core/server.js';
import { createLogger } from '../../runtime/log.js';
import { createCore } from '../../runtime/serve.js';
import { buildToTemp } from '../helpers/artifact.js';

const quiet = createLogger('error', () => {});
let core: McpCore;

beforeAll(async () => {
  const project = mkdtempSync(join(tmpdir(), 'mcpgen-cache-ask-'));
  mkdirSync(join(project, 'handlers'));
  writeFileSync(
    join(project, 'mcp-gen.yaml'),
    `server: { name: asking, version: "1" }
tools:
  - name: greet
    description: Asks for a name, then greets.
    handler: ./handlers/greet.ts
    annotations: { readOnlyHint: true }
    cache: { ttl: 60 }
`
  );
  writeFileSync(
    join(project, 'handlers', 'greet.ts'),
    `import type { HandlerContext } from '../.mcp-gen/types.js';
export default async (_args: Record<string, never>, ctx: HandlerContext) => {
  const answer = await ctx.elicit({ message: 'Name?', requestedSchema: { type: 'object', properties: { name: { type: 'string' } } } });
  return \`Hello \${String((answer.content ?? {}).name)}\`;
};
`
  );
  const dir = await buildToTemp(join(project, 'mcp-gen.yaml'));
  core = await createCore(await loadArtifact(dir), { log: quiet });
}, 120_000);

afterAll(async () => {
  await core?.close();
});

describe('cache: and elicitation', () => {
  it('asks again on an identical call instead of replaying the first answer', async () => {
    const greet = async (name: string) => {
      const legacy: LegacyState = { protocolVersion: '2025-11-25', clientCapabilities: { elicitation: {} }, initialized: true };
      const channel: Channel = { legacy, notify: () => {}, request: async () => ({ action: 'accept', content: { name } }) };
      const reply = await core.request(1, 'tools/call', { name: 'greet', arguments: {} }, channel, new AbortController().signal);
      return (JSON.parse(String(reply.body)) as { result: { content: { text: string }[] } }).result.content[0]!.text;
    };
    expect(await greet('Ada')).toBe('Hello Ada');
    expect(await greet('Bo')).toBe('Hello Bo');
  });
});
