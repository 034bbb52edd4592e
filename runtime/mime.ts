import { extname } from 'node:path';
import mime from 'mime';

/**
 * Where the `mime` package says something unhelpful for a source tree: `.ts` is video/mp2t there, `.rs` an XML
 * format, `.sh`/`.php`/`.pl`/`.cjs` application types that would be served as blobs.
 */
const overrides: Record<string, string> = {
  '.ts': 'text/x-typescript',
  '.mts': 'text/x-typescript',
  '.cts': 'text/x-typescript',
  '.cjs': 'text/javascript',
  '.py': 'text/x-python',
  '.go': 'text/x-go',
  '.rs': 'text/x-rust',
  '.java': 'text/x-java',
  '.sh': 'text/x-shellscript',
  '.php': 'text/x-php',
  '.pl': 'text/x-perl',
  '.tex': 'text/x-tex',
  '.yaml': 'application/yaml',
  '.yml': 'application/yaml',
  '.ico': 'image/x-icon',
  '.flac': 'audio/flac'
};

const OCTET_STREAM = 'application/octet-stream';
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The type its extension says, or undefined when neither the overrides nor the `mime` package know it. */
export function knownMimeType(path: string): string | undefined {
  const ext = extname(path).toLowerCase();
  return overrides[ext] ?? mime.getType(ext) ?? undefined;
}

export function mimeTypeOf(path: string): string {
  return knownMimeType(path) ?? OCTET_STREAM;
}

/** Text is served as `text`, everything else as a base64 `blob`. */
export function isTextMime(type: string): boolean {
  return (
    type.startsWith('text/') || /^application\/([\w.+-]+\+)?(json|xml|yaml|toml|sql|javascript)$/.test(type) || type === 'image/svg+xml'
  );
}

export function isUtf8(bytes: Uint8Array): boolean {
  try {
    strictUtf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** The type of a file: declared, else from its extension, else text/plain if its bytes are UTF-8 (an unknown extension). */
export function mimeTypeOfFile(path: string, bytes: Uint8Array, declared?: string): string {
  return declared ?? knownMimeType(path) ?? (isUtf8(bytes) ? 'text/plain' : OCTET_STREAM);
}

export type FileContents = { mimeType: string; text: string } | { mimeType: string; blob: string };

/** A file's bytes as MCP contents: `text` for text types, a base64 `blob` otherwise. */
export function fileContents(path: string, bytes: Buffer, declared?: string): FileContents {
  const mimeType = mimeTypeOfFile(path, bytes, declared);
  return isTextMime(mimeType) ? { mimeType, text: bytes.toString('utf8') } : { mimeType, blob: bytes.toString('base64') };
}
