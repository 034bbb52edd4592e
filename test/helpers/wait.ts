/**
 * Polls `condition` until it holds, for events a test cannot subscribe to (a statement running in a database,
 * a file written by another process); fails with `what` once `timeoutMs` has passed without it.
 */
export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = 'the condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
