import type { JsonSchema } from '../../kinds/kind-schema.js';

/** The server and how it is served. */
export const serverDefs: Readonly<Record<string, JsonSchema>> = {
  server: {
    type: 'object',
    description: 'Who the server says it is.',
    additionalProperties: false,
    required: ['name', 'version'],
    properties: {
      name: { type: 'string', minLength: 1, description: 'Server name reported to clients.' },
      version: { type: 'string', minLength: 1, description: 'Server version reported to clients.' },
      title: { type: 'string', description: 'Human-readable name.' },
      instructions: { type: 'string', description: "Text the client may add to the model's system prompt." },
      pageSize: {
        type: 'integer',
        minimum: 1,
        maximum: 10000,
        default: 100,
        description: 'Items per page of each list (cursor pagination).'
      },
      maxResultBytes: {
        $ref: '#/$defs/maxResultBytes',
        description: "Split every tool's larger results into parts (a source's or a tool's own maxResultBytes wins); unset: never split."
      },
      continuationTtl: {
        type: 'integer',
        minimum: 1,
        default: 900,
        description:
          'Seconds a split result is kept for the calls that read its next parts (in the cache store: memory, or Redis ' +
          'shared by every instance).'
      },
      tokenBudget: {
        type: 'integer',
        minimum: 1,
        default: 50000,
        description: 'Warn at build when the tool list, as a model sees it, is larger than this many tokens (approximate: ' + 'bytes / 4).'
      }
    }
  },
  transport: {
    type: 'object',
    description: 'Defaults for `mcp-gen run`; command-line flags win.',
    additionalProperties: false,
    properties: {
      type: { enum: ['stdio', 'http'], default: 'stdio', description: 'Serve over stdio or Streamable HTTP.' },
      host: { type: 'string', default: '127.0.0.1', description: 'HTTP listen address.' },
      port: { type: ['integer', 'string'], default: 3000, description: 'HTTP port (a number, or `${PORT}`).' },
      path: { type: 'string', pattern: '^/', default: '/mcp', description: 'HTTP endpoint path.' },
      allowedHosts: {
        type: 'array',
        items: { type: 'string' },
        default: [],
        description: 'Host header values accepted besides loopback names (DNS-rebinding protection).'
      },
      allowedOrigins: {
        type: 'array',
        items: { type: 'string' },
        default: [],
        description: 'Origin header values accepted besides loopback origins.'
      },
      maxBodyBytes: { type: 'integer', minimum: 1024, default: 4194304, description: 'Largest accepted request body.' },
      maxSessions: {
        type: 'integer',
        minimum: 1,
        default: 1000,
        description:
          'Most concurrent 2025-era sessions of all callers together; past it a new session is refused (HTTP ' +
          '503, Retry-After) until one ends or expires. Open sessions are never evicted.'
      },
      maxSessionsPerPrincipal: {
        type: 'integer',
        minimum: 1,
        default: 100,
        description:
          'Most concurrent 2025-era sessions of one principal (of one client address when unauthenticated); past ' +
          "it that caller's new session is refused (HTTP 429, JSON-RPC -32033) and no other caller's session is touched."
      },
      legacySse: {
        type: 'boolean',
        default: false,
        description:
          'Also serve the deprecated HTTP+SSE transport of protocol 2024-11-05 for old clients: GET /sse opens the ' +
          'stream, POST /messages?sessionId=… sends (both paths reserved). A stream lives in the instance that ' +
          'opened it: behind several instances it needs sticky routing.'
      },
      websocket: {
        type: 'boolean',
        default: false,
        description:
          'Also accept WebSocket connections on the HTTP endpoint path (ws://host:port/mcp, subprotocol mcp): one ' +
          'JSON-RPC message per text frame, with the same Host/Origin checks, auth, limits and audit as HTTP.'
      },
      trustProxy: {
        type: 'boolean',
        default: false,
        description:
          'Take the client address from the last X-Forwarded-For entry, the one the proxy in front appended (for ' +
          'per-address session quotas). Only behind such a proxy: without one, any client can send the header.'
      },
      sessionIdleSeconds: {
        type: 'integer',
        minimum: 1,
        default: 1800,
        description: 'A 2025-era session unused this long is closed.'
      },
      logLevel: { enum: ['debug', 'info', 'warn', 'error'], default: 'info', description: 'Server log level (stderr).' },
      metrics: {
        description:
          'Prometheus metrics at `GET /metrics` on the HTTP listener (outside MCP auth and the Host allow-list): `true` ' +
          '(the default when unset), `false` (404), or `{ token: ${METRICS_TOKEN} }` to ask scrapers for `Authorization: Bearer` ' +
          'with that token (resolved at start, never written into the artifact). See docs/operations.md.',
        oneOf: [
          { type: 'boolean' },
          {
            type: 'object',
            additionalProperties: false,
            required: ['token'],
            properties: {
              token: {
                type: 'string',
                description: 'Bearer token scrapers must send; write it as `${VAR}` so it stays out of the manifest.'
              }
            }
          }
        ]
      },
      tls: {
        type: 'object',
        description:
          'Serve HTTPS: PEM files, relative to the manifest (or `${VAR}`); `--tls-cert` / `--tls-key` win. See ' +
          'docs/security.md#transport.',
        additionalProperties: false,
        required: ['cert', 'key'],
        properties: {
          cert: { type: 'string', minLength: 1, description: 'Certificate chain (PEM file).' },
          key: { type: 'string', minLength: 1, description: 'Private key (PEM file).' }
        }
      },
      limits: {
        type: 'object',
        description: 'Limits on what one request may hold or take; see docs/security.md#transport.',
        additionalProperties: false,
        properties: {
          maxJsonDepth: {
            type: 'integer',
            minimum: 2,
            default: 64,
            description: 'Deepest nesting of arrays and objects in a message (HTTP body or stdio line).'
          },
          maxArgumentBytes: {
            type: 'integer',
            minimum: 1,
            default: 1048576,
            description: 'Largest single argument of tools/call, prompts/get or completion/complete, as JSON bytes.'
          },
          maxLineBytes: {
            type: 'integer',
            minimum: 1024,
            default: 4194304,
            description:
              'Longest stdio line (one message), in bytes; refused as soon as it passes the limit, the rest of ' +
              'the line skipped. Default: `transport.maxBodyBytes` (4 MiB).'
          },
          maxStreamsPerSession: {
            type: 'integer',
            minimum: 1,
            default: 32,
            description: 'Most open HTTP streams (requests in flight and GET streams) of one 2025-era session.'
          },
          bodyTimeoutSeconds: {
            type: 'number',
            exclusiveMinimum: 0,
            default: 30,
            description: "Time allowed to receive an HTTP request's headers and body."
          },
          requestTimeoutSeconds: {
            type: 'number',
            exclusiveMinimum: 0,
            default: 300,
            description: 'Time allowed to answer a request (subscriptions/listen excepted); past it the work is cancelled.'
          },
          maxBufferedBodyBytes: {
            type: 'integer',
            minimum: 1024,
            default: 67108864,
            description:
              "HTTP: bytes of request bodies held at once, all connections together, from a body's first byte " +
              'until its request is answered (never less than maxBodyBytes). A body that does not fit is refused with 503 ' +
              "and Retry-After: 1, so slow uploads, or bodies waiting for slow calls, cannot hold the server's memory."
          }
        }
      }
    }
  }
};
