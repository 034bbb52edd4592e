import type { Artifact } from '../../runtime/artifact/ir.js';
import { CONTAINER_PORT } from './dockerfile.js';
import { summary } from './mcpb.js';
import { npmName } from './package-json.js';
import type { DeployVariable } from './variables.js';

/** The registry schema server.json follows (vendored in test/fixtures/registry/, where the tests check it). */
export const SERVER_SCHEMA = 'https://static.modelcontextprotocol.io/schemas/2025-09-29/server.schema.json';

/** The registry namespace to replace: the publisher's (e.g. io.github.USER), which the registry verifies. */
export const NAMESPACE_PLACEHOLDER = 'io.github.OWNER';

/**
 * server.json for the MCP Registry: the server as the container image the Dockerfile builds, serving
 * Streamable HTTP on CONTAINER_PORT, with the manifest's `${VAR}`s as its environment variables. The image
 * name is the bundle's package name; the publisher replaces the namespace and the image reference with theirs.
 */
export function serverJson(artifact: Artifact, variables: readonly DeployVariable[]): Record<string, unknown> {
  const { name, version, title } = artifact.server;
  const image = npmName(name);
  return {
    $schema: SERVER_SCHEMA,
    name: `${NAMESPACE_PLACEHOLDER}/${image}`,
    ...(title ? { title: title.slice(0, 100) } : {}),
    description: clip(summary(artifact), 100),
    version,
    packages: [
      {
        registryType: 'oci',
        identifier: `${image}:${version}`,
        runtimeHint: 'docker',
        transport: { type: 'streamable-http', url: `http://localhost:${CONTAINER_PORT}${artifact.transport.path}` },
        environmentVariables: variables.map((v) => ({
          name: v.name,
          description: `Used at ${v.at.join(', ')} in the server's artifact`,
          isRequired: v.fallback === undefined,
          isSecret: v.secret,
          ...(v.fallback !== undefined ? { default: v.fallback } : {})
        }))
      }
    ]
  };
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
