import type { KindSchema } from '../kind-schema.js';

/** The MCP kind's part of the manifest schema: `sources.NAME` with an `mcp:` key. */
const stringMap = (description: string) => ({ type: 'object', additionalProperties: { type: 'string' }, description });
const globs = (description: string) => ({ type: 'array', items: { type: 'string', minLength: 1 }, uniqueItems: true, description });

const mcpSource = {
  type: 'object',
  additionalProperties: false,
  required: ['mcp'],
  description: 'An upstream MCP server whose tools, resources, templates and prompts are mounted under a prefix. See docs/mcp-upstream.md.',
  properties: {
    mcp: {
      type: 'object',
      additionalProperties: false,
      description:
        'How to reach the upstream: `url:` (Streamable HTTP) or `command:` (stdio). ${VAR} references are kept and resolved at start.',
      properties: {
        url: { type: 'string', pattern: '^https?://', description: 'Streamable HTTP endpoint of the upstream.' },
        headers: stringMap('HTTP headers sent with every request (e.g. Authorization: "Bearer ${TOKEN}").'),
        command: { type: 'string', minLength: 1, description: 'The program that runs the upstream over stdio.' },
        args: { type: 'array', items: { type: 'string' }, description: 'Its arguments.' },
        env: stringMap('Environment variables for the upstream process (besides a safe default set: PATH, HOME, …).'),
        cwd: { type: 'string', description: 'Working directory of the upstream process, relative to the manifest (default: its folder).' }
      },
      oneOf: [
        {
          required: ['url'],
          not: { anyOf: [{ required: ['command'] }, { required: ['args'] }, { required: ['env'] }, { required: ['cwd'] }] }
        },
        { required: ['command'], not: { required: ['headers'] } }
      ]
    },
    prefix: {
      type: 'string',
      pattern: '^[A-Za-z0-9_.-]*$',
      description: 'Put before every mounted tool, prompt and resource name; default `NAME_`. "" mounts them as they are.'
    },
    include: globs(
      'Mount only the upstream tools, prompts, resources and templates whose name or URI matches one of these (`*` matches anything).'
    ),
    exclude: globs('Leave out the upstream entries whose name or URI matches one of these.'),
    overrides: {
      type: 'object',
      description: 'Per upstream entry (by its upstream name, URI or URI template): what to change when mounting it.',
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        properties: {
          name: {
            type: 'string',
            pattern: '^[A-Za-z0-9_./-]{1,64}$',
            description: 'The mounted name (instead of prefix + upstream name).'
          },
          title: { type: 'string' },
          description: { type: 'string' },
          scopes: { $ref: '#/$defs/scopes', description: "Scopes a caller needs for this entry (instead of the source's)." },
          confirm: { type: 'string', description: 'Tools: asked through elicitation before the call goes upstream.' }
        }
      }
    },
    timeoutMs: {
      type: 'integer',
      minimum: 1,
      default: 60000,
      description: 'Longest wait for one upstream request (its progress notifications reset it).'
    },
    scopes: { $ref: '#/$defs/scopes', description: 'Default scopes of every entry mounted from this source.' },
    check: {
      enum: ['auto', 'required', 'off'],
      default: 'auto',
      description:
        "The build connects to record the upstream's lists: auto (unreachable: a warning, the last recorded lists are used), " +
        'required, off (use the recorded lists). MCPGEN_MCP_CHECK=1/0 overrides.'
    }
  }
} as const;

export const mcpSchema: KindSchema = {
  defs: { mcpSource },
  source: {
    key: 'mcp',
    schema: { $ref: '#/$defs/mcpSource' },
    summary: '`mcp:` an upstream MCP server (its tools, resources and prompts are mounted under a prefix)'
  }
};
