import type { Artifact } from '../../runtime/artifact/ir.js';
import { npmName } from './package-json.js';
import type { DeployVariable } from './variables.js';

/** The MCPB manifest version written (supported by @anthropic-ai/mcpb 2.x, whose validator the tests run). */
export const MCPB_MANIFEST_VERSION = '0.3';

/**
 * manifest.json of an MCP Bundle (`npx @anthropic-ai/mcpb pack` zips the folder into a .mcpb): a desktop client
 * starts server.mjs over stdio with Node, asking the user for each `${VAR}` the manifest reads (`user_config`;
 * secrets are `sensitive`, stored in the OS keychain by the clients that support it) and passing it as that
 * environment variable. A variable with a default is optional.
 */
export function mcpbManifest(artifact: Artifact, variables: readonly DeployVariable[]): Record<string, unknown> {
  const { name, version, title, instructions } = artifact.server;
  const userConfig = Object.fromEntries(
    variables.map((v) => [
      v.name,
      {
        type: 'string',
        title: v.name,
        description: `Environment variable ${v.name}, used at ${v.at.join(', ')} in the server's artifact.`,
        required: v.fallback === undefined,
        ...(v.fallback !== undefined ? { default: v.fallback } : {}),
        ...(v.secret ? { sensitive: true } : {})
      }
    ])
  );
  return {
    manifest_version: MCPB_MANIFEST_VERSION,
    name: npmName(name),
    ...(title ? { display_name: title } : {}),
    version,
    description: summary(artifact),
    ...(instructions ? { long_description: instructions } : {}),
    // The manifest names no author; the publisher replaces this before signing or publishing the bundle.
    author: { name },
    server: {
      type: 'node',
      entry_point: 'server.mjs',
      mcp_config: {
        command: 'node',
        args: ['${__dirname}/server.mjs', '--stdio'],
        env: Object.fromEntries(variables.map((v) => [v.name, `\${user_config.${v.name}}`]))
      }
    },
    tools: artifact.tools.map((t) => {
      const description = t.descriptor.description;
      return { name: t.name, ...(typeof description === 'string' ? { description } : {}) };
    }),
    compatibility: { runtimes: { node: '>=20.19' } },
    ...(variables.length > 0 ? { user_config: userConfig } : {})
  };
}

/** One line about the server: its title, or its name and what it offers. */
export function summary(artifact: Artifact): string {
  const { name, title } = artifact.server;
  const count = (n: number, what: string) => (n > 0 ? [`${n} ${what}${n === 1 ? '' : 's'}`] : []);
  const offers = [
    ...count(artifact.tools.length, 'tool'),
    ...count(artifact.resources.length + artifact.resourceTemplates.length, 'resource'),
    ...count(artifact.prompts.length, 'prompt')
  ];
  return `${title ?? name}: an MCP server${offers.length > 0 ? ` with ${offers.join(', ')}` : ''}`;
}
