/**
 * What an entry costs the model's context, approximately: the bytes of its JSON descriptor (as a client receives it
 * in a list) divided by four, the usual rule of thumb for English and JSON. One estimate for the build's budget
 * check, `mode: auto` and `mcp-gen list --tokens`, so they always agree.
 */
export const tokensOfBytes = (bytes: number): number => Math.ceil(bytes / 4);

export const descriptorBytes = (descriptor: unknown): number => Buffer.byteLength(JSON.stringify(descriptor));

/** The tokens of a list of entries, each counted by its descriptor. */
export function listTokens(entries: readonly { readonly descriptor: unknown }[]): number {
  return tokensOfBytes(entries.reduce((n, e) => n + descriptorBytes(e.descriptor), 0));
}
