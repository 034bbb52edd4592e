import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * How each MCP client's configuration file names a server: one preset per client, in one typed table. Each
 * preset says where its file is, under which key servers live, and how an entry for a stdio or an HTTP server
 * is written, with a secret given as a reference the client resolves (never the secret itself):
 * - Claude Desktop (claude_desktop_config.json, `mcpServers`): stdio only; no variable expansion in the file.
 * - Claude Code (.mcp.json of the project, `mcpServers`, `type`): expands `${VAR}` in env, url and headers.
 * - VS Code (.vscode/mcp.json, `servers`, `type`): secrets as `${input:ID}` with a password `promptString` input.
 * - Cursor (~/.cursor/mcp.json, `mcpServers`; `url` for HTTP): expands `${env:VAR}`.
 * - Windsurf (~/.codeium/windsurf/mcp_config.json, `mcpServers`; `serverUrl` for HTTP): expands `${env:VAR}`.
 */
export const CLIENTS = ['claude-desktop', 'claude-code', 'vscode', 'cursor', 'windsurf'] as const;
export type ClientId = (typeof CLIENTS)[number];

/** A server to name: run over stdio (command and args) or reached over HTTP at a URL. */
export type Target =
  | { readonly kind: 'stdio'; readonly command: string; readonly args: readonly string[] }
  | { readonly kind: 'http'; readonly url: string };

/** A secret the entry passes: as `header` over HTTP (`Authorization` gets `Bearer `), as variable `env` over stdio. */
export interface Secret {
  /** The environment variable (or VS Code input) that holds it where the client runs. */
  readonly variable: string;
  readonly header?: string;
}

export interface Entry {
  /** The server's entry, under the file's servers key. */
  readonly server: Record<string, unknown>;
  /** VS Code only: the inputs the entry refers to. */
  readonly inputs?: readonly Record<string, unknown>[];
  /** What the user still has to do (a placeholder to fill), said once on stderr. */
  readonly note?: string;
}

export interface ClientPreset {
  readonly label: string;
  /** The top-level key that maps names to entries. */
  readonly serversKey: 'mcpServers' | 'servers';
  /** The configuration file: per user (home, platform) or per project (cwd). */
  file(where: { home: string; cwd: string; platform: NodeJS.Platform; appData?: string }): string;
  entry(target: Target, secret: Secret | undefined, name: string): Entry | { readonly refused: string };
}

const headerValue = (secret: Secret, reference: string) =>
  secret.header?.toLowerCase() === 'authorization' ? `Bearer ${reference}` : reference;

/** An entry in the common shape: command/args/env for stdio, `urlKey` and headers for HTTP. */
function common(target: Target, secret: Secret | undefined, reference: string, urlKey: string, typed: boolean): Entry {
  const type = typed ? { type: target.kind } : {};
  if (target.kind === 'stdio')
    return {
      server: { ...type, command: target.command, args: [...target.args], ...(secret ? { env: { [secret.variable]: reference } } : {}) }
    };
  const headers = secret?.header ? { headers: { [secret.header]: headerValue(secret, reference) } } : {};
  return { server: { ...type, [urlKey]: target.url, ...headers } };
}

export const PRESETS: Readonly<Record<ClientId, ClientPreset>> = {
  'claude-desktop': {
    label: 'Claude Desktop',
    serversKey: 'mcpServers',
    file: ({ home, platform, appData }) =>
      platform === 'darwin'
        ? join(home, 'Library', 'Application Support', 'Claude', 'claude_desktop_config.json')
        : platform === 'win32'
          ? join(appData ?? join(home, 'AppData', 'Roaming'), 'Claude', 'claude_desktop_config.json')
          : join(home, '.config', 'Claude', 'claude_desktop_config.json'),
    entry: (target, secret) => {
      if (target.kind === 'http')
        return {
          refused:
            'Claude Desktop does not take HTTP servers in its configuration file: add the URL in Settings → Connectors, ' +
            'or use the stdio entry (mcp-gen client-config claude-desktop, without --http)'
        };
      const placeholder = secret ? `<${secret.variable}>` : '';
      const entry = common(target, secret, placeholder, 'url', false);
      return secret
        ? {
            ...entry,
            note: `Claude Desktop does not expand variables: replace ${placeholder} in the file with the key (keep the file private)`
          }
        : entry;
    }
  },
  'claude-code': {
    label: 'Claude Code',
    serversKey: 'mcpServers',
    file: ({ cwd }) => join(cwd, '.mcp.json'),
    entry: (target, secret) => common(target, secret, secret ? `\${${secret.variable}}` : '', 'url', true)
  },
  vscode: {
    label: 'VS Code',
    serversKey: 'servers',
    file: ({ cwd }) => join(cwd, '.vscode', 'mcp.json'),
    entry: (target, secret, name) => {
      const id = `${name}-key`;
      const entry = common(target, secret, `\${input:${id}}`, 'url', true);
      if (!secret) return entry;
      return { ...entry, inputs: [{ type: 'promptString', id, description: `API key for ${name} (${secret.variable})`, password: true }] };
    }
  },
  cursor: {
    label: 'Cursor',
    serversKey: 'mcpServers',
    file: ({ home }) => join(home, '.cursor', 'mcp.json'),
    entry: (target, secret) => common(target, secret, secret ? `\${env:${secret.variable}}` : '', 'url', false)
  },
  windsurf: {
    label: 'Windsurf',
    serversKey: 'mcpServers',
    file: ({ home }) => join(home, '.codeium', 'windsurf', 'mcp_config.json'),
    entry: (target, secret) => common(target, secret, secret ? `\${env:${secret.variable}}` : '', 'serverUrl', false)
  }
};

export const isClient = (name: string): name is ClientId => (CLIENTS as readonly string[]).includes(name);

/** The configuration file of `client` on this machine. */
export function configFile(client: ClientId, env: NodeJS.ProcessEnv = process.env): string {
  return PRESETS[client].file({
    home: homedir(),
    cwd: process.cwd(),
    platform: process.platform,
    ...(env.APPDATA ? { appData: env.APPDATA } : {})
  });
}
