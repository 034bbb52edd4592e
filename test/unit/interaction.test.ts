import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadArtifact } from '../../runtime/artifact/load.js';
import type { McpCore } from '../../runtime/core/server.js';
import type { Channel } from '../../runtime/core/context.js';
import { RequestStateCodec } from '../../runtime/core/request-state.js';
import { MrtrRound } from '../../runtime/core/interaction.js';
import { createLogger } from '../../runtime/log.js';
import { OutgoingRequests } from '../../runtime/transports/outgoing.js';
import { serveStdio } from '../../runtime/transports/stdio.js';
import type { LegacyState } from '../../runtime/core/context.js';
import { buildToTemp } from '../helpers/artifact.js';
import { waitFor } from '../helpers/wait.js';
import { createCore } from '../../runtime/serve.js';

const quiet = createLogger('error', () => {});
const modernMeta = (caps: Record<string, unknown> = { elicitation: {}, sampling: {}, roots: {} }) => ({
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientCapabilities': caps
});
let project: string;
let core: McpCore;

const manifest = `
server: { name: interactive, version: "1" }
tools:
  - name: purge
    description: Deletes everything.
    confirm: Really delete everything?
    template: purged
  - name: mirrored
    description: Header-mirrored argument.
    input:
      properties:
        region: { type: string, x-mcp-header: Region }
        n: { type: integer, x-mcp-header: N }
    template: "{{region}}"
resources:
  - { name: watched, uri: "w://file", file: ./watched.txt }
  - { name: pages, uriTemplate: "w://pages/{page}", directory: ./pages }
prompts:
  - name: ask
    description: Asks first.
    elicit:
      - { key: who, message: Who?, properties: { name: { type: string } }, required: [name] }
    messages:
      - { role: user, text: "Hello {{who.name}}" }
`;

beforeAll(async () => {
  project = mkdtempSync(join(tmpdir(), 'mcpgen-int-'));
  writeFileSync(join(project, 'mcp-gen.yaml'), manifest);
  writeFileSync(join(project, 'watched.txt'), 'v1');
  mkdirSync(join(project, 'pages'));
  writeFileSync(join(project, 'pages', 'a.md'), 'A');
  core = await createCore(await loadArtifact(await buildToTemp(join(project, 'mcp-gen.yaml'))), { log: quiet });
});

const signal = () => new AbortController().signal;
const parse = (body: string) => JSON.parse(body) as { result?: any; error?: { code: number; message: string } };

function legacyChannel(answer: (method: string, params: any) => unknown, notes: string[] = []): Channel {
  const legacy: LegacyState = { protocolVersion: '2025-11-25', clientCapabilities: { elicitation: {} }, initialized: true };
  return { legacy, notify: (m) => notes.push(m), request: async (method, params) => answer(method, params) };
}

describe('confirm: (declarative elicitation before a tool runs)', () => {
  it.each([
    ['accept', false, 'purged'],
    ['decline', true, 'did not confirm']
  ])('legacy client answers %s', async (action, isError, text) => {
    const r = parse(
      (
        await core.request(
          1,
          'tools/call',
          { name: 'purge' },
          legacyChannel(() => ({ action })),
          signal()
        )
      ).body
    );
    expect(r.result.isError === true).toBe(isError);
    expect(r.result.content[0].text).toContain(text);
  });

  it('modern client: input_required, then the retry runs the tool', async () => {
    const ch: Channel = { notify: () => {} };
    const first = parse((await core.request(1, 'tools/call', { name: 'purge', _meta: modernMeta() }, ch, signal())).body).result;
    expect(first).toMatchObject({
      resultType: 'input_required',
      inputRequests: { confirm: { method: 'elicitation/create', params: { message: 'Really delete everything?' } } }
    });
    const second = parse(
      (
        await core.request(
          2,
          'tools/call',
          { name: 'purge', inputResponses: { confirm: { action: 'accept' } }, requestState: first.requestState, _meta: modernMeta() },
          ch,
          signal()
        )
      ).body
    ).result;
    expect(second).toMatchObject({ resultType: 'complete', content: [{ text: 'purged' }] });
  });

  it('rejects a tampered or foreign requestState, and asks again for malformed answers', async () => {
    const ch: Channel = { notify: () => {} };
    const first = parse((await core.request(1, 'tools/call', { name: 'purge', _meta: modernMeta() }, ch, signal())).body).result;
    const tampered = first.requestState.slice(0, -2) + 'xx';
    const bad = parse(
      (await core.request(2, 'tools/call', { name: 'purge', requestState: tampered, _meta: modernMeta() }, ch, signal())).body
    );
    expect(bad.error?.code).toBe(-32602);
    const foreign = new RequestStateCodec('k').encode('tool:other', {}, {});
    expect(
      parse((await core.request(3, 'tools/call', { name: 'purge', requestState: foreign, _meta: modernMeta() }, ch, signal())).body).error
        ?.code
    ).toBe(-32602);
    const again = parse(
      (
        await core.request(
          4,
          'tools/call',
          { name: 'purge', inputResponses: { confirm: 7 }, requestState: first.requestState, _meta: modernMeta() },
          ch,
          signal()
        )
      ).body
    ).result;
    expect(again.resultType).toBe('input_required');
  });

  it('refuses to ask a client that cannot answer (-32021)', async () => {
    const r = await core.request(1, 'tools/call', { name: 'purge', _meta: modernMeta({}) }, { notify: () => {} }, signal());
    expect(parse(r.body).error).toMatchObject({ code: -32021 });
    expect(r.status).toBe(400);
  });
});

describe('RequestStateCodec', () => {
  it('expires', () => {
    const c = new RequestStateCodec('secret');
    const token = c.encode('t', {}, {}, 0);
    expect(c.decode(token, 't', 1)).toMatchObject({ target: 't' });
    expect(c.decode(token, 't', 60 * 60 * 1000)).toEqual({ error: expect.stringContaining('expired') });
    expect(c.decode(42, 't')).toEqual({ error: expect.stringContaining('string') });
    expect(new RequestStateCodec('other').decode(token, 't', 1)).toEqual({ error: expect.stringContaining('integrity') });
  });
});

describe('prompt elicit:', () => {
  it('legacy and modern render with the answer; a decline is an error', async () => {
    const legacy = parse(
      (
        await core.request(
          1,
          'prompts/get',
          { name: 'ask' },
          legacyChannel(() => ({ action: 'accept', content: { name: 'Ada' } })),
          signal()
        )
      ).body
    );
    expect(legacy.result.messages[0].content.text).toBe('Hello Ada');
    const declined = parse(
      (
        await core.request(
          1,
          'prompts/get',
          { name: 'ask' },
          legacyChannel(() => ({ action: 'cancel' })),
          signal()
        )
      ).body
    );
    expect(declined.error?.code).toBe(-32602);
    const ch: Channel = { notify: () => {} };
    const first = parse((await core.request(1, 'prompts/get', { name: 'ask', _meta: modernMeta() }, ch, signal())).body).result;
    expect(first.inputRequests.who.params.requestedSchema).toEqual({
      type: 'object',
      properties: { name: { type: 'string' } },
      required: ['name']
    });
    const done = parse(
      (
        await core.request(
          2,
          'prompts/get',
          {
            name: 'ask',
            inputResponses: { who: { action: 'accept', content: { name: 'Bo' } } },
            requestState: first.requestState,
            _meta: modernMeta()
          },
          ch,
          signal()
        )
      ).body
    ).result;
    expect(done.messages[0].content.text).toBe('Hello Bo');
  });
});

describe('x-mcp-header', () => {
  const call = (args: Record<string, unknown>, headers: Record<string, string | null>) =>
    core.request(
      1,
      'tools/call',
      { name: 'mirrored', arguments: args, _meta: modernMeta() },
      {
        notify: () => {},
        headers: { protocolVersion: '2026-07-28', method: 'tools/call', name: 'mirrored', param: (n) => headers[n] }
      },
      signal()
    );
  it.each([
    [{ region: 'eu' }, { 'mcp-param-region': 'eu' }, undefined],
    [{ region: 'eu', n: 3 }, { 'mcp-param-region': 'eu', 'mcp-param-n': '3' }, undefined],
    [{ region: 'eu' }, {}, -32020],
    [{ region: 'eu' }, { 'mcp-param-region': 'us' }, -32020],
    [{}, { 'mcp-param-region': 'eu' }, -32020],
    [{ region: 'eu' }, { 'mcp-param-region': null }, -32020]
  ])('%j with %j', async (args, headers, code) => {
    const r = parse((await call(args, headers)).body);
    expect(r.error?.code).toBe(code);
  });
});

describe('resource subscriptions', () => {
  it('2025: resources/subscribe notifies the session when the file changes, until unsubscribed', async () => {
    const pushed: string[] = [];
    const legacy: LegacyState = { protocolVersion: '2025-11-25', clientCapabilities: {}, initialized: true };
    core.openSession(legacy, (m) => pushed.push(m));
    const ch: Channel = { legacy, notify: () => {} };
    expect(parse((await core.request(1, 'resources/subscribe', { uri: 'w://file' }, ch, signal())).body).result).toEqual({});
    expect(parse((await core.request(2, 'resources/subscribe', { uri: 'w://pages/a.md' }, ch, signal())).body).result).toEqual({});
    expect(parse((await core.request(3, 'resources/subscribe', { uri: 'w://nope' }, ch, signal())).body).error?.code).toBe(-32002);
    const updated = (uri: string) =>
      pushed.some((m) => JSON.parse(m).method === 'notifications/resources/updated' && JSON.parse(m).params.uri === uri);
    writeFileSync(join(project, 'watched.txt'), 'v2');
    await waitFor(() => updated('w://file'), 10_000, 'the update of w://file');
    await core.request(4, 'resources/unsubscribe', { uri: 'w://file' }, ch, signal());
    pushed.length = 0;
    writeFileSync(join(project, 'watched.txt'), 'v3');
    // The page, still subscribed, changes after the file: its update is the sign the file's would have come.
    writeFileSync(join(project, 'pages', 'a.md'), 'A2');
    await waitFor(() => updated('w://pages/a.md'), 10_000, 'the update of w://pages/a.md');
    expect(pushed.map((m) => JSON.parse(m).params.uri)).not.toContain('w://file');
    core.endSession(legacy);
  });

  it('2026: subscriptions/listen acknowledges its filter, tags updates, ends when the stream closes', async () => {
    const notes: any[] = [];
    const controller = new AbortController();
    const pending = core.request(
      9,
      'subscriptions/listen',
      { notifications: { toolsListChanged: true, resourceSubscriptions: ['w://file', 'w://missing'] }, _meta: modernMeta() },
      { notify: (m) => notes.push(JSON.parse(m)) },
      controller.signal
    );
    await waitFor(() => notes.length > 0, 10_000, 'the acknowledgement');
    expect(notes[0]).toEqual({
      jsonrpc: '2.0',
      method: 'notifications/subscriptions/acknowledged',
      params: { notifications: { resourceSubscriptions: ['w://file'] }, _meta: { 'io.modelcontextprotocol/subscriptionId': 9 } }
    });
    writeFileSync(join(project, 'watched.txt'), 'v4');
    await waitFor(() => notes.some((n) => n.method === 'notifications/resources/updated'), 10_000, 'the update of w://file');
    expect(notes.slice(1)).toContainEqual({
      jsonrpc: '2.0',
      method: 'notifications/resources/updated',
      params: { uri: 'w://file', _meta: { 'io.modelcontextprotocol/subscriptionId': 9 } }
    });
    controller.abort();
    expect(parse((await pending).body).result._meta['io.modelcontextprotocol/subscriptionId']).toBe(9);
  });
});

describe('artifact swap (mcp-gen dev)', () => {
  it('tells listeners and sessions which lists changed', async () => {
    const dir1 = await buildToTemp(join(project, 'mcp-gen.yaml'));
    const c = await createCore(await loadArtifact(dir1), { log: quiet, listChanged: true });
    const pushed: string[] = [];
    const legacy: LegacyState = { protocolVersion: '2025-11-25', clientCapabilities: {}, initialized: true };
    c.openSession(legacy, (m) => pushed.push(JSON.parse(m).method));
    const notes: any[] = [];
    const controller = new AbortController();
    const listening = c.request(
      1,
      'subscriptions/listen',
      { notifications: { toolsListChanged: true, promptsListChanged: true }, _meta: modernMeta() },
      { notify: (m) => notes.push(JSON.parse(m)) },
      controller.signal
    );
    await waitFor(() => notes.length > 0, 10_000, 'the acknowledgement of the listen request');
    writeFileSync(
      join(project, 'two.yaml'),
      manifest.replace('tools:\n', 'tools:\n  - { name: extra, description: Extra., template: x }\n')
    );
    const dir2 = await buildToTemp(join(project, 'two.yaml'));
    expect(await c.swap(await loadArtifact(dir2, process.env, 1))).toEqual(['tools']);
    expect(pushed).toEqual(['notifications/tools/list_changed']);
    expect(notes.map((n) => n.method)).toEqual(['notifications/subscriptions/acknowledged', 'notifications/tools/list_changed']);
    const tools = parse((await c.request(2, 'tools/list', { _meta: modernMeta() }, { notify: () => {} }, signal())).body).result.tools;
    expect(tools.map((t: { name: string }) => t.name)).toContain('extra');
    c.close();
    await listening;
    c.endSession(legacy);
  });
});

describe('server-to-client requests', () => {
  it('OutgoingRequests matches responses, errors and cancellation', async () => {
    const out = new OutgoingRequests();
    const sent: any[] = [];
    const write = (m: string) => sent.push(JSON.parse(m));
    const a = out.send(write, 'roots/list', {}, signal());
    expect(out.settle({ id: sent[0].id, result: { roots: [] } })).toBe(true);
    await expect(a).resolves.toEqual({ roots: [] });
    const b = out.send(write, 'roots/list', {}, signal());
    out.settle({ id: sent[1].id, error: { code: -1, message: 'no' } });
    await expect(b).rejects.toThrow(/no/);
    const controller = new AbortController();
    const c = out.send(write, 'roots/list', {}, controller.signal);
    controller.abort();
    await expect(c).rejects.toMatchObject({ code: -32603 });
    expect(sent.at(-1).method).toBe('notifications/cancelled');
    expect(out.settle({ id: 'unknown' })).toBe(false);
    const d = out.send(write, 'roots/list', {}, signal());
    out.rejectAll('bye');
    await expect(d).rejects.toThrow('bye');
  });

  it('stdio: a 2025 tool call asks the client and continues with its answer', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    const server = serveStdio(core, input, output);
    const lines: any[] = [];
    output.on('data', (c: Buffer) => {
      for (const l of c.toString().split('\n').filter(Boolean)) {
        const m = JSON.parse(l);
        lines.push(m);
        if (m.method === 'elicitation/create')
          input.write(JSON.stringify({ jsonrpc: '2.0', id: m.id, result: { action: 'accept' } }) + '\n');
      }
    });
    input.write(
      JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2025-11-25', capabilities: { elicitation: {} } }
      }) + '\n'
    );
    input.write(JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'purge' } }) + '\n');
    await waitFor(() => lines.some((l) => l.id === 2), 10_000, 'the answer to the call');
    input.end();
    await server.closed;
    expect(lines.find((l) => l.id === 2).result.content[0].text).toBe('purged');
    server.close();
  });
});

describe('MrtrRound.hold (questions that arrive over several turns)', () => {
  const ctx = { clientCapabilities: { elicitation: {} } } as unknown as ConstructorParameters<typeof MrtrRound>[0];
  const turn = () => new Promise((r) => setImmediate(r));
  const ask = (round: MrtrRound, key: string) => void round.ask(key, { method: 'elicitation/create', params: {} });
  it('without a hold, the round ends on the turn after the first question', async () => {
    const round = new MrtrRound(ctx, {}, {});
    let ended = 0;
    round.onBlocked = () => ended++;
    ask(round, 'a');
    await turn();
    ask(round, 'b');
    await turn();
    expect(ended).toBe(1);
  });
  it('a hold keeps it open until released, so later questions join the round', async () => {
    const round = new MrtrRound(ctx, {}, {});
    let pending: string[] = [];
    round.onBlocked = () => (pending = Object.keys(round.pending));
    const release = round.hold();
    ask(round, 'a');
    await turn();
    await turn();
    ask(round, 'b');
    expect(pending).toEqual([]);
    release();
    release();
    await turn();
    await turn();
    expect(pending).toEqual(['a', 'b']);
  });
});
