/**
 * ReDoS checks with recheck (https://makenowjust-labs.github.io/recheck/): whether a regular expression can
 * take super-linear time on some input. Generators and tests only: the runtime never loads recheck.
 */
type Recheck = typeof import('recheck');

export interface RegexVerdict {
  readonly status: 'safe' | 'vulnerable' | 'unknown';
  /** `2nd degree polynomial`, `exponential`, …; set when vulnerable. */
  readonly complexity?: string;
  /** An attack string, as JavaScript (`'a'.repeat(31) + '!'`); set when vulnerable. */
  readonly attack?: string;
  /** Why no verdict: `timeout`, `invalid: …`, `unsupported: …`. */
  readonly error?: string;
}

/** Loaded on first use: builds without patterns never start the checker. */
let loaded: Promise<Recheck> | undefined;

/**
 * The verdict on one pattern. The automaton checker is exact but can take seconds on counted repetitions
 * (`[\w-]{20,}`) and does not support lookbehind; when it gives up, the fuzz checker decides (seeded, so runs
 * repeat). `timeoutMs` bounds each of the two attempts.
 */
export async function checkRegex(source: string, flags: string, timeoutMs = 2_000): Promise<RegexVerdict> {
  const { check } = await (loaded ??= import('recheck'));
  let d = await check(source, flags, { timeout: timeoutMs });
  if (d.status === 'unknown' && d.error.kind !== 'invalid') d = await check(source, flags, { checker: 'fuzz', timeout: timeoutMs * 2 });
  if (d.status === 'safe') return { status: 'safe' };
  if (d.status === 'vulnerable') return { status: 'vulnerable', complexity: d.complexity.summary, attack: d.attack.pattern };
  return { status: 'unknown', error: 'message' in d.error ? `${d.error.kind}: ${d.error.message}` : d.error.kind };
}

/**
 * Verdicts for many patterns, each distinct `source`/`flags` checked once, `width` at a time: recheck runs
 * checks in parallel threads, and more at once than there are cores only makes each one time out.
 */
export async function checkRegexes(
  patterns: readonly { readonly source: string; readonly flags: string }[],
  width = 2,
  timeoutMs?: number
): Promise<Map<string, RegexVerdict>> {
  const unique = [...new Map(patterns.map((p) => [regexKey(p.source, p.flags), p])).values()];
  const out = new Map<string, RegexVerdict>();
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, unique.length) }, async () => {
      while (next < unique.length) {
        const p = unique[next++]!;
        out.set(regexKey(p.source, p.flags), await checkRegex(p.source, p.flags, timeoutMs));
      }
    })
  );
  return out;
}

export const regexKey = (source: string, flags: string) => `/${source}/${flags}`;
