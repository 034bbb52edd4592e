import { resolve } from 'node:path';
import { loadArtifact } from '../../../runtime/artifact/load.js';
import type { Artifact } from '../../../runtime/artifact/ir.js';
import { rootTools, toolsetPath } from '../../../runtime/artifact/toolsets.js';
import type { Channel } from '../../../runtime/core/context.js';
import { createCore } from '../../../runtime/serve.js';
import { createLogger } from '../../../runtime/log.js';
import { jsonArg, help, parse, UsageError } from '../args.js';
import { descriptorBytes, tokensOfBytes as approxTokens } from '../../lower/tokens.js';

export const listHelp = `mcp-gen list [-o DIR] [--json] [--tokens] [--toolset NAME]

Lists the tools, resources, resource templates and prompts of a build, with the size of each as a
client receives it: bytes of JSON and approximate tokens (bytes / 4). With toolsets, each
toolset's size follows.

  -o, --out DIR     artifact directory (default ./.mcp-gen)
      --json        machine-readable output
      --tokens      largest first: what the model's context pays for
      --toolset NAME
                    what that toolset's endpoint serves instead of the root's
`;
export const callHelp = `mcp-gen call TOOL [--args JSON] [-o DIR]

Runs one tool in-process, without a client, and prints the result. Logs and progress go to stderr.
Exit code 1 when the result is an error.

  --args JSON     the arguments, a JSON object (default {})
  -o, --out DIR   artifact directory (default ./.mcp-gen)
`;
export const readHelp = `mcp-gen read URI [-o DIR]

Reads one resource in-process and prints the result.

  -o, --out DIR   artifact directory (default ./.mcp-gen)
`;
export const promptHelp = `mcp-gen prompt NAME [--args JSON] [-o DIR]

Renders one prompt in-process and prints the messages.

  --args JSON     the arguments, a JSON object of strings (default {})
  -o, --out DIR   artifact directory (default ./.mcp-gen)
`;

export async function listCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    out: { type: 'string', short: 'o' },
    json: { type: 'boolean' },
    tokens: { type: 'boolean' },
    toolset: { type: 'string' }
  });
  if (values.help) return help(listHelp);
  // Listing needs no secret: the artifact keeps references only, and nothing here is decrypted or read.
  const { artifact } = await loadArtifact(resolve(String(values.out ?? '.mcp-gen')), process.env, 0, { secrets: false });
  const sets = toolsetSizes(artifact);
  const chosen = values.toolset === undefined ? undefined : sets.find((s) => s.name === values.toolset);
  if (values.toolset !== undefined && !chosen)
    throw new UsageError(
      `--toolset ${String(values.toolset)}: the build has ${sets.length > 0 ? `toolsets ${sets.map((s) => s.name).join(', ')}` : 'no toolsets'}`
    );
  const rows = [
    ...(chosen?.tools ?? rootTools(artifact.tools)).map((e) => ({ type: 'tool', name: e.name, d: e.descriptor })),
    ...artifact.resources.map((e) => ({ type: 'resource', name: e.uri, d: e.descriptor })),
    ...artifact.resourceTemplates.map((e) => ({ type: 'template', name: e.uriTemplate, d: e.descriptor })),
    ...artifact.prompts.map((e) => ({ type: 'prompt', name: e.name, d: e.descriptor }))
  ].map((r) => {
    const bytes = descriptorBytes(r.d);
    return { type: r.type, name: r.name, bytes, tokens: approxTokens(bytes) };
  });
  if (values.tokens) rows.sort((a, b) => b.bytes - a.bytes);
  const total = rows.reduce((n, r) => n + r.bytes, 0);
  if (values.json) {
    const toolsets = sets.map(({ name, path, tools, bytes, description }) => ({
      name,
      path,
      tools: tools.length,
      bytes,
      tokens: approxTokens(bytes),
      ...(description ? { description } : {})
    }));
    const out = { entries: rows, total: { bytes: total, tokens: approxTokens(total) }, ...(toolsets.length > 0 ? { toolsets } : {}) };
    process.stdout.write(JSON.stringify(out, null, 2) + '\n');
    return 0;
  }
  const width = Math.max(4, ...rows.map((r) => r.name.length));
  process.stdout.write(`${'TYPE'.padEnd(9)}${'NAME'.padEnd(width + 2)}${'BYTES'.padStart(8)}${'~TOKENS'.padStart(9)}\n`);
  for (const r of rows)
    process.stdout.write(`${r.type.padEnd(9)}${r.name.padEnd(width + 2)}${String(r.bytes).padStart(8)}${String(r.tokens).padStart(9)}\n`);
  process.stdout.write(`${'total'.padEnd(9 + width + 2)}${String(total).padStart(8)}${String(approxTokens(total)).padStart(9)}\n`);
  if (sets.length > 0 && !chosen) {
    process.stdout.write('\nTOOLSET  PATH, TOOLS, BYTES, ~TOKENS of its tool list\n');
    for (const s of sets)
      process.stdout.write(
        `${s.name}  ${s.path}  ${s.tools.length} tool(s)  ${s.bytes}  ${approxTokens(s.bytes)}${s.description ? `  ${s.description}` : ''}\n`
      );
  }
  return 0;
}

/** Each toolset's tools (as its endpoint lists them) and the bytes of their descriptors. */
function toolsetSizes(artifact: Artifact) {
  const byName = new Map(artifact.tools.map((t) => [t.name, t] as const));
  return Object.entries(artifact.toolsets ?? {}).map(([name, set]) => {
    const tools = set.tools.flatMap((t) => byName.get(t) ?? []);
    return {
      name,
      path: toolsetPath(artifact.transport.path, name),
      tools,
      bytes: tools.reduce((n, t) => n + descriptorBytes(t.descriptor), 0),
      description: set.description
    };
  });
}

/** One request through the real protocol core, as a 2025 session that wants every log level. */
async function inProcess(dir: string, method: string, params: Record<string, unknown>): Promise<number> {
  const loaded = await loadArtifact(resolve(dir));
  const core = await createCore(loaded, { log: createLogger('warn') });
  const channel: Channel = {
    legacy: { protocolVersion: '2025-11-25', clientCapabilities: {}, initialized: true },
    notify: (m) => process.stderr.write(m + '\n')
  };
  const reply = await core.request(1, method, { ...params, _meta: { progressToken: 'cli' } }, channel, new AbortController().signal);
  await core.close();
  const parsed = JSON.parse(String(reply.body)) as { result?: Record<string, unknown>; error?: { message: string } };
  if (parsed.error) {
    process.stderr.write(`error: ${parsed.error.message}\n`);
    return 1;
  }
  process.stdout.write(JSON.stringify(parsed.result, null, 2) + '\n');
  return parsed.result?.isError === true ? 1 : 0;
}

const common = { out: { type: 'string', short: 'o' }, args: { type: 'string' } } as const;

export async function callCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, common, 1);
  if (values.help) return help(callHelp);
  if (positionals[0] === undefined) throw new UsageError('call needs a tool name: mcp-gen call TOOL [--args JSON]');
  return inProcess(String(values.out ?? '.mcp-gen'), 'tools/call', { name: positionals[0], arguments: jsonArg(values.args, '--args') });
}

export async function readCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { out: common.out }, 1);
  if (values.help) return help(readHelp);
  if (positionals[0] === undefined) throw new UsageError('read needs a resource URI: mcp-gen read URI');
  return inProcess(String(values.out ?? '.mcp-gen'), 'resources/read', { uri: positionals[0] });
}

export async function promptCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, common, 1);
  if (values.help) return help(promptHelp);
  if (positionals[0] === undefined) throw new UsageError('prompt needs a prompt name: mcp-gen prompt NAME [--args JSON]');
  return inProcess(String(values.out ?? '.mcp-gen'), 'prompts/get', { name: positionals[0], arguments: jsonArg(values.args, '--args') });
}
