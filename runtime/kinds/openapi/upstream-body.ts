import type { Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate, createInflateRaw } from 'node:zlib';
import type { Dispatcher } from 'undici';
import type { CallLimit } from './limit.js';

/** What takes an upstream body's bytes: called in order, `end` or `error` last (once). */
export interface BodyReader {
  data(chunk: Buffer): void;
  end(): void;
  error(e: Error): void;
}

/** Bytes held for a reader that has not come yet before the connection stops reading (TCP then holds the rest). */
const HELD_BEFORE_PAUSE = 65_536;

/**
 * One upstream response's body as undici delivers it (from its HTTP parser, chunk by chunk), without a stream per
 * response: chunks are kept until `read` is called (a small body usually arrives whole with the headers), then
 * passed on as they come. `destroy` aborts the exchange, which closes its connection.
 */
export class UpstreamBody {
  ended = false;
  destroyed = false;
  private held: Buffer[] = [];
  private heldBytes = 0;
  private reader: BodyReader | undefined;
  private failure: Error | undefined;

  constructor(private readonly controller: Dispatcher.DispatchController) {}

  /** From the exchange: the next chunk. */
  push(chunk: Buffer): void {
    if (this.destroyed) return;
    if (this.reader) return this.reader.data(chunk);
    this.held.push(chunk);
    this.heldBytes += chunk.length;
    if (this.heldBytes > HELD_BEFORE_PAUSE) this.controller.pause();
  }

  /** From the exchange: the body is complete. */
  finish(): void {
    if (this.destroyed || this.ended) return;
    this.ended = true;
    this.reader?.end();
  }

  /** From the exchange: the connection failed before the body was complete. */
  fail(e: Error): void {
    if (this.destroyed || this.ended) return;
    this.destroyed = true;
    if (this.reader) this.reader.error(e);
    else this.failure = e;
  }

  /** Hands the body to `reader`: what arrived so far at once, then each chunk as it comes. */
  read(reader: BodyReader): void {
    const held = this.held;
    this.held = [];
    this.heldBytes = 0;
    this.reader = reader;
    for (const chunk of held) {
      if (this.destroyed && this.failure === undefined) return;
      reader.data(chunk);
    }
    if (this.failure) return reader.error(this.failure);
    if (this.ended) return reader.end();
    this.controller.resume();
  }

  /** Stops reading: the exchange is aborted (its connection closed) unless the body was already complete. */
  destroy(e?: Error): void {
    if (this.destroyed || this.ended) return;
    this.destroyed = true;
    this.held = [];
    this.controller.abort(e ?? new Error('the response body was dropped'));
  }
}

const ignore: BodyReader = { data: () => {}, end: () => {}, error: () => {} };

/** Drops a body that will not be read (a redirect's, or a retried 503's), keeping the connection when it is small. */
export function discard(response: { readonly headers: Record<string, unknown>; readonly body: UpstreamBody }): void {
  const { body } = response;
  if (body.ended) return;
  if (Number(response.headers['content-length']) <= 65_536) body.read(ignore);
  else body.destroy();
}

/**
 * Reads at most `cap` bytes of the (decoded) body, saying whether it was cut; a longer body's connection is
 * closed rather than drained. gzip and deflate are decoded as fetch did, so the cap applies to what the
 * model would read.
 */
export function readBody(
  response: { readonly headers: Record<string, unknown>; readonly body: UpstreamBody },
  cap: number,
  limit: CallLimit
): Promise<{ bytes: Buffer; truncated: boolean }> {
  const { body } = response;
  const header = response.headers['content-encoding'];
  const encoding = typeof header === 'string' ? header.trim().toLowerCase() : undefined;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    let decoder: Transform | undefined;
    const settle = (): boolean => {
      if (settled) return false;
      settled = true;
      limit.onStop(undefined);
      return true;
    };
    const fail = (e: Error) => settle() && reject(limit.stopped ?? e);
    const done = () => settle() && resolve({ bytes: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks), truncated: false });
    const take = (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      chunks.push(chunk);
      if (size <= cap) return;
      settle();
      body.destroy();
      decoder?.destroy();
      resolve({ bytes: Buffer.concat(chunks).subarray(0, cap), truncated: true });
    };
    limit.onStop((e) => {
      body.destroy(e);
      fail(e);
    });
    body.read({
      data(chunk) {
        if (!encoding || encoding === 'identity') return take(chunk);
        // Made on the first byte: an empty body (204, HEAD) with a Content-Encoding is not a decoding error.
        if (!decoder) {
          decoder = decoderFor(encoding, chunk);
          if (!decoder) return take(chunk);
          decoder
            .on('data', take)
            .on('end', done)
            .on('error', (e) => fail(new Error(`could not decode the ${encoding} response: ${e.message}`)));
        }
        decoder.write(chunk);
      },
      end: () => (decoder ? decoder.end() : done()),
      error: fail
    });
  });
}

function decoderFor(encoding: string, first: Buffer): Transform | undefined {
  if (encoding === 'gzip' || encoding === 'x-gzip') return createGunzip();
  // "deflate" is meant to be zlib-wrapped, but some servers send raw deflate: the first byte tells (as fetch does).
  if (encoding === 'deflate') return (first[0]! & 0x0f) === 0x08 ? createInflate() : createInflateRaw();
  if (encoding === 'br') return createBrotliDecompress();
  return undefined;
}
