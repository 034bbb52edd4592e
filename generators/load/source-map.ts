import { isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';
import type { SourcePosition } from '../diagnostics/diagnostic.js';

/** Maps JSON pointers into a parsed YAML document back to file:line:col. */
export interface SourceMap {
  readonly file: string;
  /** Position of the value at `pointer`, or of its key when `key` is set; falls back to the nearest ancestor. */
  locate(pointer: string, options?: { key?: boolean }): SourcePosition;
  /** Position of the given character offset in the file. */
  at(offset: number): SourcePosition;
  /** Offset where the value at `pointer` starts, if it exists. */
  offsetOf(pointer: string): number | undefined;
}

export function splitPointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export function joinPointer(parts: readonly (string | number)[]): string {
  return parts.map((p) => '/' + String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

interface Found {
  node: Node | null;
  keyNode: Node | null;
}

function walk(doc: Document, parts: string[]): Found[] {
  const trail: Found[] = [{ node: doc.contents as Node | null, keyNode: null }];
  let current = doc.contents as unknown;
  for (const part of parts) {
    let next: Found | undefined;
    if (isMap(current)) {
      const pair = current.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === part);
      if (pair) next = { node: (pair.value as Node | null) ?? (pair.key as Node), keyNode: pair.key as Node };
    } else if (isSeq(current)) {
      const item = current.items[Number(part)];
      if (item !== undefined) next = { node: item as Node, keyNode: null };
    }
    if (!next) break;
    trail.push(next);
    current = next.node;
  }
  return trail;
}

export function createSourceMap(file: string, doc: Document, lines: LineCounter): SourceMap {
  const at = (offset: number): SourcePosition => {
    const pos = lines.linePos(offset);
    return { file, line: pos.line, col: pos.col };
  };
  const offsetFor = (found: Found, key: boolean): number | undefined => {
    const node = key && found.keyNode ? found.keyNode : found.node;
    return node?.range?.[0];
  };
  return {
    file,
    at,
    locate(pointer, options = {}) {
      const parts = splitPointer(pointer);
      const trail = walk(doc, parts);
      const exact = trail.length === parts.length + 1;
      for (let i = trail.length - 1; i >= 0; i--) {
        const offset = offsetFor(trail[i]!, exact && i === trail.length - 1 && options.key === true);
        if (offset !== undefined) return at(offset);
      }
      return { file, line: 1, col: 1 };
    },
    offsetOf(pointer) {
      const parts = splitPointer(pointer);
      const trail = walk(doc, parts);
      if (trail.length !== parts.length + 1) return undefined;
      return trail[trail.length - 1]!.node?.range?.[0];
    }
  };
}
