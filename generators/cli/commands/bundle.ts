import { spawnSync } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { BUNDLE_ARTIFACT_DIR, bundle } from '../../bundle/index.js';
import { packMcpb } from '../../bundle/mcpb-pack.js';
import { hasErrors } from '../../diagnostics/diagnostic.js';
import { help, parse } from '../args.js';
import { printDiagnostics } from '../output.js';
import { progressLine } from '../progress.js';

export const bundleHelp = `mcp-gen bundle [-m FILE] [-o DIR] [--mcpb] [--quiet]

Builds the manifest and writes a folder that serves it where neither mcp-gen nor TypeScript is installed:
  server.mjs (+ chunks/, workers/)  the runtime in one file; \`node server.mjs\` takes run's flags
                                    (stdio by default, --http --port P, …) except -m and --build
  .mcp-gen/                         the artifact, with the files the server reads (a SQLite database)
  package.json                      only the packages this manifest needs (drivers, handler imports)
  Dockerfile, .dockerignore         a container image serving HTTP on port 3000
  manifest.json                     an MCP Bundle manifest (--mcpb packs the folder into a .mcpb)
  server.json                       an MCP Registry entry (replace the namespace before publishing)
Then: cd DIR && npm install --omit=dev && node server.mjs. \${VAR}s stay references: set them where it runs.

  -m, --manifest FILE  manifest to bundle (default ./mcp-gen.yaml)
  -o, --out DIR        bundle folder (default dist-server next to the manifest); its node_modules is kept
      --mcpb           then install the folder (npm install --omit=dev) and pack it, node_modules included,
                       into NAME-VERSION.mcpb next to it: an MCP Bundle for desktop clients (this platform's)
  -q, --quiet          print only problems
`;

/** What a new bundle replaces in DIR (besides the files it writes): left-overs of an earlier bundle. */
const GENERATED_DIRS = ['chunks', 'workers', BUNDLE_ARTIFACT_DIR];

export async function bundleCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    manifest: { type: 'string', short: 'm' },
    out: { type: 'string', short: 'o' },
    mcpb: { type: 'boolean' },
    quiet: { type: 'boolean', short: 'q' }
  });
  if (values.help) return help(bundleHelp);
  const manifest = String(values.manifest ?? 'mcp-gen.yaml');
  const out = values.out !== undefined ? String(values.out) : join(dirname(manifest), 'dist-server');
  const progress = progressLine(process.stderr, { quiet: values.quiet === true });
  let result: Awaited<ReturnType<typeof bundle>>;
  try {
    result = await bundle({ manifest, seed: true, onPhase: progress.phase });
  } finally {
    progress.done();
  }
  printDiagnostics(result.diagnostics);
  if (hasErrors(result.diagnostics)) return 1;
  for (const dir of GENERATED_DIRS) await rm(join(out, dir), { recursive: true, force: true });
  for (const [name, content] of result.files) {
    const path = join(out, name);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, content);
  }
  for (const path of result.skipped)
    process.stderr.write(
      `mcp-gen: warning: ${path} is outside the manifest's folder or missing: not bundled; provide it where the server runs\n`
    );
  const unpinned = Object.entries(result.needs?.packages ?? {}).filter(([, v]) => v === '*');
  for (const [name] of unpinned)
    process.stderr.write(`mcp-gen: warning: ${name} is not installed here: package.json asks for any version\n`);
  if (values.mcpb === true) return packInstalled(out, mcpbFileName(result.files.get('manifest.json')), values.quiet === true);
  if (values.quiet !== true) {
    // A folder outside the working directory is shown absolute: `cd ../../tmp/x` reads badly.
    const near = relative(process.cwd(), out) || '.';
    const rel = near.startsWith('..') ? resolve(out) : near;
    const packages = Object.keys(result.needs?.packages ?? {});
    process.stderr.write(
      `bundled into ${rel}/ (${packages.length > 0 ? `needs ${packages.join(', ')}` : 'no packages to install'}); ` +
        `serve it with: cd ${rel} && npm install --omit=dev && node server.mjs\n`
    );
  }
  return 0;
}

/** --mcpb: `npm install --omit=dev` in the folder (npm's output on stderr), then the .mcpb next to it. */
async function packInstalled(out: string, name: string, quiet: boolean): Promise<number> {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const installed = spawnSync(npm, ['install', '--omit=dev', '--no-audit', '--no-fund'], {
    cwd: out,
    stdio: ['ignore', quiet ? 'ignore' : process.stderr, 'inherit']
  });
  if (installed.status !== 0) {
    process.stderr.write(
      `mcp-gen: npm install in ${out} failed (${installed.error?.message ?? `exit code ${installed.status}`}): no .mcpb written\n`
    );
    return 1;
  }
  const file = join(dirname(resolve(out)), name);
  await writeFile(file, await packMcpb(out));
  if (!quiet)
    process.stderr.write(`packed ${relative(process.cwd(), file) || file}: open it with a desktop client that takes MCP Bundles\n`);
  return 0;
}

/** NAME-VERSION.mcpb, from the bundle's manifest.json (the name is already an npm-safe one). */
function mcpbFileName(manifest: string | Uint8Array | undefined): string {
  const { name, version } = JSON.parse(String(manifest ?? '{}')) as { name?: string; version?: string };
  return `${name ?? 'server'}-${version ?? '0.0.0'}.mcpb`;
}
