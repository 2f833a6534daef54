import type { JobView } from '../shared/api-types.js';
import { isTerminal } from '../shared/patterns.js';
import type { ApiClient } from './api-client.js';

export interface WatchOptions {
  onUpdate?(job: JobView): void;
  /** Polling interval once server-sent events are not available. */
  pollMs?: number;
  /** Silence on the event stream after which polling takes over (a buffering proxy, a dead link). */
  idleMs?: number;
  /** Polling only: for tests and for proxies known to break event streams. */
  noEvents?: boolean;
}

/**
 * Waits until a job ends and returns its final view. Follows GET /api/jobs/:id/events (each
 * message a JobView); if the stream cannot be opened, ends early or falls silent, polls
 * GET /api/jobs/:id instead, which also surfaces the real error (401, 404) if there is one.
 */
export async function watchJob(client: ApiClient, jobId: string, options: WatchOptions = {}): Promise<JobView> {
  if (!options.noEvents) {
    try {
      const last = await followEvents(client, jobId, options);
      if (last && isTerminal(last.status)) return last;
    } catch {
      // fall through to polling, which reports errors properly
    }
  }
  return poll(client, jobId, options);
}

async function poll(client: ApiClient, jobId: string, options: WatchOptions): Promise<JobView> {
  const path = `/api/jobs/${encodeURIComponent(jobId)}`;
  for (;;) {
    const job = await client.get<JobView>(path);
    options.onUpdate?.(job);
    if (isTerminal(job.status)) return job;
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 500));
  }
}

async function followEvents(client: ApiClient, jobId: string, options: WatchOptions): Promise<JobView | null> {
  const controller = new AbortController();
  const idleMs = options.idleMs ?? 30_000;
  let idle: NodeJS.Timeout | undefined;
  const resetIdle = () => {
    clearTimeout(idle);
    idle = setTimeout(() => controller.abort(), idleMs);
  };
  resetIdle();
  let last: JobView | null = null;
  try {
    const response = await client.send('GET', `/api/jobs/${encodeURIComponent(jobId)}/events`, {
      headers: { accept: 'text/event-stream' },
      signal: controller.signal,
    });
    if (!response.body || !response.headers.get('content-type')?.includes('text/event-stream')) return null;
    const parser = new EventStreamParser();
    const decoder = new TextDecoder();
    for await (const chunk of response.body) {
      resetIdle();
      for (const data of parser.push(decoder.decode(chunk as Uint8Array, { stream: true }))) {
        last = JSON.parse(data) as JobView;
        options.onUpdate?.(last);
        if (isTerminal(last.status)) return last;
      }
    }
    return last;
  } catch (error) {
    if (controller.signal.aborted) return last;
    throw error;
  } finally {
    clearTimeout(idle);
    controller.abort();
  }
}

/** The `data:` payloads of a text/event-stream, fed chunk by chunk (events may split anywhere). */
export class EventStreamParser {
  private buffer = '';

  push(text: string): string[] {
    this.buffer += text.replace(/\r\n?/g, '\n');
    const payloads: string[] = [];
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      const data = block
        .split('\n')
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).replace(/^ /, ''));
      if (data.length > 0) payloads.push(data.join('\n'));
    }
    return payloads;
  }
}
