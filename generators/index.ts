/** mcp-gen as a library: build a manifest into artifact files, in memory (only the CLI writes them). */
export { build, type BuildOptions, type BuildResult } from './build.js';
export { loadManifest, parseManifest, type LoadedManifest } from './load/load-manifest.js';
export { formatDiagnostic, hasErrors, type Diagnostic, type SourcePosition } from './diagnostics/diagnostic.js';
export { diagnosticCodes, type DiagnosticCode } from './diagnostics/codes.js';
export { bundle, type BundleOptions, type BundleResult } from './bundle/index.js';
