import type { JsonSchema } from '../../kinds/kind-schema.js';

/** Tools, resources and what they share, without any backend's keys (each kind adds its own: compose-schema.ts). */
export const entryDefs: Readonly<Record<string, JsonSchema>> = {
  name: {
    type: 'string',
    pattern: '^[A-Za-z0-9_.-]{1,64}$',
    description: '1-64 characters from A-Z, a-z, 0-9, `_`, `.` and `-`.'
  },
  icon: {
    type: 'object',
    additionalProperties: false,
    required: ['src'],
    properties: {
      src: { type: 'string' },
      mimeType: { type: 'string' },
      sizes: { type: 'array', items: { type: 'string' } },
      theme: { enum: ['light', 'dark'] }
    }
  },
  jsonSchemaObject: {
    type: 'object',
    description: 'A JSON Schema (2020-12) object schema. `type: object` is implied.',
    properties: {
      type: { const: 'object' },
      properties: { type: 'object', additionalProperties: { type: ['object', 'boolean'] } },
      required: { type: 'array', items: { type: 'string' } }
    }
  },
  toolAnnotations: {
    type: 'object',
    additionalProperties: false,
    properties: {
      title: { type: 'string' },
      readOnlyHint: { type: 'boolean' },
      destructiveHint: { type: 'boolean' },
      idempotentHint: { type: 'boolean' },
      openWorldHint: { type: 'boolean' }
    }
  },
  contentItem: {
    type: 'object',
    description: 'One content block: text, an image or audio file, or an embedded resource.',
    required: ['type'],
    discriminator: { propertyName: 'type' },
    oneOf: [
      { additionalProperties: false, required: ['text'], properties: { type: { const: 'text' }, text: { type: 'string' } } },
      {
        additionalProperties: false,
        required: ['file'],
        properties: {
          type: { enum: ['image', 'audio'] },
          file: { type: 'string', description: 'Path relative to the manifest.' },
          mimeType: { type: 'string', description: 'Detected from the extension when omitted.' }
        }
      },
      {
        additionalProperties: false,
        required: ['uri'],
        properties: {
          type: { const: 'resource' },
          uri: { type: 'string' },
          mimeType: { type: 'string' },
          text: { type: 'string' },
          file: { type: 'string' }
        }
      }
    ]
  },
  maxResultBytes: {
    type: 'integer',
    minimum: 1024,
    description:
      'A larger result is not cut blindly: it is split at a clean boundary (array items, else lines), the first part ' +
      'returned with a note and a cursor, the next parts by calling again with it (the whole result kept for ' +
      'server.continuationTtl, for this caller only). SQL pages its rows within it. See docs/openapi.md (Continuation).'
  },
  tool: {
    type: 'object',
    additionalProperties: false,
    required: ['name', 'description'],
    properties: {
      name: { $ref: '#/$defs/name' },
      title: { type: 'string' },
      description: { type: 'string', minLength: 1, description: 'What the tool does, for the model.' },
      input: {
        $ref: '#/$defs/jsonSchemaObject',
        description:
          "The tool's arguments as a JSON Schema object. Arguments it does not declare are refused with a tool " +
          'error naming the accepted ones (the build publishes additionalProperties: false); set additionalProperties: true ' +
          'to accept them.'
      },
      output: {
        type: 'object',
        description:
          'JSON Schema of structured results (outputSchema). SQL tools infer it from the database at build; set ' + 'it to override.'
      },
      annotations: { $ref: '#/$defs/toolAnnotations' },
      isError: {
        type: 'boolean',
        default: false,
        description: 'Declarative tools (template, content): return the result as a tool error (`isError: true`).'
      },
      confirm: {
        type: 'string',
        minLength: 1,
        description:
          'Ask the user to confirm (through elicitation) before the tool runs; a decline returns a tool error ' + 'and runs nothing.'
      },
      icons: { type: 'array', items: { $ref: '#/$defs/icon' } },
      scopes: {
        $ref: '#/$defs/scopes',
        description:
          "Scopes a caller needs (every one) to see and call this tool; overrides its source's scopes. See " + 'docs/security.md.'
      },
      cache: { $ref: '#/$defs/entryCache' },
      maxResultBytes: {
        $ref: '#/$defs/maxResultBytes',
        description: "Split larger results into parts (overrides its source's and the server's)."
      },
      select: {
        type: 'string',
        minLength: 1,
        description:
          'A JMESPath expression (jmespath.org) that trims each result before the model sees it, e.g. ' +
          '"items[*].{id: id, title: title}"; checked at build against the outputSchema, which becomes the projection\'s. ' +
          'See docs/openapi.md (Projection).'
      },
      fields: {
        type: 'boolean',
        default: false,
        description: 'With select: building an object, add a `fields` argument: the model may ask for only some of its keys.'
      },
      examples: {
        type: 'array',
        description:
          'Example calls `mcp-gen test` makes and checks (arguments are checked against the input schema at build). ' +
          'See docs/cli.md (mcp-gen test).',
        items: {
          type: 'object',
          additionalProperties: false,
          properties: {
            arguments: { type: 'object', default: {}, description: 'The arguments of the call.' },
            result: {
              description:
                "The expected result: text is the result's text content (blocks joined by a newline), exactly; anything else its structuredContent, exactly."
            },
            matches: {
              type: 'string',
              minLength: 1,
              description: "A regular expression the result's text content (else its structuredContent as JSON) must match."
            },
            isError: { type: 'boolean', default: false, description: 'The call must end as a tool error (isError: true).' }
          }
        }
      },
      fromAuth: {
        $ref: '#/$defs/fromAuthMap',
        description:
          "Arguments filled from the caller's credentials, by argument name (also possible per property in " +
          'input: as fromAuth). Useful on operation: overrides.'
      }
    }
  },
  resource: {
    type: 'object',
    additionalProperties: false,
    required: ['name'],
    allOf: [{ $ref: '#/$defs/oneResourceAddress' }],
    properties: {
      name: { $ref: '#/$defs/name' },
      title: { type: 'string' },
      description: { type: 'string' },
      uri: { type: 'string', description: "The resource's URI (a static resource)." },
      uriTemplate: {
        type: 'string',
        description: 'A URI template (a resource template): variables are {name} (one path segment) or {+name} (may contain /).'
      },
      mimeType: { type: 'string', description: 'Detected from the file extension when omitted.' },
      icons: { type: 'array', items: { $ref: '#/$defs/icon' } },
      scopes: {
        $ref: '#/$defs/scopes',
        description: "Scopes a caller needs (every one) to see and read this resource or template; overrides its source's " + 'scopes.'
      },
      cache: { $ref: '#/$defs/entryCache' }
    }
  },
  oneResourceAddress: {
    description: 'A resource has exactly one of: uri (a static resource), uriTemplate (a resource template).',
    oneOf: [{ required: ['uri'] }, { required: ['uriTemplate'] }]
  }
};
