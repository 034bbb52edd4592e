import type { JsonSchema } from '../../kinds/kind-schema.js';

/** The policies around every call: access (auth, scopes, fromAuth), limits and the audit log. */
export const policyDefs: Readonly<Record<string, JsonSchema>> = {
  scopes: {
    type: 'array',
    items: { type: 'string', pattern: '^[\\x21\\x23-\\x5B\\x5D-\\x7E]+$' },
    uniqueItems: true,
    description: 'OAuth-style scope names (no spaces, quotes or backslashes).'
  },
  fromAuth: {
    type: 'string',
    pattern: '^(name|claims(\\.[^.\\s]+)+)$',
    description:
      "`name` (the caller's name: API key name or token subject) or `claims.<path>` (a claim of the caller's " +
      "token, or of an API key's claims:)."
  },
  fromAuthMap: { type: 'object', propertyNames: { $ref: '#/$defs/name' }, additionalProperties: { $ref: '#/$defs/fromAuth' } },
  auth: {
    type: 'object',
    additionalProperties: false,
    description: 'Authentication of HTTP callers (and optionally stdio). Without auth: every caller is trusted. See ' + 'docs/security.md.',
    anyOf: [{ required: ['apiKeys'] }, { required: ['oauth'] }],
    properties: {
      apiKeys: {
        type: 'array',
        minItems: 1,
        items: { $ref: '#/$defs/apiKey' },
        description: 'Static bearer tokens, each a principal with scopes. Clients send Authorization: Bearer <key>.'
      },
      oauth: { $ref: '#/$defs/oauth' },
      stdio: {
        type: 'object',
        additionalProperties: false,
        required: ['apiKeyEnv'],
        properties: {
          apiKeyEnv: {
            type: 'string',
            pattern: '^[A-Za-z_][A-Za-z0-9_]*$',
            description:
              'Environment variable that must hold one of apiKeys when serving stdio; the server refuses to ' + 'start otherwise.'
          }
        },
        description: 'stdio is local and trusted by default; set apiKeyEnv to require a key.'
      }
    }
  },
  apiKey: {
    type: 'object',
    additionalProperties: false,
    required: ['name', 'key'],
    properties: {
      name: { type: 'string', minLength: 1, description: "The principal's name (logs, audit, fromAuth: name)." },
      key: {
        type: 'string',
        minLength: 1,
        description:
          'The key, as a ${VAR} reference (resolved and hashed at start; only the reference is stored). A ' +
          'literal key is stored as its SHA-256.'
      },
      scopes: { $ref: '#/$defs/scopes' },
      claims: { type: 'object', description: 'Claims of this principal, for fromAuth: claims.<path>.' }
    }
  },
  oauth: {
    type: 'object',
    additionalProperties: false,
    required: ['issuer', 'audience'],
    oneOf: [{ required: ['jwksUri'] }, { required: ['keys'] }],
    description: 'An OAuth 2.1 authorization server: JWT access tokens are verified (signature, iss, aud, exp, nbf, algorithm).',
    properties: {
      issuer: {
        type: 'string',
        minLength: 1,
        description: "The tokens' iss; listed as the authorization server in the protected resource metadata."
      },
      audience: {
        type: 'string',
        pattern: '^https?://',
        description: "This server's resource URL (RFC 8707), e.g. https://mcp.example.com/mcp: tokens must name it in aud."
      },
      jwksUri: { type: 'string', pattern: '^https?://', description: "The issuer's JWKS URL (fetched and cached)." },
      keys: {
        type: 'array',
        minItems: 1,
        items: { type: 'object', required: ['kty'] },
        description: 'Public keys (JWK) instead of jwksUri.'
      },
      algorithms: {
        type: 'array',
        minItems: 1,
        uniqueItems: true,
        items: { enum: ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'] },
        default: ['RS256', 'ES256'],
        description: 'Accepted signature algorithms (asymmetric only: none and HS* are never accepted).'
      },
      clockToleranceSeconds: {
        type: 'integer',
        minimum: 0,
        maximum: 300,
        default: 30,
        description: 'Allowed clock skew for exp and nbf.'
      }
    }
  },
  rate: {
    description:
      'A token bucket: `60/minute`, or `{ rate: 60/minute, burst: 10 }` (burst: how many calls may come at once; ' + 'default N).',
    oneOf: [
      {
        type: 'string',
        pattern: '^[1-9][0-9]*/(second|minute|hour|day)$',
        description: 'N/unit, e.g. 60/minute: N calls per second, minute, hour or day.'
      },
      {
        type: 'object',
        additionalProperties: false,
        required: ['rate'],
        properties: {
          rate: {
            type: 'string',
            pattern: '^[1-9][0-9]*/(second|minute|hour|day)$',
            description: 'N/unit, e.g. 60/minute: N calls per second, minute, hour or day.'
          },
          burst: {
            type: 'integer',
            minimum: 1,
            description: 'Bucket size: calls allowed at once after a quiet spell (default: N).'
          }
        }
      }
    ]
  },
  toolLimits: {
    type: 'object',
    additionalProperties: false,
    description: 'Limits of one tool; each key overrides the default of the same name under limits:.',
    properties: {
      tool: { $ref: '#/$defs/rate', description: 'This tool, all callers together.' },
      principalTool: { $ref: '#/$defs/rate', description: 'This tool, each caller (principal) on its own.' },
      concurrency: { type: 'integer', minimum: 1, description: 'Calls of this tool running at once.' }
    }
  },
  entryCache: {
    type: 'object',
    additionalProperties: false,
    description:
      'Keep results for ttl seconds and answer identical calls (same arguments; same caller with scope: principal) ' +
      'from the cache. Tools only when read-only (annotations.readOnlyHint: true, or a kind that declares it: SQL ' +
      'reads, OpenAPI GET/HEAD). Errors and isError results are never kept. See docs/caching.md.',
    properties: {
      ttl: { type: 'integer', minimum: 1, maximum: 86400, default: 60, description: 'Seconds a result stays cached.' },
      scope: {
        enum: ['shared', 'principal'],
        description:
          'principal: each caller (principal) has its own entries; shared: every caller allowed to call the entry ' +
          'shares them. Default: principal when auth: is set, shared otherwise.'
      }
    }
  },
  cache: {
    type: 'object',
    additionalProperties: false,
    description: 'Where the results of entries with cache: live. See docs/caching.md.',
    properties: {
      store: {
        type: 'string',
        description:
          'memory (this process, a byte-bounded LRU) or a redis:// (rediss://) URL shared by every instance. ' +
          'Default: limits.store when that is a Redis URL, else memory. ${VAR} is resolved at start and never ' +
          'stored resolved.'
      },
      maxBytes: {
        type: 'integer',
        minimum: 1024,
        default: 67108864,
        description: 'Most bytes the memory store holds (keys and serialised results); the least recently used go first.'
      }
    }
  },
  state: {
    type: 'object',
    additionalProperties: false,
    description:
      'Where state a later request may need lives (2025 sessions, resumable SSE streams, subscriptions, the ' +
      'requestState key): memory (this process) or Redis, shared by every instance behind a load balancer. ' +
      'See docs/scale-out.md.',
    properties: {
      store: {
        type: 'string',
        default: 'memory',
        description:
          'memory, or a redis:// (rediss://) URL. ${VAR} is resolved at start and never stored resolved. ' +
          '`mcp-gen run --state URL` and MCPGEN_STATE win over it.'
      },
      prefix: {
        type: 'string',
        default: 'mcpgen:',
        minLength: 1,
        description: 'Prefix of every Redis key and channel: deployments (or tests) sharing one Redis use different ones.'
      }
    }
  },
  limits: {
    type: 'object',
    additionalProperties: false,
    description:
      'Rate limits (token buckets) and concurrency limits, enforced before each tool call, resource read and ' +
      'prompt get. See docs/security.md#rate-limits.',
    properties: {
      store: {
        type: 'string',
        default: 'memory',
        description:
          'Where the buckets live: memory (this process), or a redis:// (rediss://) URL shared by every ' +
          'instance. ${VAR} is resolved at start and never stored resolved. Not written: the state store when it is ' +
          'Redis (state.store), else memory.'
      },
      onStoreError: {
        enum: ['closed', 'open'],
        default: 'closed',
        description:
          'While the Redis store is unreachable: closed refuses calls (JSON-RPC error -32030, HTTP 503); open ' +
          'lets them through unlimited (logged).'
      },
      global: {
        $ref: '#/$defs/rate',
        description: 'Every call of every caller together; over it: HTTP 429 with Retry-After (JSON-RPC -32029).'
      },
      principal: {
        $ref: '#/$defs/rate',
        description: 'Each caller (principal; unauthenticated callers share `anonymous`); over it: HTTP 429 with Retry-After.'
      },
      tool: {
        $ref: '#/$defs/rate',
        description: 'Default for each tool, all callers together; over it: a tool error saying when to retry.'
      },
      principalTool: {
        $ref: '#/$defs/rate',
        description: 'Default for each tool and each caller; over it: a tool error saying when to retry.'
      },
      concurrency: {
        type: 'integer',
        minimum: 1,
        description:
          'Default for each tool: calls running at once (shared across instances with a redis store); over it: a ' + 'tool error.'
      },
      tools: {
        type: 'object',
        propertyNames: { $ref: '#/$defs/name' },
        additionalProperties: { $ref: '#/$defs/toolLimits' },
        description: 'Per-tool overrides, by tool name.'
      }
    }
  },
  audit: {
    type: 'object',
    additionalProperties: false,
    required: ['sink'],
    description:
      'Audit log: one JSON line per tool call, resource read and prompt get (denied, limited and invalid ones ' +
      'too). See docs/security.md#audit-log.',
    properties: {
      sink: {
        oneOf: [
          { const: 'stderr' },
          {
            type: 'object',
            additionalProperties: false,
            required: ['file'],
            properties: {
              file: { type: 'string', minLength: 1, description: 'Path (relative to the manifest) of the append-only log file.' }
            }
          }
        ],
        description: 'stderr, or { file: ./audit.log }.'
      },
      flushMs: {
        type: 'integer',
        minimum: 10,
        default: 1000,
        description: 'File sink: buffered lines are written at least this often (and on shutdown, then fsynced).'
      }
    }
  }
};
