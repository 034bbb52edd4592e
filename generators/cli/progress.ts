/** Where the progress line goes: stderr, or a test's stand-in. */
export interface ProgressStream {
  readonly isTTY?: boolean;
  write(text: string): boolean;
}

/** A build shorter than this shows nothing: the line would only flicker. */
const DELAY_MS = 1000;

/**
 * The build's current phase on one rewritten stderr line, once the build has taken more than a second; only
 * on a terminal (a log or a pipe gets no carriage returns) and not with --quiet. `done` clears the line.
 */
export function progressLine(stream: ProgressStream, options: { quiet: boolean }): { phase(name: string): void; done(): void } {
  if (!stream.isTTY || options.quiet) return { phase: () => {}, done: () => {} };
  const started = Date.now();
  let current = 'starting';
  let shown = false;
  const draw = () => stream.write(`\r\x1b[Kbuilding: ${current} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  const timer = setTimeout(() => {
    shown = true;
    draw();
  }, DELAY_MS);
  timer.unref?.();
  return {
    phase(name) {
      current = name;
      if (shown) draw();
    },
    done() {
      clearTimeout(timer);
      if (shown) stream.write('\r\x1b[K');
      shown = false;
    }
  };
}
