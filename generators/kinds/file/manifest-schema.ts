import type { KindSchema } from '../kind-schema.js';

/** `file:` on resources, `directory:` on resource templates. */
export const fileSchema: KindSchema = {
  resource: {
    properties: {
      file: { type: 'string', description: 'Backend: a file (path relative to the manifest), read on every request.' },
      directory: {
        type: 'string',
        description: "Backend (templates): a folder; the template's variable names a file inside it."
      }
    }
  }
};
