import type { Artifact } from '../../runtime/artifact/ir.js';
import type { BundleNeeds } from './needs.js';

/**
 * The bundle's package.json: an ES module package (server.mjs's chunks and the workers are .js files) that
 * depends on exactly the packages this manifest needs, at the versions mcp-gen was tested with. `private`:
 * the folder is a deployment, not something to publish to npm by mistake.
 */
export function packageJson(artifact: Artifact, needs: BundleNeeds): string {
  const { name, version } = artifact.server;
  const manifest = {
    name: npmName(name),
    version,
    private: true,
    description: `${artifact.server.title ?? name}: an MCP server made by mcp-gen bundle`,
    type: 'module',
    main: 'server.mjs',
    scripts: { start: 'node server.mjs' },
    engines: { node: '>=20.19' },
    dependencies: needs.packages
  };
  return JSON.stringify(manifest, null, 2) + '\n';
}

/** An npm package name from a server name: lower case, and characters npm refuses replaced. */
export function npmName(name: string): string {
  const cleaned = name
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[._-]+/, '');
  return cleaned === '' ? 'mcp-server' : cleaned.slice(0, 214);
}
