import type { Logger } from '../../log.js';

/** How often the log sums up the calls decided without the store while it stays unreachable. */
export const OUTAGE_REPORT_MS = 60_000;

/** `limits.onStoreError`: what calls get while the store cannot be reached. */
export type StoreErrorPolicy = 'open' | 'closed';

const consequence: Record<StoreErrorPolicy, string> = {
  closed: 'calls are refused (-32030, HTTP 503) until it is back (limits.onStoreError: closed)',
  open: 'calls run without rate limits until it is back (limits.onStoreError: open)'
};

/**
 * What the log says about a limit store that cannot be reached: one line when it goes, one when it is back,
 * and while it stays away a summary every `reportMs` of the calls decided without it. Never a line per call:
 * a busy server would write thousands a second.
 */
export class StoreHealth {
  private down = false;
  private since = 0;
  /** Calls decided without the store since the last summary, and since the outage began. */
  private recent = { refused: 0, allowed: 0 };
  private total = { refused: 0, allowed: 0 };
  private timer: NodeJS.Timeout | undefined;
  private readonly store: string;

  constructor(
    /** The store, for log lines (a URL without its password); empty: unnamed. */
    name: string,
    private readonly log: Logger,
    /** `limits.onStoreError` of the artifact served (a swap under `mcp-gen dev` may change it). */
    public policy: StoreErrorPolicy = 'closed',
    private readonly reportMs = OUTAGE_REPORT_MS
  ) {
    this.store = name ? `rate-limit store ${name}` : 'rate-limit store';
  }

  /** The store failed (its connection, or a command); the first failure of an outage is logged. */
  unreachable(reason: string): void {
    if (this.down) return;
    this.down = true;
    this.since = Date.now();
    this.recent = { refused: 0, allowed: 0 };
    this.total = { refused: 0, allowed: 0 };
    this.log.warn(`${this.store} unreachable: ${reason}; ${consequence[this.policy]}`);
    this.timer = setInterval(() => this.summary(), this.reportMs);
    this.timer.unref();
  }

  /** A call decided without the store, as `limits.onStoreError` says. */
  decided(policy: StoreErrorPolicy): void {
    const key = policy === 'open' ? 'allowed' : 'refused';
    this.recent[key]++;
    this.total[key]++;
  }

  /** The store answered again: the end of an outage is logged, with what it cost. */
  reachable(): void {
    if (!this.down) return;
    this.down = false;
    clearInterval(this.timer);
    const counts = describe(this.total);
    const seconds = Math.round((Date.now() - this.since) / 1000);
    this.log.info(`${this.store} reachable again after ${seconds} s${counts ? `; ${counts} while it was unreachable` : ''}`);
  }

  close(): void {
    clearInterval(this.timer);
  }

  private summary(): void {
    const counts = describe(this.recent);
    this.recent = { refused: 0, allowed: 0 };
    if (counts) this.log.warn(`${this.store} still unreachable: ${counts} in the last ${this.reportMs / 1000} s`);
  }
}

function describe(counts: { refused: number; allowed: number }): string {
  const parts = [
    ...(counts.refused > 0 ? [`${counts.refused} call(s) refused`] : []),
    ...(counts.allowed > 0 ? [`${counts.allowed} call(s) run without rate limits`] : [])
  ];
  return parts.join(', ');
}
