import { setTimeout as sleep } from 'node:timers/promises';
import type { Handlers } from '../.mcp-gen/types.js';

/** Closes its response stream mid-call; the client resumes it with Last-Event-ID and still gets the result. */
const reconnection: Handlers['test_reconnection'] = async (_args, ctx) => {
  ctx.closeStream();
  await sleep(200, undefined, { signal: ctx.signal });
  return 'Reconnection test completed: the result arrived on the resumed stream.';
};
export default reconnection;
