import { setTimeout as sleep } from 'node:timers/promises';
import type { Handlers } from '../.mcp-gen/types.js';

const logging: Handlers['test_tool_with_logging'] = async (_args, ctx) => {
  ctx.log('info', 'Tool execution started');
  await sleep(50, undefined, { signal: ctx.signal });
  ctx.log('info', 'Tool processing data');
  await sleep(50, undefined, { signal: ctx.signal });
  ctx.log('info', 'Tool execution completed');
  return 'Logging tool completed: sent 3 log messages.';
};
export default logging;
