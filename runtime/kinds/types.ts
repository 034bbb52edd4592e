import type { ContentResourceExec, ContentToolExec } from './content/ir.js';
import type { FileResourceExec, FileTemplateExec } from './file/ir.js';
import type { HandlerToolExec } from './handler/ir.js';
import type { McpExec, McpSourceIR } from './mcp/ir.js';
import type { OpenApiMetaExec, OpenApiSourceIR, OpenApiToolExec } from './openapi/ir.js';
import type { SqlExec, SqlQueryIR, SqlSourceIR } from './sql/ir.js';
import type { TemplateExec } from './template/ir.js';

/**
 * Part of the runtime registry: what each kind stores in the artifact, per entry type, for its sources and for
 * prompt-argument completion; `never` where the kind has none. runtime/artifact/ir.ts derives its unions from it.
 * Optional columns: `prompt` (prompts the kind serves itself, with a runtime `prompt` factory) and `sourceOnly`
 * (entry types only its sources generate: no manifest entry selects the kind, so it has no lowering for them).
 */
export interface KindTypes {
  template: { tool: TemplateExec; resource: TemplateExec; resourceTemplate: TemplateExec; source: never; complete: never };
  content: { tool: ContentToolExec; resource: ContentResourceExec; resourceTemplate: never; source: never; complete: never };
  handler: { tool: HandlerToolExec; resource: never; resourceTemplate: never; source: never; complete: never };
  file: { tool: never; resource: FileResourceExec; resourceTemplate: FileTemplateExec; source: never; complete: never };
  openapi: { tool: OpenApiToolExec | OpenApiMetaExec; resource: never; resourceTemplate: never; source: OpenApiSourceIR; complete: never };
  sql: { tool: SqlExec; resource: SqlExec; resourceTemplate: SqlExec; source: SqlSourceIR; complete: SqlQueryIR };
  mcp: {
    tool: McpExec;
    resource: McpExec;
    resourceTemplate: McpExec;
    prompt: McpExec;
    source: McpSourceIR;
    complete: never;
    sourceOnly: 'tool' | 'resource' | 'resourceTemplate';
  };
}
