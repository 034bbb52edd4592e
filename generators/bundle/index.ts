import { EXAMPLES_FILE } from '../lower/examples.js';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { ARTIFACT_FILE, INPUTS_FILE, type Artifact } from '../../runtime/artifact/ir.js';
import { packageVersion } from '../../runtime/package-root.js';
import { build } from '../build.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { hasErrors } from '../diagnostics/diagnostic.js';
import { deployFiles } from './deploy-files.js';
import { bundleNeeds, externalPackages, type BundleNeeds } from './needs.js';
import { bundleServer } from './server.js';

export interface BundleOptions {
  readonly manifest: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Create missing local data from seed files first (the CLI does; a SQLite database is then bundled). */
  readonly seed?: boolean;
  readonly onPhase?: (phase: string) => void;
}

export interface BundleResult {
  readonly diagnostics: readonly Diagnostic[];
  /** Path in the bundle folder → content; empty when the build failed. */
  readonly files: ReadonlyMap<string, string | Uint8Array>;
  readonly needs?: BundleNeeds;
  /** Source files compiled into server.mjs and the workers. */
  readonly inputs: readonly string[];
  /** Run-time files the manifest names outside its folder: not bundled, the deployment provides them. */
  readonly skipped: readonly string[];
}

/** The artifact folder inside a bundle, next to server.mjs (what server.mjs serves by default). */
export const BUNDLE_ARTIFACT_DIR = '.mcp-gen';

/** Manifest → a deployable server folder, in memory: the build, server.mjs, package.json and the deployment files. */
export async function bundle(options: BundleOptions): Promise<BundleResult> {
  const manifest = resolve(options.manifest);
  const manifestDir = dirname(manifest);
  const built = await build({ manifest, seed: options.seed ?? false, ...(options.env ? { env: options.env } : {}), ...phase(options) });
  if (hasErrors(built.diagnostics) || !built.artifact) return { diagnostics: built.diagnostics, files: new Map(), inputs: [], skipped: [] };
  const artifact = built.artifact;
  options.onPhase?.('bundling the server');
  const needs = await bundleNeeds(artifact, built.files, manifestDir);
  const version = packageVersion();
  const server = await bundleServer(needs.workers, externalPackages(), version);
  const files = new Map<string, string | Uint8Array>(server.files);
  for (const [name, content] of artifactFiles(built.files)) files.set(`${BUNDLE_ARTIFACT_DIR}/${name}`, content);
  const skipped: string[] = [];
  for (const path of needs.files) {
    const absolute = resolve(manifestDir, path);
    const inside = relative(manifestDir, absolute);
    if (inside.startsWith('..') || isAbsolute(inside) || !existsSync(absolute)) skipped.push(path);
    else for (const [file, content] of readTree(absolute)) files.set(join(inside, relative(absolute, file)).split('\\').join('/'), content);
  }
  for (const [name, content] of deployFiles(artifact, needs)) files.set(name, content);
  return { diagnostics: built.diagnostics, files, needs, inputs: server.inputs, skipped };
}

function phase(options: BundleOptions) {
  return options.onPhase ? { onPhase: options.onPhase } : {};
}

/**
 * The build's files as the bundle serves them: its manifest folder is the bundle folder (the files the server
 * reads at run time are copied there), and the build's input hashes (for `run`'s stale check) are left out.
 */
export function artifactFiles(files: ReadonlyMap<string, string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, content] of files) {
    // What only the build's tools read (mcp-gen dev's inputs, mcp-gen test's examples) stays out of a deployment.
    if (name === INPUTS_FILE || name === EXAMPLES_FILE) continue;
    if (name !== ARTIFACT_FILE) out.set(name, content);
    else out.set(name, JSON.stringify({ ...(JSON.parse(content) as Artifact), manifestDir: '..' }, null, 2) + '\n');
  }
  return out;
}

/** A file, or every file under a folder, with its bytes. */
function readTree(path: string): [string, Uint8Array][] {
  if (!statSync(path).isDirectory()) return [[path, readFileSync(path)]];
  return readdirSync(path, { withFileTypes: true }).flatMap((e) => readTree(join(path, e.name)));
}
