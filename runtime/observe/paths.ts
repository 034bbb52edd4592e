/** Paths the operational endpoints take on every HTTP listener: `transport.path` may not be one of them (build error). */
export const OPS_PATHS: readonly string[] = ['/healthz', '/readyz', '/metrics'];
