import { setTimeout as sleep } from 'node:timers/promises';
import type { Handlers } from '../.mcp-gen/types.js';

const progress: Handlers['test_tool_with_progress'] = async (_args, ctx) => {
  for (const step of [0, 50, 100]) {
    if (step > 0) await sleep(50, undefined, { signal: ctx.signal });
    ctx.progress(step, 100);
  }
  return 'Progress tool completed.';
};
export default progress;
