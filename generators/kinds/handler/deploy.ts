import { builtinModules } from 'node:module';
import { build } from 'esbuild';
import type { KindDeploy } from '../kind.js';

/** The server runs each handler module in a worker (runtime/security/sandbox): its entry goes into workers/. */
const sandboxWorker = { 'entry.js': new URL('../../../runtime/security/sandbox/entry.js', import.meta.url) };

/**
 * A bundle needs the sandbox worker and the npm packages the compiled handlers import: the handler compile
 * (generators/emit/handlers.ts) leaves packages external, so they are installed next to the bundle.
 */
export const handlerDeploy: KindDeploy = {
  async needs(artifact, files) {
    const modules = artifact.tools.flatMap((t) => (t.exec.kind === 'handler' ? [t.exec.module] : []));
    if (modules.length === 0) return {};
    const packages = new Set<string>();
    for (const module of new Set(modules)) {
      const code = files.get(module);
      if (code !== undefined) for (const name of await importedPackages(code)) packages.add(name);
    }
    return { packages: [...packages].sort(), workers: sandboxWorker };
  }
};

/** The npm packages an ES module imports (bare specifiers, without node: built-ins), by package name. */
export async function importedPackages(code: string): Promise<string[]> {
  const result = await build({
    stdin: { contents: code, loader: 'js', sourcefile: 'handler.js' },
    bundle: true,
    // Every import is only recorded, never resolved: the packages are not installed where the bundle is made.
    plugins: [{ name: 'record-imports', setup: (b) => b.onResolve({ filter: /.*/ }, (args) => ({ path: args.path, external: true })) }],
    write: false,
    metafile: true,
    format: 'esm',
    platform: 'node',
    logLevel: 'silent'
  });
  const imports = Object.values(result.metafile.inputs).flatMap((input) => input.imports);
  const names = imports.filter((i) => i.external).map((i) => packageName(i.path));
  return [...new Set(names.filter((n): n is string => n !== undefined))];
}

/** `@scope/name/sub` → `@scope/name`, `name/sub` → `name`; undefined for built-ins and relative paths. */
export function packageName(specifier: string): string | undefined {
  if (specifier.startsWith('node:') || specifier.startsWith('.') || specifier.startsWith('/')) return undefined;
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
  return builtinModules.includes(name) ? undefined : name;
}
