import type { KindSchema } from '../kind-schema.js';

/** The query and its result settings, alike on tools, resources and resource templates. */
const query = {
  sql: {
    type: 'string',
    minLength: 1,
    description:
      'Backend: a SQL query on `source`; `:name` placeholders are bound to arguments, `:{name}` substitutes an ' +
      'identifier from an enum. See docs/sql.md.'
  },
  sqlFile: { type: 'string', description: 'Backend: like sql, read from a file (relative to the manifest).' },
  source: { $ref: '#/$defs/name', description: 'The SQL source (under sources:) that sql or sqlFile queries.' },
  format: {
    enum: ['json', 'markdown', 'csv'],
    default: 'json',
    description: 'SQL backends: the text rendering of the rows (structured content is always JSON).'
  },
  maxRows: {
    type: 'integer',
    minimum: 1,
    default: 100,
    description: 'SQL backends: rows per result; more rows give a truncation notice and a cursor for the next page.'
  },
  maxBytes: {
    type: 'integer',
    minimum: 256,
    default: 262144,
    description: 'SQL backends: JSON bytes of rows per result; cut like maxRows.'
  },
  multipleStatements: {
    type: 'boolean',
    default: false,
    description:
      "SQL backends: allow several `;`-separated statements, run in order in one transaction; the last one's " + 'rows are the result.'
  }
};

const needsSource = { if: { anyOf: [{ required: ['sql'] }, { required: ['sqlFile'] }] }, then: { required: ['source'] } };

/** SQL sources (`database:`), queries on tools and resources, and completions from a query. */
export const sqlSchema: KindSchema = {
  defs: {
    sqlSource: {
      type: 'object',
      additionalProperties: false,
      required: ['database'],
      description: 'A SQL database: SQLite, PostgreSQL or MySQL/MariaDB. See docs/sql.md.',
      properties: {
        database: {
          type: 'string',
          pattern: '^(sqlite3?|postgres(ql)?|mysql|mariadb):',
          description:
            'Connection URL: sqlite:./data/shop.db (relative to the manifest), postgres://user@host:5432/db or ' +
            'mysql://user@host:3306/db. Put credentials in ${VAR}: the reference is kept in the artifact and resolved at ' +
            'first use, never logged.'
        },
        readOnly: {
          type: 'boolean',
          default: true,
          description:
            'Enforced by the database (SQLite opened read-only, read-only transactions elsewhere). false lets ' +
            'tools with readOnly: false write.'
        },
        pool: {
          type: 'object',
          additionalProperties: false,
          properties: { min: { type: 'integer', minimum: 0, default: 0 }, max: { type: 'integer', minimum: 1, default: 10 } },
          description: 'Connection pool size (PostgreSQL, MySQL; SQLite uses one connection).'
        },
        statementTimeoutMs: {
          type: 'integer',
          minimum: 1,
          default: 30000,
          description:
            'Longer statements are cancelled (PostgreSQL statement_timeout, KILL QUERY on MySQL/MariaDB; SQLite: ' +
            'the statement is stopped in its thread, see docs/sql.md).'
        },
        isolation: {
          enum: ['thread', 'process'],
          default: 'thread',
          description:
            'SQLite only: where its statements run. thread (fast): a stopped statement ends at the next row ' +
            'SQLite returns, so an aggregate or sort over a huge table finishes its step in the background first. process: a ' +
            'stopped statement is killed at once, for a little more per call. See docs/sql.md.'
        },
        seed: {
          type: 'string',
          description:
            'SQLite only: a SQL file (relative to the manifest) that `mcp-gen build` runs to create the database ' +
            'file when it does not exist.'
        },
        scopes: {
          $ref: '#/$defs/scopes',
          description: "Default scopes of every tool, resource and template that queries this source (an entry's own " + 'scopes: win).'
        },
        check: {
          enum: ['auto', 'required', 'off'],
          default: 'auto',
          description:
            "The build-time check of this source's statements: auto (when the database is reachable), required " +
            '(unreachable is an error), off. `--db` or MCPGEN_DB_CHECK=1 make every source required, MCPGEN_DB_CHECK=0 turns ' +
            'all off.'
        }
      }
    },
    sqlComplete: {
      type: 'object',
      additionalProperties: false,
      required: ['sql'],
      description: 'A completion query.',
      properties: {
        source: { $ref: '#/$defs/name', description: "The SQL source; default: the resource's own source." },
        sql: { type: 'string', minLength: 1, description: 'SELECT whose first column lists the values; may use :prefix.' }
      }
    }
  },
  source: {
    key: 'database',
    schema: { $ref: '#/$defs/sqlSource' },
    summary: '`database:` a SQL database that tools, resources and completions query'
  },
  tool: {
    properties: {
      ...query,
      readOnly: {
        type: 'boolean',
        description: 'SQL tools: false lets the query write (in a transaction; annotated destructive). Default: the ' + "source's readOnly."
      }
    },
    allOf: [needsSource]
  },
  resource: {
    properties: {
      ...query,
      complete: {
        type: 'object',
        propertyNames: { $ref: '#/$defs/name' },
        additionalProperties: { $ref: '#/$defs/sqlComplete' },
        description: 'Completions for URI template variables, by variable name, from a query.'
      }
    },
    allOf: [needsSource]
  },
  complete: {
    $ref: '#/$defs/sqlComplete',
    description: 'Completions from a query: `:prefix` is the text typed so far; the first column of each row is offered.'
  }
};
