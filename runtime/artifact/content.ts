/** A content block as the IR stores it (prompt messages, content-kind tools): shared by the artifact and the kinds. */
export interface ContentBlockIR {
  readonly type: 'text' | 'image' | 'audio' | 'resource';
  readonly text?: string;
  /** base64 for image, audio and binary embedded resources */
  readonly data?: string;
  readonly mimeType?: string;
  readonly uri?: string;
}

/** A content block as the protocol carries it (prompt messages, content-kind tool results). */
export function toContentBlock(b: ContentBlockIR): Record<string, unknown> {
  switch (b.type) {
    case 'text':
      return { type: 'text', text: b.text ?? '' };
    case 'image':
    case 'audio':
      return { type: b.type, data: b.data ?? '', mimeType: b.mimeType ?? 'application/octet-stream' };
    case 'resource':
      return {
        type: 'resource',
        resource:
          b.data !== undefined
            ? { uri: b.uri, mimeType: b.mimeType, blob: b.data }
            : { uri: b.uri, mimeType: b.mimeType ?? 'text/plain', text: b.text ?? '' }
      };
  }
}
