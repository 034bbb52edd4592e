import { setTimeout as sleep } from 'node:timers/promises';
import type { Handlers } from '../.mcp-gen/types.js';

const slowCount: Handlers['slow_count'] = async ({ to, delayMs }, ctx) => {
  ctx.log('info', `counting to ${to}`);
  for (let i = 1; i <= to; i++) {
    await sleep(delayMs, undefined, { signal: ctx.signal });
    ctx.progress(i, to, `step ${i} of ${to}`);
  }
  return { counted: to };
};

export default slowCount;
