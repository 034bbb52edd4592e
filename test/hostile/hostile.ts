/** Shared by the hostile-input suites: a seeded generator (runs are reproducible) and the count line CI prints. */

/** mulberry32: small, fast and deterministic; the seed is in each suite so a failure can be replayed. */
export function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  return { next, int, pick: <T>(items: readonly T[]): T => items[int(items.length)]!, chance: (p: number) => next() < p };
}
export type Random = ReturnType<typeof random>;

/** The line each suite prints: `hostile: NAME N cases, F failures` (CI logs show the counts). */
export function report(name: string, cases: number, failures: readonly string[], noun = 'failures'): void {
  console.log(`hostile: ${name} ${cases} cases, ${failures.length} ${noun}`);
}

/** Up to `n` failures, for an assertion message that shows what to replay. */
export function sample(failures: readonly string[], n = 10): string {
  return failures.slice(0, n).join('\n');
}

/** Runs `work` over `items` with at most `width` in flight. */
export async function pool<T>(items: readonly T[], width: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const i = next++;
        await work(items[i]!, i);
      }
    })
  );
}
