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

/**
 * Resolves once the first bytes of `response`'s body arrived (its event stream has begun: the call is running),
 * with them and a `rest()` that reads the body to its end.
 */
export async function firstChunk(response: Response): Promise<{ first: string; rest(): Promise<string> }> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const { value } = await reader.read();
  const first = value ? decoder.decode(value, { stream: true }) : '';
  const rest = async () => {
    let text = '';
    for (let r = await reader.read(); !r.done; r = await reader.read()) text += decoder.decode(r.value, { stream: true });
    return text + decoder.decode();
  };
  return { first, rest };
}
