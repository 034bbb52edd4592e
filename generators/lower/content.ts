import { readFileSync } from 'node:fs';
import { isTextMime, mimeTypeOf, mimeTypeOfFile } from '../../runtime/mime.js';
import type { ContentBlockIR } from '../../runtime/artifact/ir.js';
import type { LowerContext } from './context.js';

/** One MCP content block (text, image, audio, embedded resource), read at build: fixed tool content and prompt messages. */
export function lowerContentItem(item: Record<string, unknown>, pointer: string, ctx: LowerContext): ContentBlockIR | undefined {
  const type = item.type as ContentBlockIR['type'];
  if (type === 'text') return { type, text: String(item.text) };
  const file = typeof item.file === 'string' ? ctx.existingPath(item.file, `${pointer}/file`, 'file') : undefined;
  if (typeof item.file === 'string' && file === undefined) return undefined;
  const declared = typeof item.mimeType === 'string' ? item.mimeType : undefined;
  const bytes = file ? readFileSync(ctx.absolute(file)) : undefined;
  if (type === 'image' || type === 'audio') return { type, data: bytes!.toString('base64'), mimeType: declared ?? mimeTypeOf(file!) };
  const mimeType = file ? mimeTypeOfFile(file, bytes!, declared) : (declared ?? 'text/plain');
  const uri = String(item.uri);
  if (bytes && !isTextMime(mimeType)) return { type, uri, mimeType, data: bytes.toString('base64') };
  return { type, uri, mimeType, text: bytes ? bytes.toString('utf8') : String(item.text ?? '') };
}
