import type { HandlerContext } from '../.mcp-gen/types.js';

/** Serves test_elicitation and test_streaming_elicitation, so the argument is optional here. */
const elicitation = async (args: { message?: string }, ctx: HandlerContext) => {
  const answer = await ctx.elicit({
    message: args.message ?? 'Please provide your details',
    requestedSchema: {
      type: 'object',
      properties: {
        username: { type: 'string', description: "User's response" },
        email: { type: 'string', description: "User's email address" }
      },
      required: ['username', 'email']
    }
  });
  return `User response: action=${answer.action}, content=${JSON.stringify(answer.content ?? {})}`;
};
export default elicitation;
