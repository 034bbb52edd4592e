import type { DescribedColumn } from '../../../runtime/kinds/sql/dialect.js';

/**
 * The structured result of a SQL tool: rows (typed by the build-time check when the database was reachable,
 * any object otherwise), their count, and paging fields.
 */
export function resultSchema(columns: readonly DescribedColumn[] | undefined): Record<string, unknown> {
  const row =
    columns && columns.length > 0 && new Set(columns.map((c) => c.name)).size === columns.length
      ? { type: 'object', properties: Object.fromEntries(columns.map((c) => [c.name, c.schema])), required: columns.map((c) => c.name) }
      : { type: 'object' };
  return {
    type: 'object',
    properties: {
      rows: { type: 'array', items: row },
      rowCount: { type: 'integer', description: 'Rows in this page.' },
      affectedRows: { type: 'integer', description: 'Rows changed, for a statement that returns none.' },
      truncated: { type: 'boolean', description: 'More rows exist than this page shows.' },
      nextCursor: { type: 'string', description: 'Pass as cursor to read the next page.' }
    },
    required: ['rows', 'rowCount']
  };
}
