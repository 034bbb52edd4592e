import { SandboxPools, sandboxDefaults, sandboxedTool } from '../../security/sandbox/index.js';
import { toToolResult, type RuntimeKind } from '../kind.js';

/**
 * A compiled TypeScript/JavaScript handler. By default it runs in a sandbox (worker thread, or a child process
 * under Node's permission model in strict mode); `sandbox: { mode: none }` imports it into the server once.
 */
export const handlerKind: RuntimeKind<'handler'> = {
  setUp: (services) => new SandboxPools(services),
  async tool(exec, services, entry) {
    const sandboxed = (exec.sandbox?.mode ?? sandboxDefaults.mode) !== 'none';
    if (sandboxed) return sandboxedTool(exec, services, services.kindResources<SandboxPools>(), entry.name);
    const mod = (await services.importModule(exec.module)) as { default?: unknown };
    const fn = mod.default;
    if (typeof fn !== 'function') throw new Error(`handler of tool "${entry.name}" has no default export function`);
    return async (args, ctx) => toToolResult(await (fn as (a: unknown, c: unknown) => unknown)(args, ctx));
  }
};
