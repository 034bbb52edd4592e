import type { Handlers } from '../.mcp-gen/types.js';

type Ctx = Parameters<Handlers['test_input_required_result_elicitation']>[1];

const askName = (ctx: Ctx, key: string, message = 'What is your name?') =>
  ctx.elicit({ message, requestedSchema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] } }, key);

const text = (c: unknown) => (c as { text?: string }).text ?? JSON.stringify(c);

/**
 * The input_required fixtures of the conformance suite. Each flow is plain sequential code: with a 2025
 * client every ask is a real request; with a 2026-07-28 client each unanswered ask ends the round.
 */
const flows: Record<string, (ctx: Ctx) => Promise<string>> = {
  async test_input_required_result_elicitation(ctx) {
    const a = await askName(ctx, 'user_name');
    return `Hello, ${String(a.content?.name ?? 'stranger')}!`;
  },
  async test_input_required_result_sampling(ctx) {
    const r = await ctx.sample(
      { messages: [{ role: 'user', content: { type: 'text', text: 'What is the capital of France?' } }], maxTokens: 100 },
      'capital_question'
    );
    return `The model said: ${text(r.content)}`;
  },
  async test_input_required_result_list_roots(ctx) {
    const r = await ctx.listRoots('client_roots');
    return `Client roots: ${r.roots.map((x) => x.uri).join(', ') || 'none'}`;
  },
  async test_input_required_result_request_state(ctx) {
    ctx.state.issued ??= 'round-1';
    const a = await ctx.elicit(
      { message: 'Please confirm', requestedSchema: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] } },
      'confirm'
    );
    return ctx.state.issued === 'round-1' ? `state-ok: confirmed=${String(a.content?.ok)}` : 'state-missing';
  },
  async test_input_required_result_multiple_inputs(ctx) {
    const [user, greeting, roots] = await Promise.all([
      askName(ctx, 'user_name'),
      ctx.sample({ messages: [{ role: 'user', content: { type: 'text', text: 'Generate a greeting' } }], maxTokens: 50 }, 'greeting'),
      ctx.listRoots('client_roots')
    ]);
    return `${text(greeting.content)} ${String(user.content?.name)} (${roots.roots.length} roots)`;
  },
  async test_input_required_result_multi_round(ctx) {
    const name = await askName(ctx, 'step1', 'Step 1: What is your name?');
    const color = await ctx.elicit(
      {
        message: 'Step 2: What is your favorite color?',
        requestedSchema: { type: 'object', properties: { color: { type: 'string' } }, required: ['color'] }
      },
      'step2'
    );
    return `${String(name.content?.name)} likes ${String(color.content?.color)}`;
  },
  async test_input_required_result_tampered_state(ctx) {
    const a = await ctx.elicit(
      { message: 'Please confirm', requestedSchema: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] } },
      'confirm'
    );
    return `confirmed=${String(a.content?.ok)}`;
  },
  async test_input_required_result_capabilities(ctx) {
    const caps = ctx.clientCapabilities;
    if ('sampling' in caps) {
      const r = await ctx.sample(
        { messages: [{ role: 'user', content: { type: 'text', text: 'Say hi' } }], maxTokens: 20 },
        'sampling_only'
      );
      return `sampled: ${text(r.content)}`;
    }
    if ('elicitation' in caps) return `elicited: ${JSON.stringify((await askName(ctx, 'user_name')).content)}`;
    return 'The client declared neither sampling nor elicitation; nothing to ask.';
  }
};

const mrtr: Handlers['test_input_required_result_elicitation'] = (_args, ctx) => {
  const flow = flows[ctx.toolName];
  if (!flow) throw new Error(`no flow for ${ctx.toolName}`);
  return flow(ctx);
};
export default mrtr;
