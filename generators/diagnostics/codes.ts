/**
 * Every diagnostic mcp-gen can print, in one table. docs/errors.md documents the same codes;
 * test/docs/errors-doc.test.ts fails when the two drift apart.
 */
export const diagnosticCodes = {
  MCPGEN_YAML_SYNTAX: {
    summary: 'The manifest is not valid YAML.',
    hint: 'Fix the YAML syntax at the position shown; indentation and unclosed quotes are the usual causes.'
  },
  MCPGEN_YAML_UNQUOTED: {
    summary: 'Unquoted text in a YAML { } map was cut at a comma; the rest became a key with no value.',
    hint: 'Quote text that holds a comma inside { }: description: "Country code, e.g. US".'
  },
  MCPGEN_MANIFEST_NOT_FOUND: {
    summary: 'The manifest file does not exist.',
    hint: 'Pass the path with -m, or run `mcp-gen init` to write a starter mcp-gen.yaml.'
  },
  MCPGEN_UNKNOWN_KEY: {
    summary: 'A key the manifest schema does not define.',
    hint: 'Check the spelling; docs/manifest.md lists every key.'
  },
  MCPGEN_MISSING_KEY: { summary: 'A required key is missing.', hint: 'Add the key; docs/manifest.md shows an example.' },
  MCPGEN_TYPE: {
    summary: 'A value has the wrong type.',
    hint: 'Use the type the schema expects; quote values that YAML would otherwise read as numbers or booleans.'
  },
  MCPGEN_INVALID_VALUE: { summary: 'A value is outside what the schema allows.', hint: 'Use one of the allowed values or formats.' },
  MCPGEN_BACKEND_CHOICE: {
    summary: 'An entry must choose exactly one backend.',
    hint: 'Keep exactly one backend key (for a tool: template, content or handler).'
  },
  MCPGEN_INVALID_NAME: {
    summary: 'A tool, resource, prompt or argument name is not valid.',
    hint: 'Use 1-64 characters from A-Z, a-z, 0-9, `_`, `.` and `-`.'
  },
  MCPGEN_DUPLICATE_NAME: {
    summary: 'Two entries share one name or URI.',
    hint: 'Names must be unique among tools, among resources and among prompts; URIs among resources.'
  },
  MCPGEN_ENV_MISSING: {
    summary: 'An environment variable used by `${VAR}` is not set.',
    hint: 'Set the variable, or give a default with `${VAR:-default}`.'
  },
  MCPGEN_FILE_NOT_FOUND: {
    summary: 'A file or directory the manifest references does not exist.',
    hint: 'Paths are relative to the manifest file.'
  },
  MCPGEN_INVALID_URI: {
    summary: 'A resource URI is not a valid absolute URI.',
    hint: 'Write scheme://path, e.g. docs://readme or file:///abs/path.'
  },
  MCPGEN_INVALID_URI_TEMPLATE: {
    summary: 'A resource URI template is not a valid RFC 6570 template.',
    hint: 'Write variables as {name}; e.g. docs://pages/{page}.'
  },
  MCPGEN_INVALID_SCHEMA: {
    summary: 'A tool input or output schema is not a valid JSON Schema 2020-12.',
    hint: 'Fix the schema keyword named in the message.'
  },
  MCPGEN_SCHEMA_KEYWORD: {
    summary: 'A schema in the manifest uses a keyword JSON Schema 2020-12 does not define (usually a typo).',
    hint: 'Fix the spelling; your own annotations start with x- (mcp-gen reads fromAuth, x-mcp-header and x-sensitive).'
  },
  MCPGEN_SCHEMA_FORMAT: {
    summary:
      'A schema names a `format:` mcp-gen does not validate: an error in the manifest, a warning ' +
      '(values not checked) in an OpenAPI document.',
    hint:
      'Use a known format (date, date-time, time, duration, email, hostname, ipv4, ipv6, uri, ' +
      "uri-reference, uuid, regex, …; OpenAPI's int32, int64, float, double, byte, binary, password), " +
      'or describe the value with pattern:.'
  },
  MCPGEN_TEMPLATE_SYNTAX: {
    summary: 'A Handlebars template does not parse.',
    hint: 'Check that every {{#block}} has its {{/block}} and braces are balanced.'
  },
  MCPGEN_TEMPLATE_UNDECLARED: {
    summary: 'A template uses an argument that is not declared.',
    hint: 'Declare it under input.properties (tools), arguments (prompts) or as a URI template variable (resources), or fix the spelling.'
  },
  MCPGEN_HANDLER_COMPILE: {
    summary: 'A handler module failed to compile.',
    hint: 'Fix the error in the handler source at the position shown.'
  },
  MCPGEN_HANDLER_TYPE: {
    summary: 'A handler does not type-check against the generated types.',
    hint: 'Make the handler match `Handlers["<tool>"]` from .mcp-gen/types.d.ts.'
  },
  MCPGEN_DIRECTORY_TEMPLATE: {
    summary: 'A `directory:` resource template needs exactly one variable.',
    hint: 'Write a template such as docs://pages/{page} (or {+path} to allow sub-folders).'
  },
  MCPGEN_OPENAPI_LOAD: {
    summary: 'An OpenAPI document cannot be loaded or is not valid.',
    hint: 'Fix the document (the message names the problem), or the path in `openapi:` (relative to the manifest).'
  },
  MCPGEN_OPENAPI_OPERATION: {
    summary: 'An OpenAPI operation was skipped: it cannot become a correct tool.',
    hint: 'Fix the operation in the document, or leave it out with `exclude:` to silence this warning.'
  },
  MCPGEN_UNKNOWN_OPERATION: {
    summary: 'An `operation:` override names no operation of a source.',
    hint: 'Write `source.operationId`, with a source declared under `sources:` and an operationId from its document.'
  },
  MCPGEN_TOKEN_BUDGET: {
    summary: 'The tool list is larger than the token budget.',
    hint:
      'On an OpenAPI source with many operations set `mode: dynamic` (three tools instead of one per ' +
      'operation), or select fewer operations (include/exclude), keep `descriptions: compact` and ' +
      '`outputSchema: shape`; or raise server.tokenBudget.'
  },
  MCPGEN_SELECT: {
    summary: "A tool's `select:` is not a JMESPath expression, or names a field its result does not have.",
    hint: 'Write a JMESPath expression over the result (e.g. "items[*].{id: id, name: name}") with the field names of its outputSchema; `mcp-gen list --json` shows them.'
  },
  MCPGEN_EXAMPLE: {
    summary:
      "A tool's example call (`examples:`) could never pass: its arguments break the input schema, or `matches` is not a regular expression.",
    hint: 'Give arguments the tool accepts (its input schema) and a JavaScript regular expression in matches:, e.g. "^Hello, .+!$".'
  },
  MCPGEN_TOOLSET: {
    summary: 'A `toolsets:` entry selects no tool: no tool name, tag or source matches it.',
    hint:
      'List tool names or globs under tools: (`issues_*`), tags of generated tools under tags: (an OpenAPI ' +
      "operation's tags) and source names under sources:; `mcp-gen list` shows the names."
  },
  MCPGEN_AUTO_MODE: {
    summary: 'How a source in `mode: auto` is served: its tools, or the compact form when they would not fit the token budget.',
    hint:
      'Information only. `mode: tools` always lists one tool per operation, `mode: dynamic` always serves the ' +
      'three search/describe/call tools; server.tokenBudget sets what fits.'
  },
  MCPGEN_UNSAFE_PATTERN: {
    summary: 'A schema `pattern` (or `patternProperties` key) can take super-linear time on a long string (ReDoS).',
    hint:
      'Anchor it (`^…$`), bound its repetitions (`{1,64}` rather than `+` or `*`) and keep ' +
      'alternatives and neighbouring repetitions from matching the same text: the server runs it on ' +
      'strings up to transport.limits.maxArgumentBytes, whatever `maxLength` says.'
  },
  MCPGEN_SQL_SOURCE: {
    summary: 'A SQL backend names no SQL source, or a source is not usable.',
    hint: 'Declare the source under `sources:` with `database:` (sqlite:, postgres:// or mysql://), and name it in `source:`.'
  },
  MCPGEN_SQL_PLACEHOLDER: {
    summary: 'A SQL placeholder and the declared arguments do not match.',
    hint:
      'Every `:name` needs an input property (or URI variable) of that name, every property must be ' +
      'used, and `:{name}` needs a string enum of column names or ASC/DESC.'
  },
  MCPGEN_SQL_STATEMENTS: {
    summary: 'A SQL backend holds no statement, or more than one.',
    hint: 'Keep one statement, or set `multipleStatements: true` to run several in one transaction.'
  },
  MCPGEN_CACHE_NOT_READ_ONLY: {
    summary: 'A tool with cache: may change something: only read-only tools are cached.',
    hint: 'Declare annotations: { readOnlyHint: true } if the tool only reads, or remove cache:.'
  },
  MCPGEN_SQL_READ_ONLY: {
    summary: 'A SQL query writes, but its tool or source is read-only.',
    hint: 'Set `readOnly: false` on the source and on the tool that writes; resources and completions only read.'
  },
  MCPGEN_SQL_CHECK: {
    summary: 'The database rejected a SQL statement at build.',
    hint: "Fix the statement at the position shown (the message is the database's own)."
  },
  MCPGEN_SQL_CHECK_SKIPPED: {
    summary: 'The database could not be reached at build, so its statements were not checked.',
    hint: 'Start the database to check statements and infer outputSchema; `--db` or MCPGEN_DB_CHECK=1 makes this an error.'
  },
  MCPGEN_SQL_UNREACHABLE: {
    summary: 'The database check was required (`--db` or MCPGEN_DB_CHECK=1) but the database could not be reached.',
    hint: 'Start the database or fix `database:`; credentials come from ${VAR} references.'
  },
  MCPGEN_MCP_UNREACHABLE: {
    summary: 'An upstream MCP server (`mcp:` source) could not be reached at build, and no recorded list of its tools is there to use.',
    hint:
      'Start the upstream or fix `mcp:` (url, or command and args); after one build that reached it, ' +
      'an offline build reuses what it recorded (with a warning).'
  },
  MCPGEN_MCP_OFFLINE: {
    summary:
      'An upstream MCP server was not reached at build: its tools, resources and prompts are mounted as the last build recorded them.',
    hint: 'Start the upstream to record its current lists; `check: required` (or MCPGEN_MCP_CHECK=1) makes this an error.'
  },
  MCPGEN_MCP_SELECT: {
    summary: 'An `include:`, `exclude:` or `overrides:` entry of an MCP source matches nothing the upstream offers.',
    hint: "Use the upstream's names, URIs or URI templates as `mcp-gen list` on the upstream shows them; `*` matches any text."
  },
  MCPGEN_TEMPLATE_VARIABLES: {
    summary: 'A resource template backend does not fit its URI.',
    hint: 'A static resource (uri) has no variables; a `directory:` or `template:` backend with uriTemplate needs them.'
  },
  MCPGEN_AUTH: {
    summary: 'An auth:, scopes: or fromAuth: setting cannot work as written.',
    hint:
      'See docs/security.md: fromAuth names an argument of the tool, apiKeys names are unique, ' +
      'oauth.keys holds public keys only, auth.stdio needs apiKeys.'
  },
  MCPGEN_SECRET: {
    summary: 'A secret cannot be resolved: an encrypted value that does not decrypt, or a `${file:PATH}` that cannot be read.',
    hint:
      'Set MCPGEN_SECRET_KEY to the key the value was encrypted with (`mcp-gen secret encrypt`); ' +
      '`${file:PATH}` is relative to the manifest.'
  },
  MCPGEN_SECRET_IN_ARTIFACT: {
    summary: 'A secret would be written into the artifact in clear.',
    hint:
      'Use encrypted values and `${file:PATH}` only where the server resolves them at start: server, ' +
      "transport, sources' credentials and `database:`, auth keys."
  }
} as const satisfies Record<string, { summary: string; hint: string }>;

export type DiagnosticCode = keyof typeof diagnosticCodes;
