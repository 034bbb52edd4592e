import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { createSourceMap } from '../../load/source-map.js';
import { decodePointer } from './schema/refs.js';

/** Larger documents are not parsed a second time just to place a message (seconds for GitHub's 10 MB). */
const MAX_BYTES = 2 * 2 ** 20;

/**
 * `api.yaml:12:7` for document pointers (`#/paths/~1pets/get`), read from the file's text (YAML or JSON), or
 * undefined when the file is too large or unreadable. Only used when something is wrong, so it costs nothing
 * on a clean build.
 */
export function specLocator(file: string): ((pointer: string) => string) | undefined {
  try {
    if (statSync(file).size > MAX_BYTES) return undefined;
    const lines = new LineCounter();
    const doc = parseDocument(readFileSync(file, 'utf8'), { lineCounter: lines, uniqueKeys: false });
    const map = createSourceMap(basename(file), doc, lines);
    return (pointer) => {
      const at = map.locate(
        decodePointer(pointer.replace(/^#/, ''))
          .map((p) => `/${p.replace(/~/g, '~0').replace(/\//g, '~1')}`)
          .join('')
      );
      return `${at.file}:${at.line}:${at.col}`;
    };
  } catch {
    return undefined;
  }
}

/** specLocator, built on first use. */
export function lazyLocator(file: string): (pointer: string) => string | undefined {
  let locate: ((pointer: string) => string) | undefined | null = null;
  return (pointer) => {
    if (locate === null) locate = specLocator(file);
    return locate?.(pointer);
  };
}
