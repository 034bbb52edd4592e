import type { Artifact } from '../../runtime/artifact/ir.js';
import { dockerfile, dockerignore } from './dockerfile.js';
import { mcpbManifest } from './mcpb.js';
import type { BundleNeeds } from './needs.js';
import { packageJson } from './package-json.js';
import { serverJson } from './server-json.js';
import { deployVariables } from './variables.js';

/** The files that describe a bundle to npm, Docker, desktop clients (MCPB) and the MCP Registry. */
export function deployFiles(artifact: Artifact, needs: BundleNeeds): Map<string, string> {
  const variables = deployVariables(artifact);
  const json = (value: unknown) => JSON.stringify(value, null, 2) + '\n';
  return new Map([
    ['package.json', packageJson(artifact, needs)],
    ['Dockerfile', dockerfile()],
    ['.dockerignore', dockerignore()],
    ['manifest.json', json(mcpbManifest(artifact, variables))],
    ['server.json', json(serverJson(artifact, variables))]
  ]);
}
