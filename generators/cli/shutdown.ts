import { constants } from 'node:os';
import type { Logger } from '../../runtime/log.js';

export interface Shutdown {
  /** True from the first SIGTERM/SIGINT on: /readyz answers 503 and new MCP requests are refused. */
  readonly started: boolean;
  /** Starts the drain as a first signal would; once started, does nothing (a drain asked twice is one drain). */
  begin(): void;
  /** Stops listening for the signals (the server has closed). */
  dispose(): void;
}

/**
 * The first SIGTERM or SIGINT runs `drain` (once: SIGINT then SIGTERM must not drain twice); any signal after it
 * ends the process at once with 128 + the signal's number, as a shell reports a process killed by it: the
 * impatient operator's way out, never a hang.
 */
export function onShutdownSignal(log: Logger, drain: () => void): Shutdown {
  let started = false;
  const handler = (signal: NodeJS.Signals) => {
    if (started) {
      log.warn(`${signal} again: exiting now, without waiting for the requests still running`);
      process.exit(128 + (constants.signals[signal] ?? 0));
    }
    started = true;
    drain();
  };
  process.on('SIGINT', handler).on('SIGTERM', handler);
  return {
    get started() {
      return started;
    },
    begin() {
      if (started) return;
      started = true;
      drain();
    },
    dispose() {
      process.off('SIGINT', handler).off('SIGTERM', handler);
    }
  };
}
