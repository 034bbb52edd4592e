import type { KindSchema } from '../kind-schema.js';

/** `handler:` on tools, and the sandbox they run in (top-level `sandbox:`, a tool's own `sandbox:`). */
export const handlerSchema: KindSchema = {
  manifest: {
    sandbox: {
      $ref: '#/$defs/sandbox',
      description:
        "How handler tools run: isolated in worker threads (default), in a child process under Node's " +
        "permission model (strict), or in the server's thread (none). A tool's own `sandbox:` overrides these keys. See " +
        'docs/security.md#handlers.'
    }
  },
  defs: {
    sandbox: {
      type: 'object',
      additionalProperties: false,
      properties: {
        mode: {
          enum: ['worker', 'strict', 'none'],
          default: 'worker',
          description:
            "worker: a worker thread with its own heap; strict: a child process under Node's permission model " +
            "(file access limited to allowRead/allowWrite); none: the server's thread (no isolation)."
        },
        heapMb: {
          type: 'integer',
          minimum: 16,
          maximum: 65536,
          default: 256,
          description:
            'Memory limit of each sandbox (MB). worker: bounds the V8 heap and, separately, the memory held ' +
            'outside it (Buffers, typed arrays, large strings), measured while a call runs; a worker may hold up to about ' +
            "twice this. strict: bounds the child process's heap only. A handler that exceeds it gets a tool error and its " +
            'sandbox is replaced.'
        },
        timeoutMs: {
          type: 'integer',
          minimum: 1,
          default: 60000,
          description:
            "Time limit of one call (ms), not counting waits for the client's answers; the sandbox is stopped " +
            'and the call gets a tool error.'
        },
        workers: {
          type: 'integer',
          minimum: 1,
          maximum: 256,
          default: 4,
          description: 'Calls that may run at once (one per worker or process); more wait in line.'
        },
        allowRead: {
          type: 'array',
          items: { type: 'string', minLength: 1 },
          description: 'strict: files and folders the handler may read (relative to the manifest).'
        },
        allowWrite: {
          type: 'array',
          items: { type: 'string', minLength: 1 },
          description: 'strict: files and folders the handler may write (relative to the manifest).'
        }
      }
    }
  },
  tool: {
    properties: {
      handler: {
        type: 'string',
        description:
          'Backend: a TypeScript or JavaScript module (path relative to the manifest) whose default export ' + 'handles the call.'
      },
      sandbox: { $ref: '#/$defs/sandbox', description: 'Handler tools: overrides the top-level sandbox settings for this tool.' }
    },
    dependentRequired: { sandbox: ['handler'] }
  }
};
