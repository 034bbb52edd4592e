import type { Logger } from '../../runtime/log.js';

let installed = false;
let warnings: Logger | undefined;

/**
 * While serving, a promise rejection nobody handled is logged instead of ending the process (Node's default):
 * a bug reached by one request must not end every other client's work. Only the CLI does this; the `runtime`
 * library leaves the process's policy to its host.
 */
export function logUnhandledRejections(log: Logger): void {
  if (installed) return;
  installed = true;
  process.on('unhandledRejection', (reason) => {
    log.error(
      `unhandled promise rejection (a bug; please report it): ` +
        `${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`
    );
  });
}

/**
 * Node's own process warnings (deprecations, MaxListenersExceeded, experimental features) go through the server
 * log as warn lines (JSON like the rest), instead of Node printing free text on stderr: its printer is removed,
 * as --no-warnings would. The last logger given receives them (mcp-gen dev makes one per process too).
 */
export function logProcessWarnings(log: Logger): void {
  if (warnings === undefined) {
    process.removeAllListeners('warning');
    process.on('warning', (w: Error & { code?: string }) => {
      warnings?.warn(`node: ${w.name}: ${w.message}`, { warning: w.name, ...(w.code !== undefined ? { code: w.code } : {}) });
    });
  }
  warnings = log;
}
