import type { JsonSchema } from '../../kinds/kind-schema.js';

const names = (what: string): JsonSchema => ({ type: 'array', minItems: 1, items: { type: 'string', minLength: 1 }, description: what });

/** `toolsets:`: named groups of tools, each served at its own endpoint (see docs/openapi.md, Toolsets). */
export const toolsetDefs: Readonly<Record<string, JsonSchema>> = {
  toolsets: {
    type: 'object',
    description:
      'Named groups of tools, each served at its own path (transport.path + "/" + name, e.g. /mcp/issues) and by ' +
      '`mcp-gen run --toolset NAME` on stdio; the root path still serves every tool. A tool belongs to a toolset ' +
      'when any of tools, tags or sources selects it. See docs/openapi.md (Toolsets).',
    propertyNames: {
      type: 'string',
      pattern: '^[a-z0-9][a-z0-9_-]{0,63}$',
      not: { enum: ['sse', 'messages', 'healthz', 'readyz', 'metrics'] },
      description:
        '1-64 lower-case letters, digits, `_` and `-` (a URL path segment); not a route name: sse, messages, healthz, readyz, metrics.'
    },
    additionalProperties: { $ref: '#/$defs/toolset' }
  },
  toolset: {
    type: 'object',
    additionalProperties: false,
    anyOf: [{ required: ['tools'] }, { required: ['tags'] }, { required: ['sources'] }],
    properties: {
      description: { type: 'string', minLength: 1, description: 'What the toolset is for (docs and `mcp-gen list --toolset`).' },
      tools: names('Tool names or globs (`*` any run of characters, `?` one), e.g. `issues_*`: every tool whose name matches.'),
      tags: names("Tags: every tool its kind tags so (an OpenAPI operation's tags)."),
      sources: names('Source names: every tool a source generates or reads from.'),
      scopes: {
        $ref: '#/$defs/scopes',
        description: "Scopes a caller needs (every one), besides each tool's own, to see and call the toolset's tools at its path."
      },
      tokenBudget: {
        type: 'integer',
        minimum: 1,
        description:
          "The toolset's budget for its tool list (default server.tokenBudget): its `mode: auto` sources are served " +
          'as their three search/describe/call tools, restricted to its operations, when they would not fit.'
      }
    }
  }
};
