import type { HandlerContext } from '../.mcp-gen/types.js';

/** Serves test_sampling and test_missing_capability, so the argument is optional here. */
const sampling = async (args: { prompt?: string }, ctx: HandlerContext) => {
  const prompt = args.prompt ?? 'Say hello.';
  const reply = await ctx.sample({ messages: [{ role: 'user', content: { type: 'text', text: prompt } }], maxTokens: 100 });
  const content = reply.content as { type?: string; text?: string };
  return `LLM response: ${content.type === 'text' ? content.text : JSON.stringify(content)}`;
};
export default sampling;
