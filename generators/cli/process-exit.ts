import { ArtifactError } from '../../runtime/artifact/load.js';
import { UsageError } from './args.js';

/** Sets the exit code of the CLI (and of a bundle's server.mjs) from what its command returned or threw. */
export function reportFailure(done: Promise<number>): void {
  done.then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      // User mistakes get one clear line; anything else is a bug and keeps its stack.
      if (e instanceof UsageError || e instanceof ArtifactError) process.stderr.write(`mcp-gen: ${e.message}\n`);
      else process.stderr.write(`mcp-gen: internal error: ${(e as Error)?.stack ?? String(e)}\n`);
      process.exitCode = e instanceof UsageError ? 2 : 1;
    }
  );
}
