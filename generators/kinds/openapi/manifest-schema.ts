import type { KindSchema } from '../kind-schema.js';

/** OpenAPI sources (`openapi:`) and tool entries that amend one of their operations (`operation:`). */
export const openapiSchema: KindSchema = {
  defs: {
    operationSelector: {
      type: 'object',
      additionalProperties: false,
      properties: {
        tags: { type: 'array', items: { type: 'string' }, description: 'Operations with any of these tags.' },
        operations: { type: 'array', items: { type: 'string' }, description: 'operationIds.' },
        paths: {
          type: 'array',
          items: { type: 'string' },
          description: 'Path globs, e.g. /pets/* (* matches one segment, ** any).'
        },
        methods: {
          type: 'array',
          items: { enum: ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] },
          description: 'HTTP methods, lower case.'
        }
      }
    },
    openapiSource: {
      type: 'object',
      additionalProperties: false,
      required: ['openapi'],
      description: 'An HTTP API described by an OpenAPI 3.0/3.1 document.',
      properties: {
        openapi: {
          type: 'string',
          description: 'Path (relative to the manifest) or file URL of the OpenAPI document, YAML or JSON.'
        },
        baseUrl: {
          type: 'string',
          description:
            "Server URL; default: the first of the document's servers[] (with its variables' defaults). " +
            'Resolved at run time, so ${VAR} works.'
        },
        auth: {
          type: 'object',
          description:
            'Credentials by securityScheme name (use ${VAR}); resolved at run time and never stored resolved in ' +
            'the artifact. A string is the key or token (user:password for http basic); for an oauth2 scheme with a ' +
            'clientCredentials flow, an object: mcp-gen fetches, caches and refreshes the token; { tokenExchange: … }: the ' +
            "caller's own token exchanged for one meant for this API (RFC 8693). A string may also use " +
            "${auth.name} and ${auth.claims.<path>}: the calling principal's own credential (docs/security.md).",
          additionalProperties: { oneOf: [{ type: 'string' }, { $ref: '#/$defs/clientCredentials' }, { $ref: '#/$defs/tokenExchange' }] }
        },
        include: { $ref: '#/$defs/operationSelector', description: 'Only these operations (all when omitted).' },
        exclude: { $ref: '#/$defs/operationSelector', description: 'Never these operations.' },
        timeoutMs: { type: 'integer', minimum: 1, default: 30000, description: 'Upstream request timeout.' },
        maxResponseBytes: {
          type: 'integer',
          minimum: 1024,
          default: 1048576,
          description: 'Larger responses are cut, with a notice to the model.'
        },
        outputSchema: {
          oneOf: [{ type: 'boolean' }, { enum: ['shape', 'full'] }],
          default: true,
          description:
            'Each tool\'s outputSchema, from its 2xx JSON response (object responses only). true or "shape" ' +
            '(default): the root\'s property names and types, small enough for large APIs; "full": the complete schema, ' +
            'every nested property and constraint; false: none. A response that breaks it becomes a tool error.'
        },
        serverVariables: {
          type: 'object',
          additionalProperties: { type: 'string' },
          description: "Values for the document's server variables (e.g. region: eu); the document's defaults otherwise."
        },
        forwardHeaders: {
          type: 'array',
          uniqueItems: true,
          items: {
            oneOf: [
              { $ref: '#/$defs/forwardableHeader' },
              {
                type: 'object',
                additionalProperties: false,
                required: ['to', 'from'],
                description: "A header of the client's request, sent upstream under another name.",
                properties: { from: { $ref: '#/$defs/forwardableHeader' }, to: { $ref: '#/$defs/forwardableHeader' } }
              }
            ]
          },
          description:
            "Headers of the client's MCP request (HTTP only) copied to every upstream request, e.g. " +
            '[x-request-id, accept-language, { from: x-tenant, to: x-org-id }] (an object renames it). Only these: the ' +
            "client's Authorization header is never forwarded (credentials for the upstream come from auth:, or its " +
            'token exchanged: tokenExchange); Authorization, Cookie, Host, Content-*, Transfer-Encoding, Connection and ' +
            'Mcp-* can be neither source nor target.'
        },
        allowRemoteRefs: {
          oneOf: [{ type: 'boolean' }, { type: 'array', items: { type: 'string', pattern: '^https?://' } }],
          default: false,
          description:
            'Fetch $refs to http(s) URLs at build. false (default): never, the build does not reach the network ' +
            'unless asked, and an operation that needs a remote ref is skipped with a warning. true: public URLs (loopback ' +
            'and private addresses stay refused). A list of URL prefixes: only URLs under them, whatever their host.'
        },
        mode: {
          enum: ['auto', 'tools', 'dynamic'],
          default: 'auto',
          description:
            'tools: one tool per operation. dynamic: three tools instead (<source>_search_operations, ' +
            '<source>_describe_operation, <source>_call_operation), for APIs with hundreds of operations: the tool list ' +
            'stays small and the model looks operations up when it needs them. auto (default): tools while they fit ' +
            "the source's share of server.tokenBudget, else dynamic; the build says which and why."
        },
        descriptions: {
          enum: ['compact', 'full', 'none'],
          default: 'compact',
          description:
            "How much of the document's text tools carry. compact: the summary and the first paragraph of the " +
            'description, links as text, capped (tools 300 characters, parameters 200); full: summary as title, summary and ' +
            'description (capped at 1024), parameter descriptions whole; none: the summary only, no parameter descriptions.'
        },
        schemas: {
          enum: ['refs', 'inline'],
          default: 'refs',
          description:
            'refs: shared schemas stay in $defs and are referenced; inline: no $ref anywhere (cycles cut), for ' +
            'clients that cannot follow $ref.'
        },
        scopes: {
          $ref: '#/$defs/scopes',
          description: "Default scopes of every tool generated from this source (an entry's own scopes: win)."
        },
        fromAuth: {
          $ref: '#/$defs/fromAuthMap',
          description:
            "Arguments of the generated tools filled from the caller's credentials, by argument name (e.g. a " +
            'tenant header parameter); tools without that argument are unaffected.'
        }
      }
    },
    forwardableHeader: {
      type: 'string',
      description:
        'A header name. Authorization, Proxy-Authorization, Cookie, Host, Content-*, Transfer-Encoding, ' +
        'Connection and Mcp-* are never forwarded: give upstream credentials under auth:.',
      pattern: "^[A-Za-z0-9!#$%&'*+.^_`|~-]+$",
      not: {
        pattern:
          '^(?:[Aa][Uu][Tt][Hh][Oo][Rr][Ii][Zz][Aa][Tt][Ii][Oo][Nn]|' +
          '[Pp][Rr][Oo][Xx][Yy]-[Aa][Uu][Tt][Hh][Oo][Rr][Ii][Zz][Aa][Tt][Ii][Oo][Nn]|[Cc][Oo][Oo][Kk][Ii][Ee]|' +
          '[Hh][Oo][Ss][Tt]|[Cc][Oo][Nn][Tt][Ee][Nn][Tt]-[A-Za-z-]+|' +
          '[Tt][Rr][Aa][Nn][Ss][Ff][Ee][Rr]-[Ee][Nn][Cc][Oo][Dd][Ii][Nn][Gg]|' +
          '[Cc][Oo][Nn][Nn][Ee][Cc][Tt][Ii][Oo][Nn]|[Mm][Cc][Pp]-.*)$'
      }
    },
    tokenExchange: {
      type: 'object',
      additionalProperties: false,
      required: ['tokenExchange'],
      description:
        "OAuth 2.0 Token Exchange (RFC 8693): the caller's access token is exchanged for one meant for this API, " +
        'cached per caller until it expires. Needs auth.oauth on the server (the caller signs in with a token).',
      properties: {
        tokenExchange: {
          type: 'object',
          additionalProperties: false,
          required: ['clientId', 'clientSecret'],
          description: 'Where and how to exchange the token: this server as a client of the token endpoint. See docs/openapi.md.',
          properties: {
            tokenUrl: { type: 'string', description: "Token endpoint; default: the scheme's token URL in the document." },
            clientId: { type: 'string', description: "This server's client id at the token endpoint (use ${VAR})." },
            clientSecret: { type: 'string', description: 'Its client secret (use ${VAR}).' },
            audience: { type: 'string', description: 'The audience to ask for (the upstream API).' },
            resource: { type: 'string', description: 'The resource to ask for (RFC 8707), when the endpoint wants one.' },
            scopes: { type: 'array', items: { type: 'string' }, description: 'Scopes to ask for.' }
          }
        }
      }
    },
    clientCredentials: {
      type: 'object',
      additionalProperties: false,
      required: ['clientId', 'clientSecret'],
      description: 'OAuth2 client credentials grant.',
      properties: {
        clientId: { type: 'string', description: 'Client id (use ${VAR}).' },
        clientSecret: { type: 'string', description: 'Client secret (use ${VAR}).' },
        scopes: { type: 'array', items: { type: 'string' }, description: 'Scopes to request.' },
        tokenUrl: {
          type: 'string',
          description: "Token endpoint; default: the scheme's clientCredentials.tokenUrl in the document."
        }
      }
    }
  },
  source: {
    key: 'openapi',
    schema: { $ref: '#/$defs/openapiSource' },
    summary: '`openapi:` an OpenAPI document (every selected operation becomes a tool)'
  },
  tool: {
    properties: {
      operation: {
        type: 'string',
        pattern: '^[A-Za-z0-9_.-]+\\.[^.]+$',
        description:
          'Backend: `source.operationId` of an OpenAPI source; this entry overrides the generated tool (name, ' +
          'description, title, annotations).'
      },
      bodyMediaType: {
        type: 'string',
        pattern: '^[^/\\s]+/[^/\\s]+$',
        description:
          'With `operation:`: send the request body as this media type (one the operation accepts) instead of ' +
          'the preferred one (JSON, then forms, then text, then bytes).'
      }
    },
    dependentRequired: { bodyMediaType: ['operation'] },
    amends: true
  }
};
