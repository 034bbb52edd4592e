import { ArtifactError } from './artifact/load.js';

/**
 * The Redis client (ioredis), loaded on first use: servers that keep nothing in Redis never load it, and a bundle
 * (`mcp-gen bundle`) installs it only when its manifest names a Redis store. A store given only when the server
 * starts (`--state`, MCPGEN_STATE) can find it missing: that is said in one line, not as a crash.
 */
export async function loadRedisClient(setting: string): Promise<{ Redis: typeof import('ioredis').Redis }> {
  try {
    return await import('ioredis');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw e;
    throw new ArtifactError(`${setting} is a Redis URL, but the Redis client is not installed here: run \`npm install ioredis\``);
  }
}
