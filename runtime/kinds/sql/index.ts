import type { SqlExec } from './ir.js';
import type { ResourceReader, RuntimeKind, Services, VariableCompleter } from '../kind.js';
import { textResult } from '../kind.js';
import { RpcError } from '../../core/errors.js';
import { completer, variablesCompleter } from './complete.js';
import { SqlSource } from './connection.js';
import { runQuery, sourceOf } from './query.js';
import { cursorKeyOf, decodeCursor, notice, paginate, render, structured } from './shape.js';

const mimeTypes = { json: 'application/json', markdown: 'text/markdown', csv: 'text/csv' } as const;

/** Queries a SQL source: tool arguments or URI variables are bound to the statement's `:name` placeholders. */
export const sqlKind: RuntimeKind<'sql'> = {
  changing: true,
  source: { open: (name, ir, services) => new SqlSource(name, ir, services.root, services.telemetry) },
  complete: (ir, services) => completer(ir, services),
  tool(exec, services, entry) {
    const source = sourceOf(exec, services);
    return async (args, ctx) => {
      const key = cursorKeyOf(entry.name, args);
      const offset = decodeCursor(args.cursor, key);
      if (typeof offset !== 'number') return textResult(offset.error, true);
      const outcome = await runQuery(exec, source, services, args, ctx, offset + exec.maxRows + 1, ctx.trace);
      if ('error' in outcome) return textResult(outcome.error, true);
      const page = paginate(outcome.raw, exec, offset, key);
      const cut = notice(page, exec);
      return {
        content: [{ type: 'text', text: render(page, exec.format) }, ...(cut ? [{ type: 'text', text: cut }] : [])],
        structuredContent: structured(page)
      };
    };
  },
  resource(exec, services, entry) {
    return reader(exec, services, entry.mimeType, false);
  },
  resourceTemplate(exec, services, entry) {
    const read = reader(exec, services, entry.mimeType, true) as ResourceReader & { complete?: VariableCompleter };
    if (exec.complete) read.complete = variablesCompleter(exec.complete, services);
    return read;
  }
};

/** A template whose query finds no row reads as "not found"; a static resource shows its empty table. */
function reader(exec: SqlExec, services: Services, mimeType: string | undefined, template: boolean): ResourceReader {
  const source = sourceOf(exec, services);
  return async (uri, variables, context) => {
    const outcome = await runQuery(
      exec,
      source,
      services,
      variables,
      { signal: AbortSignal.timeout(source.ir.statementTimeoutMs * 2) },
      exec.maxRows + 1,
      context?.trace
    );
    if ('error' in outcome) {
      // A URI value the database cannot take (text for an integer column) is the caller's mistake, not a server fault.
      if (outcome.refused && template) throw new RpcError('invalidParams', `Cannot read ${uri}: ${outcome.error}`, { uri });
      throw new Error(outcome.error);
    }
    const page = paginate(outcome.raw, exec, 0, undefined);
    if (template && page.rows.length === 0 && !page.truncated) return undefined;
    const cut = exec.format === 'markdown' ? notice(page, exec) : undefined;
    return [{ uri, mimeType: mimeType ?? mimeTypes[exec.format], text: render(page, exec.format) + (cut ? `\n\n${cut}` : '') }];
  };
}
