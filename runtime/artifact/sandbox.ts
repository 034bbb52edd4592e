/**
 * How a handler runs (the manifest's top-level `sandbox:` merged with the tool's own); absent fields take the
 * runtime defaults (runtime/security/sandbox/settings.ts). Paths are relative to the manifest directory.
 */
export interface SandboxIR {
  readonly mode?: 'worker' | 'strict' | 'none';
  readonly heapMb?: number;
  readonly timeoutMs?: number;
  readonly workers?: number;
  readonly allowRead?: readonly string[];
  readonly allowWrite?: readonly string[];
}
