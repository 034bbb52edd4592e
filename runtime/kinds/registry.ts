import type { KindName } from '../artifact/ir.js';
import type { RuntimeKind } from './kind.js';
import { contentKind } from './content/index.js';
import { fileKind } from './file/index.js';
import { handlerKind } from './handler/index.js';
import { mcpKind } from './mcp/index.js';
import { openapiKind } from './openapi/index.js';
import { sqlKind } from './sql/index.js';
import { templateKind } from './template/index.js';

/** Every backend kind, keyed by name; a kind missing here is a compile error. */
export const runtimeKinds: { readonly [K in KindName]: RuntimeKind<K> } = {
  template: templateKind,
  content: contentKind,
  handler: handlerKind,
  file: fileKind,
  openapi: openapiKind,
  sql: sqlKind,
  mcp: mcpKind
};
