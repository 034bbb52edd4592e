/** The client SDK's codes for a connection that no longer works (SdkErrorCode values; no SDK import here). */
const connectionCodes = new Set(['NOT_CONNECTED', 'CONNECTION_CLOSED', 'SEND_FAILED']);

/** The connection itself failed (closed, or an HTTP session the upstream forgot): the next call must reconnect. */
export function isConnectionFailure(e: unknown): boolean {
  const code = (e as { code?: unknown })?.code;
  if (typeof code === 'string' && connectionCodes.has(code)) return true;
  return /\bHTTP 404\b|session not found/i.test((e as Error)?.message ?? '');
}
