import type { Logger } from '../../runtime/log.js';

let installed = false;

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
