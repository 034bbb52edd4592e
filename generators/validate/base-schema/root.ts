import type { JsonSchema } from '../../kinds/kind-schema.js';

/** The manifest document without its $defs; `sources` gets its per-kind dispatch in compose-schema.ts. */
export const manifestRoot: JsonSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://mcp-gen.dev/schema/manifest.schema.json',
  title: 'mcp-gen manifest',
  description: 'One file declaring an MCP server: its tools, resources, resource templates and prompts.',
  type: 'object',
  additionalProperties: false,
  required: ['server'],
  properties: {
    $schema: { type: 'string', description: 'Editor hint; ignored by mcp-gen.' },
    server: { $ref: '#/$defs/server' },
    transport: { $ref: '#/$defs/transport' },
    auth: { $ref: '#/$defs/auth' },
    state: { $ref: '#/$defs/state' },
    limits: { $ref: '#/$defs/limits' },
    audit: { $ref: '#/$defs/audit' },
    cache: { $ref: '#/$defs/cache' },
    sources: {
      type: 'object',
      description:
        'Named backends: an OpenAPI document (every selected operation becomes a tool) or a SQL database ' +
        '(`database:`) that tools, resources and completions query.',
      propertyNames: { $ref: '#/$defs/name' },
      additionalProperties: {
        if: { type: 'object', required: ['database'] },
        then: { $ref: '#/$defs/sqlSource' },
        else: { $ref: '#/$defs/openapiSource' }
      }
    },
    tools: {
      type: ['array', 'null'],
      description: 'Tools the model can call. An empty key (all entries commented out) means none.',
      items: { $ref: '#/$defs/tool' }
    },
    resources: {
      type: ['array', 'null'],
      description:
        'Resources (with `uri`) and resource templates (with `uriTemplate`). An empty key (all entries commented ' + 'out) means none.',
      items: { $ref: '#/$defs/resource' }
    },
    prompts: {
      type: ['array', 'null'],
      description: 'Prompt templates the user can pick. An empty key (all entries commented out) means none.',
      items: { $ref: '#/$defs/prompt' }
    },
    toolsets: { $ref: '#/$defs/toolsets' }
  }
};
