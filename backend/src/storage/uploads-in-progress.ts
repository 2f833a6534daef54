import { Injectable } from '@nestjs/common';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { TransferError } from '../transfer/errors.js';
import type { BundleSource } from '../transfer/formats/bundle-source.js';
import { followStoredFile, type WriterState } from './follow-stored-file.js';
import type { Storage, StorageArea } from './storage.js';

interface Upload {
  /** 'written': every byte is stored, but the request that carried them has not ended well yet. */
  state: 'writing' | 'written' | 'done' | 'failed';
  /** The job that reads it as it arrives; any other job reads the stored file once it is whole. */
  jobId: string | null;
  size: number;
  message: string;
  settled: Promise<void>;
  settle: () => void;
}

/** How long a settled upload stays known: its job has long opened it by then. */
const KEEP_SETTLED_MS = 10 * 60_000;

/**
 * The uploads this process is receiving (docs/import.md "The upload and the job overlap"): an
 * import job may start while its bundle still streams in, reading what has arrived. An upload
 * counts as whole only once its request has ended well (`confirm`): all bytes stored is not
 * enough, as the form may still turn out wrong. Until then the job's read phase cannot end, so it
 * never validates, let alone writes, on a bundle that was not received whole.
 */
@Injectable()
export class UploadsInProgress {
  private readonly uploads = new Map<string, Upload>();

  begin(name: string): void {
    let settle!: () => void;
    const settled = new Promise<void>((resolve) => (settle = resolve));
    this.uploads.set(name, { state: 'writing', jobId: null, size: 0, message: '', settled, settle });
  }

  /** The job that reads the upload as it arrives: call before the job can start. */
  claim(name: string, jobId: string): void {
    const upload = this.uploads.get(name);
    if (upload) upload.jobId = jobId;
  }

  /** Every byte is stored; the upload is whole once confirmed. */
  written(name: string, size: number): void {
    const upload = this.uploads.get(name);
    if (upload?.state === 'writing') Object.assign(upload, { state: 'written', size });
  }

  /** The request ended well: the upload is whole (no-op unless all its bytes were written). */
  confirm(name: string): void {
    const upload = this.uploads.get(name);
    if (upload?.state !== 'written') return;
    upload.state = 'done';
    this.settle(name, upload);
  }

  /** The upload will never be whole; its job fails with this message. No-op once done. */
  fail(name: string, message: string): void {
    const upload = this.uploads.get(name);
    if (!upload || upload.state === 'done' || upload.state === 'failed') return;
    Object.assign(upload, { state: 'failed', message });
    this.settle(name, upload);
  }

  /** Null when this process is not receiving the file (any other stored file: it is whole). */
  state(name: string): WriterState | null {
    const upload = this.uploads.get(name);
    if (!upload) return null;
    if (upload.state === 'done') return { state: 'done', size: upload.size };
    if (upload.state === 'failed') return { state: 'failed', message: upload.message };
    return { state: 'writing' };
  }

  /** The upload as the engine reads a bundle, while it arrives, for the job that claimed it; else null. */
  source(storage: Storage, area: StorageArea, name: string, jobId: string): BundleSource | null {
    const upload = this.uploads.get(name);
    if (!upload || upload.jobId !== jobId) return null;
    const failure = (message: string) => new TransferError('INVALID_BUNDLE', message);
    const now = (): WriterState => this.state(name) ?? { state: 'failed', message: `The upload ${name} is no longer known to this server` };
    return {
      name,
      growing: true,
      size: async () => {
        await upload.settled;
        const state = now();
        if (state.state === 'failed') throw failure(state.message);
        return upload.size;
      },
      open: async (range) => {
        if (!range) return followStoredFile(storage, area, name, () => Promise.resolve(now()), { failure });
        // A range (the head that tells JSON from gzip) is read once the upload holds it, or has ended.
        for (;;) {
          const state = now();
          if (state.state === 'failed') throw failure(state.message);
          const size = (await storage.stat(area, name))?.size ?? 0;
          if (size > range.end || state.state === 'done') {
            const end = Math.min(range.end, size - 1);
            return end < range.start ? Readable.from([]) : storage.read(area, name, { start: range.start, end });
          }
          await sleep(20);
        }
      },
    };
  }

  private settle(name: string, upload: Upload): void {
    upload.settle();
    setTimeout(() => this.uploads.delete(name), KEEP_SETTLED_MS).unref();
  }
}
