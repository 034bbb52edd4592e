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
  unsupportedVersion: { code: -32022, status: 400 }
} as const;

export type RpcErrorName = keyof typeof rpcErrors;

/** A protocol error: becomes a JSON-RPC error response. Carries no stack (it is not a bug). */
export class RpcError {
  readonly code: number;
  constructor(
    readonly name: RpcErrorName,
    readonly message: string,
    readonly data?: unknown
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
