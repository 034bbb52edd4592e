import type { GeneratorKind } from '../kind.js';
import { fileSchema } from './manifest-schema.js';

/** Files and folders on disk, read at request time so edits show without a rebuild. */
export const fileKind: GeneratorKind<'file'> = {
  schema: fileSchema,
  resource: {
    key: 'file',
    lower(entry, ref, ctx) {
      const path = ctx.existingPath(String(entry.file), `${ref.pointer}/file`, 'file');
      return path === undefined ? undefined : { path };
    }
  },
  resourceTemplate: {
    key: 'directory',
    lower(entry, ref, ctx) {
      if (ref.declared.length !== 1) {
        ctx.error('MCPGEN_DIRECTORY_TEMPLATE', `a directory template needs exactly one variable, found ${ref.declared.length}`, `${ref.pointer}/uriTemplate`);
        return undefined;
      }
      const root = ctx.existingPath(String(entry.directory), `${ref.pointer}/directory`, 'directory');
      return root === undefined ? undefined : { root };
    }
  }
};
