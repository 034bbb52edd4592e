/** Every JSON-RPC error the runtime sends, in one table: code, and the HTTP status it maps to. */
export const rpcErrors = {
  parseError: { code: -32700, status: 400 },
  invalidRequest: { code: -32600, status: 400 },
  methodNotFound: { code: -32601, status: 404 },
  invalidParams: { code: -32602, status: 400 },
  internalError: { code: -32603, status: 500 },
  /** 2025-11-25: resources/read of an unknown URI. */
  resourceNotFoundLegacy: { code: -32002, status: 200 },
  headerMismatch: { code: -32020, status: 400 },
  missingCapability: { code: -32021, status: 400 },
  unsupportedVersion: { code: -32022, status: 400 },
  /** HTTP with `auth:`: no valid credentials (sent with a WWW-Authenticate challenge). */
  unauthorized: { code: -32001, status: 401 },
  /** The caller lacks a scope the tool, resource or prompt requires; `data.requiredScopes` names them. */
  insufficientScope: { code: -32003, status: 403 },
  /** Over a global or per-principal rate limit (`limits:`); sent with Retry-After, `data.retryAfterSeconds`. */
  rateLimited: { code: -32029, status: 429 },
  /** The shared rate-limit store (Redis) cannot be reached and `limits.onStoreError` is `closed`. */
  limitStoreUnavailable: { code: -32030, status: 503 },
  /** HTTP: a 2025 session already has `transport.limits.maxStreamsPerSession` open streams; sent with Retry-After. */
  tooManyStreams: { code: -32031, status: 429 },
  /** No answer within `transport.limits.requestTimeoutSeconds`: the work was cancelled. */
  requestTimeout: { code: -32032, status: 504 },
  /** HTTP: the caller already has `transport.maxSessionsPerPrincipal` 2025-era sessions open; sent with Retry-After. */
  tooManySessions: { code: -32033, status: 429 },
  /** HTTP: the server is at a global bound (`transport.maxSessions`, `transport.limits.maxBufferedBodyBytes`); sent with Retry-After. */
  serverBusy: { code: -32034, status: 503 },
  /** The server is shutting down: a request that came after the shutdown began, or a call still running when its grace period ended. */
  shuttingDown: { code: -32035, status: 503 }
} as const;

export type RpcErrorName = keyof typeof rpcErrors;

/** A protocol error: becomes a JSON-RPC error response. Carries no stack (it is not a bug). */
export class RpcError {
  readonly code: number;
  constructor(
    readonly name: RpcErrorName,
    readonly message: string,
    readonly data?: unknown,
    /** HTTP headers the answer needs (Retry-After, WWW-Authenticate); such errors keep their status in both eras. */
    readonly headers?: Readonly<Record<string, string>>
  ) {
    this.code = rpcErrors[name].code;
  }

  get httpStatus(): number {
    return rpcErrors[this.name].status;
  }
}

export function isRpcError(e: unknown): e is RpcError {
  return e instanceof RpcError;
}
