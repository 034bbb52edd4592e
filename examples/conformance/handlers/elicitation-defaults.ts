import type { Handlers } from '../.mcp-gen/types.js';

const defaults: Handlers['test_elicitation_sep1034_defaults'] = async (_args, ctx) => {
  const answer = await ctx.elicit({
    message: 'Please review your details',
    requestedSchema: {
      type: 'object',
      properties: {
        name: { type: 'string', description: 'Your name', default: 'John Doe' },
        age: { type: 'integer', description: 'Your age', default: 30 },
        score: { type: 'number', description: 'Your score', default: 95.5 },
        status: { type: 'string', description: 'Your status', enum: ['active', 'inactive', 'pending'], default: 'active' },
        verified: { type: 'boolean', description: 'Verified?', default: true }
      }
    }
  });
  return `Elicitation completed: action=${answer.action}, content=${JSON.stringify(answer.content ?? {})}`;
};
export default defaults;
