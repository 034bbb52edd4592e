/** A content block as the IR stores it (prompt messages, content-kind tools): shared by the artifact and the kinds. */
export interface ContentBlockIR {
  readonly type: 'text' | 'image' | 'audio' | 'resource';
  readonly text?: string;
  /** base64 for image, audio and binary embedded resources */
  readonly data?: string;
  readonly mimeType?: string;
  readonly uri?: string;
}
