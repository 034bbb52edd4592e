import type { ContentBlockIR } from '../../artifact/content.js';

/** The content kind's IR: fixed content blocks (tools) or text (resources). */
export interface ContentToolExec {
  readonly content: readonly ContentBlockIR[];
}

export interface ContentResourceExec {
  readonly text: string;
}
