import { resolve } from 'node:path';

/**
 * The command a client runs to start this artifact's server over stdio: this Node and this CLI (or a bundle's
 * server.mjs, `launch` empty), with absolute paths, since clients start servers from their own working directory.
 */
export function stdioLaunch(
  dir: string,
  cli: string = process.argv[1] ?? 'mcp-gen',
  launch: readonly string[] = ['run']
): { readonly kind: 'stdio'; readonly command: string; readonly args: readonly string[] } {
  return { kind: 'stdio', command: process.execPath, args: [resolve(cli), ...launch, '-o', resolve(dir)] };
}
