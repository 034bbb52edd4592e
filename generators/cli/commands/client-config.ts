import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { loadArtifact } from '../../../runtime/artifact/load.js';
import { stdioLaunch } from '../launch.js';
import { mergeEntry } from '../../clients/merge.js';
import { CLIENTS, configFile, isClient, PRESETS, type Secret, type Target } from '../../clients/presets.js';
import { help, parse, UsageError } from '../args.js';

export const clientConfigHelp = `mcp-gen client-config <${CLIENTS.join('|')}> [-m FILE] [-o DIR] [--http URL]
                      [--key-env VAR] [--name NAME] [--write [--config FILE] [--force]]

Prints the entry that makes a client start (stdio) or reach (--http URL) this server, in that client's own format;
with --write, merges it into the client's configuration file. See docs/clients.md.

  -m, --manifest FILE  the manifest whose build to serve (default ./mcp-gen.yaml)
  -o, --out DIR        artifact directory (default .mcp-gen next to the manifest); the stdio entry runs it
      --http URL       an entry for the server at URL (Streamable HTTP) instead of a stdio command
      --key-env VAR    the API key comes from VAR where the client runs (an input in VS Code), sent as
                       Authorization: Bearer over HTTP, passed as VAR over stdio. Default: MCP_API_KEY when
                       the artifact has auth (auth.stdio.apiKeyEnv over stdio); the key itself is never written
      --name NAME      the entry's name (default: the server's name)
      --write          merge into the client's file: a backup (FILE.bak) first, other entries kept
      --config FILE    the file to merge into (default: the client's usual file)
      --force          replace an entry of the same name (refused without it)
`;

export async function clientConfigCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(
    argv,
    {
      manifest: { type: 'string', short: 'm' },
      out: { type: 'string', short: 'o' },
      http: { type: 'string' },
      'key-env': { type: 'string' },
      name: { type: 'string' },
      write: { type: 'boolean' },
      config: { type: 'string' },
      force: { type: 'boolean' }
    },
    1
  );
  if (values.help) return help(clientConfigHelp);
  const client = positionals[0];
  if (client === undefined || !isClient(client))
    throw new UsageError(`client-config needs a client: one of ${CLIENTS.join(', ')}${client ? ` (got ${client})` : ''}`);
  const manifest = String(values.manifest ?? 'mcp-gen.yaml');
  const dir = values.out !== undefined ? String(values.out) : join(dirname(manifest), '.mcp-gen');
  const { artifact } = await loadArtifact(dir, process.env, 0, { secrets: false });
  const http = values.http !== undefined ? String(values.http) : undefined;
  if (http !== undefined && !/^https?:\/\/\S+$/.test(http))
    throw new UsageError(`--http takes the server's URL, e.g. http://127.0.0.1:3000/mcp (got ${http})`);
  const target: Target = http !== undefined ? { kind: 'http', url: http } : stdioLaunch(dir);
  const secret = secretOf(values['key-env'], target, artifact.auth);
  const name = String(values.name ?? artifact.server.name);
  const preset = PRESETS[client];
  const entry = preset.entry(target, secret, name);
  if ('refused' in entry) {
    process.stderr.write(`mcp-gen: ${entry.refused}\n`);
    return 2;
  }
  if (entry.note) process.stderr.write(`mcp-gen: note: ${entry.note}\n`);
  if (values.write !== true) {
    const printed = { [preset.serversKey]: { [name]: entry.server }, ...(entry.inputs ? { inputs: entry.inputs } : {}) };
    process.stdout.write(`${JSON.stringify(printed, null, 2)}\n`);
    return 0;
  }
  return writeInto(values.config !== undefined ? String(values.config) : configFile(client), preset, name, entry, values.force === true);
}

/** The key's reference: --key-env, else MCP_API_KEY (HTTP) or auth.stdio.apiKeyEnv (stdio) when the artifact has auth. */
function secretOf(
  keyEnv: string | boolean | undefined,
  target: Target,
  auth: { apiKeys: readonly unknown[]; stdio?: { apiKeyEnv: string } } | undefined
): Secret | undefined {
  if (typeof keyEnv === 'string') {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(keyEnv))
      throw new UsageError(`--key-env takes an environment variable's name, e.g. MCP_API_KEY (got ${keyEnv})`);
    return target.kind === 'http' ? { variable: keyEnv, header: 'Authorization' } : { variable: keyEnv };
  }
  if (target.kind === 'http') return auth && auth.apiKeys.length > 0 ? { variable: 'MCP_API_KEY', header: 'Authorization' } : undefined;
  return auth?.stdio ? { variable: auth.stdio.apiKeyEnv } : undefined;
}

async function writeInto(
  file: string,
  preset: (typeof PRESETS)[keyof typeof PRESETS],
  name: string,
  entry: Parameters<typeof mergeEntry>[3],
  force: boolean
): Promise<number> {
  const existing = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return undefined;
    throw new UsageError(`cannot read ${file}: ${e.message}`);
  });
  const merged = mergeEntry(existing, preset, name, entry, force);
  if ('error' in merged) {
    process.stderr.write(`mcp-gen: ${file} ${merged.error}; nothing written\n`);
    return 1;
  }
  await mkdir(dirname(file), { recursive: true });
  if (existing !== undefined) await copyFile(file, `${file}.bak`);
  await writeFile(file, merged.text);
  const what = merged.replaced ? 'replaced' : 'added';
  process.stderr.write(
    `${what} "${name}" in ${file}${existing !== undefined ? ` (the previous file is ${file}.bak)` : ''}; restart ${preset.label} or reload its MCP servers\n`
  );
  return 0;
}
