/**
 * The whole-server view of `run --workers` (generators/cli/cluster-view.ts) and a worker's link to it
 * (cluster-worker.ts), joined by an in-memory channel that carries the same messages as node:cluster's IPC: the
 * metrics add up across workers, readiness is the primary's view, drains reach the worker.
 */
import { EventEmitter } from 'node:events';
import { Counter, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { answer, isClusterMessage, Questions, type ClusterMessage } from '../../generators/cli/cluster-ipc.js';
import { clusterView, type ClusterView } from '../../generators/cli/cluster-view.js';
import { linkOver, type Channel, type WorkerLink } from '../../generators/cli/cluster-worker.js';
import { NotReadyError } from '../../runtime/core/readiness.js';
import { createLogger } from '../../runtime/log.js';
import { parseExposition, sampleValue } from '../helpers/prometheus.js';

/** A worker's end of the channel: what it sends reaches `toPrimary`; `deliver` is the primary sending to it. */
class FakeChannel extends EventEmitter implements Channel {
  connected = true;
  constructor(private readonly toPrimary: (m: ClusterMessage) => void) {
    super();
  }
  send(m: ClusterMessage, _h: undefined, _o: object, callback: (e: Error | null) => void) {
    queueMicrotask(() => (this.toPrimary(m), callback(null)));
    return true;
  }
  disconnect() {
    this.connected = false;
    this.emit('disconnect');
  }
  deliver(m: ClusterMessage) {
    queueMicrotask(() => this.emit('message', m));
  }
}

interface Fleet {
  view: ClusterView;
  links: WorkerLink[];
  channels: FakeChannel[];
  questions: Questions[];
  listening: string[];
  warnings: string[];
}

/** A view over `n` linked workers, each with a registry counting `calls[i]`. */
function fleet(n: number, calls: number[] = []): Fleet {
  const warnings: string[] = [];
  const log = createLogger('warn', (line) => void warnings.push(line));
  const questions: Questions[] = [];
  const view = clusterView(() => questions, log);
  const listening: string[] = [];
  const channels: FakeChannel[] = [];
  const links = Array.from({ length: n }, (_, i) => {
    let channel!: FakeChannel;
    const q = new Questions((m) => channel.deliver(m));
    channel = new FakeChannel((m) => {
      if (!isClusterMessage(m)) return;
      if (m.mcpgen === 'answer') q.answered(m);
      else if (m.mcpgen === 'ask') answer((r) => channel.deliver(r), m, view.answer);
      else if (m.mcpgen === 'listening') listening.push(m.url);
    });
    questions.push(q);
    channels.push(channel);
    const link = linkOver(channel, i + 1);
    const registry = new Registry();
    new Counter({ name: 'calls_total', help: 'Calls.', registers: [registry] }).inc(calls[i] ?? 0);
    link.exposed(registry);
    return link;
  });
  view.changed(n);
  return { view, links, channels, questions, listening, warnings };
}

const ready = { ready: async () => {} };
const failing = (dependency: string) => ({
  ready: async () => {
    throw new NotReadyError([{ dependency, reason: 'connection refused' }]);
  }
});

describe('metrics', () => {
  it('add up every worker’s figures, whichever worker is scraped, with the workers and restarts', async () => {
    const { view, links } = fleet(2, [3, 4]);
    view.restarted();
    const fromPrimary = parseExposition(await view.exposition.metrics());
    expect(sampleValue(fromPrimary, 'calls_total')).toBe(7);
    expect(sampleValue(fromPrimary, 'mcpgen_workers')).toBe(2);
    expect(sampleValue(fromPrimary, 'mcpgen_worker_restarts_total')).toBe(1);
    expect(sampleValue(fromPrimary, 'process_cpu_seconds_total')).toBeGreaterThan(0);
    const viaWorker = parseExposition(await links[1]!.exposed(new Registry()).metrics());
    // The registry given last to worker 2 is empty: its figures left the sum.
    expect(sampleValue(viaWorker, 'calls_total')).toBe(3);
  });

  it('leave out a worker that cannot answer, with a warning', async () => {
    const { view, channels, questions, warnings } = fleet(2, [3, 4]);
    // The primary's question to worker 2 goes nowhere; then worker 2 exits.
    channels[1]!.deliver = () => {};
    const sent = view.exposition.metrics();
    questions[1]!.failAll('worker 2 exited');
    expect(sampleValue(parseExposition(await sent), 'calls_total')).toBe(3);
    expect(warnings.join('')).toContain("metrics: a worker's figures are missing from this scrape (worker 2 exited)");
  });
});

describe('readiness', () => {
  it('is ready when every serving worker is, on the primary and through a worker', async () => {
    const { view, links } = fleet(2);
    for (const l of links) l.serving(ready);
    await expect(view.readiness.ready(500)).resolves.toBeUndefined();
    await expect(links[0]!.readiness.ready(500)).resolves.toBeUndefined();
  });

  it.each([
    {
      name: 'the same dependency down in both workers is named once',
      cores: [failing('source "pg"'), failing('source "pg"')],
      want: [{ dependency: 'source "pg"', reason: 'connection refused' }]
    },
    {
      name: 'a worker whose core is not made yet is starting',
      cores: [ready, undefined],
      want: [{ dependency: 'worker', reason: 'starting' }]
    },
    {
      name: 'another error is the server’s',
      cores: [{ ready: () => Promise.reject(new Error('odd')) }, ready],
      want: [{ dependency: 'server', reason: 'odd' }]
    }
  ])('is not ready when $name', async ({ cores, want }) => {
    const { view, links } = fleet(2);
    cores.forEach((c, i) => c && links[i]!.serving(c));
    const viaWorker = links[1]!.readiness.ready(500).catch((e: unknown) => e);
    for (const e of [await view.readiness.ready(500).catch((e: unknown) => e), await viaWorker]) {
      expect(e).toBeInstanceOf(NotReadyError);
      expect((e as NotReadyError).failures).toEqual(want);
    }
  });

  it('is not ready while no worker serves', async () => {
    const { view } = fleet(0);
    await expect(view.readiness.ready()).rejects.toThrow('workers: no worker is serving');
  });
});

describe('a worker’s link', () => {
  it('tells the primary it listens, drains when asked (before or after the drain is wired), and fails its questions when the primary is gone', async () => {
    const { links, channels, listening } = fleet(3);
    links[0]!.listening('http://127.0.0.1:1/mcp');
    await new Promise((r) => setTimeout(r, 0));
    expect(listening).toEqual(['http://127.0.0.1:1/mcp']);

    const drained: number[] = [];
    links[0]!.onDrain(() => drained.push(1));
    const asked = new Promise((r) => channels[0]!.once('message', r));
    channels[0]!.deliver({ mcpgen: 'drain' });
    await asked;
    channels[1]!.emit('message', { mcpgen: 'drain' });
    links[1]!.onDrain(() => drained.push(2));
    const open = links[2]!.readiness.ready(500);
    channels[2]!.deliver = () => {};
    links[2]!.onDrain(() => drained.push(3));
    links[2]!.close();
    expect(drained).toEqual([1, 2]);
    await expect(open).rejects.toThrow('the primary is gone');
    expect(() => links[2]!.listening('x')).toThrow('the primary is gone');
    links[2]!.close();
  });

  it('answers an unknown question with an error, as the primary does', async () => {
    const { view, channels } = fleet(1);
    await expect(view.answer('what', 100)).rejects.toThrow('unknown question what');
    const q = new Questions((m) => channels[0]!.deliver(m));
    channels[0]!.send = (m: ClusterMessage) => (isClusterMessage(m) && m.mcpgen === 'answer' ? q.answered(m) : undefined, true);
    await expect(q.ask('what', 100)).rejects.toThrow('unknown question what');
    channels[0]!.emit('message', 'not ours');
  });
});
