import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Storage, StorageArea } from './storage.js';

/** What the writer of a followed file says when the reader has caught up with it. */
export type WriterState = { state: 'writing' } | { state: 'done'; size: number } | { state: 'failed'; message: string };

/** Less than this read in one go means the reader is close behind the writer. */
const CATCH_UP_BYTES = 4 << 20;

export class FollowedFileFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FollowedFileFailed';
  }
}

/**
 * The bytes of a file while a job is still writing it (an export downloaded as it is made,
 * docs/storage.md "Downloads that follow the job"): ranged reads of what is there, and when the
 * reader has caught up, a look at the writer; it ends once the writer is done and every byte of
 * the size it reports has gone out, and errors (so an HTTP reply is cut, not ended) when the
 * writer failed or the sizes disagree. Only the local driver shows a file before it is whole;
 * on s3 this sees nothing until the upload completed, then reads it in one go.
 */
export function followStoredFile(
  storage: Storage,
  area: StorageArea,
  name: string,
  writer: () => Promise<WriterState>,
  options: { pollMs?: number; signal?: AbortSignal; failure?: (message: string) => Error } = {},
): Readable {
  const pollMs = options.pollMs ?? 100;
  const failure = options.failure ?? ((message: string) => new FollowedFileFailed(message));
  async function* bytes(): AsyncGenerator<Buffer> {
    let sent = 0;
    let finalSize: number | null = null;
    for (;;) {
      const size = (await storage.stat(area, name))?.size ?? 0;
      if (size > sent) {
        const before = sent;
        for await (const chunk of await storage.read(area, name, { start: sent, end: size - 1 })) {
          sent += (chunk as Buffer).length;
          yield chunk as Buffer;
        }
        // Close behind the writer: a pause, so that it is not a stat and an open per write it
        // makes, spinning on the core the job needs (the last bytes wait at most one pause).
        if (sent - before < CATCH_UP_BYTES && finalSize === null) await sleep(pollMs / 2, undefined, { signal: options.signal });
        continue;
      }
      if (finalSize !== null) {
        if (sent !== finalSize) throw failure(`${name}: ${sent} bytes were read, the writer wrote ${finalSize}`);
        return;
      }
      // The writer is asked before the next stat: once it says done, that stat sees the whole file.
      const state = await writer();
      if (state.state === 'failed') throw failure(state.message);
      if (state.state === 'done') finalSize = state.size;
      else await sleep(pollMs, undefined, { signal: options.signal });
    }
  }
  return Readable.from(bytes(), { objectMode: false });
}
