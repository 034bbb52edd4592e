#!/usr/bin/env node
import { reportFailure } from './process-exit.js';

// Commands are imported on use: `run` must not pay for the build toolchain (yaml, ajv, esbuild) at start-up.
const commands: Record<string, (argv: string[]) => Promise<number>> = {
  init: async (a) => (await import('./commands/init.js')).initCommand(a),
  validate: async (a) => (await import('./commands/build.js')).validateCommand(a),
  build: async (a) => (await import('./commands/build.js')).buildCommand(a),
  run: async (a) => (await import('./commands/run.js')).runCommand(a),
  dev: async (a) => (await import('./commands/dev.js')).devCommand(a),
  list: async (a) => (await import('./commands/inspect.js')).listCommand(a),
  call: async (a) => (await import('./commands/inspect.js')).callCommand(a),
  read: async (a) => (await import('./commands/inspect.js')).readCommand(a),
  prompt: async (a) => (await import('./commands/inspect.js')).promptCommand(a),
  secret: async (a) => (await import('./commands/secret.js')).secretCommand(a),
  bundle: async (a) => (await import('./commands/bundle.js')).bundleCommand(a),
  'client-config': async (a) => (await import('./commands/client-config.js')).clientConfigCommand(a),
  test: async (a) => (await import('./commands/test.js')).testCommand(a)
};

const usage = `mcp-gen: one YAML manifest → a fast MCP server

usage: mcp-gen <command> [options]      (mcp-gen <command> --help for details)

  init       write a starter mcp-gen.yaml
  validate   check the manifest, write nothing
  build      manifest → .mcp-gen/ artifact
  run        serve the artifact (stdio, or --http)
  dev        build, serve and rebuild on every change (hot reload)
  list       what the build exposes, with sizes in bytes and tokens
  call       run one tool in-process
  read       read one resource in-process
  prompt     render one prompt in-process
  test       check what models see against a snapshot, and the tools' example calls
  secret     encrypt a value for the manifest (keygen, encrypt, decrypt)
  bundle     a deployable server folder: server.mjs, package.json, Dockerfile, .mcpb, server.json
  client-config  the entry for a client (claude-desktop, claude-code, vscode, cursor, windsurf); --write merges it
`;

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage);
    return name === undefined ? 1 : 0;
  }
  if (name === '--version' || name === '-v') {
    const { packageVersion } = await import('../../runtime/package-root.js');
    process.stdout.write(packageVersion() + '\n');
    return 0;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`unknown command "${name}"\n\n${usage}`);
    return 1;
  }
  return command(rest);
}

reportFailure(main(process.argv.slice(2)));
