import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions, type Metafile } from 'esbuild';

/** The entry of server.mjs (generators/cli/bundle-main.ts), compiled or not. */
const serverEntry = new URL('../cli/bundle-main.js', import.meta.url);

/** Where esbuild pretends to write (nothing is written: the CLI writes the files it returns). */
const OUT = '/mcp-gen-bundle';

/**
 * CommonJS packages bundled into ES modules call `require` for Node built-ins: every output file gets one.
 * The alias keeps it clear of names in the bundled code.
 */
const banner = "import { createRequire as __mcpgenRequire } from 'node:module';\nconst require = __mcpgenRequire(import.meta.url);";

const common: BuildOptions = {
  bundle: true,
  write: false,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outdir: OUT,
  banner: { js: banner },
  legalComments: 'none',
  metafile: true,
  logLevel: 'silent'
};

export interface BundledServer {
  /** Path in the bundle folder → content: server.mjs, its lazily loaded chunks/, and workers/. */
  readonly files: ReadonlyMap<string, Uint8Array>;
  /** Every source file compiled in (for checks that the build toolchain stayed out). */
  readonly inputs: readonly string[];
}

/**
 * Compiles the runtime into server.mjs (chunks/ for what it loads on use: a database driver's dialect, the
 * tracing SDK) and each worker entry into workers/FILE. `external` packages stay imports, installed from the
 * bundle's package.json; the version is baked in.
 */
export async function bundleServer(
  workers: Readonly<Record<string, URL>>,
  external: readonly string[],
  version: string
): Promise<BundledServer> {
  const files = new Map<string, Uint8Array>();
  const inputs = new Set<string>();
  const collect = (outputFiles: { path: string; contents: Uint8Array }[], metafile: Metafile) => {
    for (const f of outputFiles) files.set(relative(OUT, f.path).split('\\').join('/'), f.contents);
    for (const input of Object.keys(metafile.inputs)) inputs.add(input);
  };
  const server = await build({
    ...common,
    entryPoints: { server: source(serverEntry) },
    // Dynamic imports become chunks: an external driver is imported only when its dialect loads.
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    outExtension: { '.js': '.mjs' },
    external: [...external],
    define: { MCPGEN_BUNDLE_VERSION: JSON.stringify(version) }
  });
  collect(server.outputFiles!, server.metafile!);
  if (Object.keys(workers).length > 0) {
    const compiled = await build({
      ...common,
      entryPoints: Object.fromEntries(Object.entries(workers).map(([file, url]) => [`workers/${file.replace(/\.js$/, '')}`, source(url)])),
      external: [...external]
    });
    collect(compiled.outputFiles!, compiled.metafile!);
  }
  return { files, inputs: [...inputs].sort() };
}

/** A runtime module's file: the compiled .js in dist/, or the .ts beside it when running from the sources. */
export function source(url: URL): string {
  const js = fileURLToPath(url);
  const ts = js.replace(/\.js$/, '.ts');
  return existsSync(js) ? js : ts;
}
