import type { SandboxIR } from '../../artifact/sandbox.js';

export type { SandboxIR };

/** The handler kind's IR: a compiled module run in a sandbox. */
export interface HandlerToolExec {
  readonly module: string;
  readonly sandbox?: SandboxIR;
}
