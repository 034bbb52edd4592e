import { build } from 'esbuild';
import { packageRoot } from '../../runtime/package-root.js';

/** Bundles generated ESM source with its imports (e.g. ajv's runtime helpers) into one self-contained module. */
export async function bundleSource(source: string, name: string): Promise<string> {
  const result = await build({
    stdin: { contents: source, resolveDir: packageRoot(), sourcefile: name, loader: 'js' },
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    legalComments: 'none',
    logLevel: 'silent'
  });
  return result.outputFiles[0]!.text;
}
