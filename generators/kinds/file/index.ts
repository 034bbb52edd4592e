import { readFileSync } from 'node:fs';
import { knownMimeType, mimeTypeOf, mimeTypeOfFile } from '../../../runtime/mime.js';
import type { LowerContext } from '../../lower/context.js';
import type { GeneratorKind } from '../kind.js';
import { fileSchema } from './manifest-schema.js';
import { fileDeploy } from './deploy.js';

/** Files and folders on disk, read at request time so edits show without a rebuild. */
export const fileKind: GeneratorKind<'file'> = {
  deploy: fileDeploy,
  schema: fileSchema,
  resource: {
    key: 'file',
    lower(entry, ref, ctx) {
      const path = ctx.existingPath(String(entry.file), `${ref.pointer}/file`, 'file');
      if (path === undefined) return undefined;
      // Read on every request: an edit shows without a rebuild, so it is not an input the artifact depends on.
      ctx.readAtRequest.add(path);
      return { path };
    },
    mimeType: (exec, ctx) => fileMimeType(exec.path, ctx)
  },
  resourceTemplate: {
    key: 'directory',
    lower(entry, ref, ctx) {
      if (ref.declared.length !== 1) {
        ctx.error(
          'MCPGEN_DIRECTORY_TEMPLATE',
          `a directory template needs exactly one variable, found ${ref.declared.length}`,
          `${ref.pointer}/uriTemplate`
        );
        return undefined;
      }
      const root = ctx.existingPath(String(entry.directory), `${ref.pointer}/directory`, 'directory');
      if (root === undefined) return undefined;
      ctx.readAtRequest.add(root);
      return { root };
    }
  }
};

/** By extension; for an extension no table knows, by the file's bytes now (UTF-8: text/plain). */
function fileMimeType(path: string, ctx: LowerContext): string {
  if (knownMimeType(path)) return mimeTypeOf(path);
  try {
    return mimeTypeOfFile(path, readFileSync(ctx.absolute(path)));
  } catch {
    return mimeTypeOf(path); // unreadable: lowering has reported it
  }
}
