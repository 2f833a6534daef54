import type { JobView } from '../shared/api-types.js';
import { ApiClient, ApiError } from './api-client.js';
import { EventStreamParser, watchJob } from './job-watcher.js';

const view = (status: JobView['status'], rowsDone = 0): JobView => ({
  id: 'j1',
  type: 'export',
  status,
  tenantId: null,
  createdBy: null,
  params: {},
  progress: { phase: status, rowsDone },
  result: null,
  error: null,
  createdAt: '2026-01-01T00:00:00Z',
  startedAt: null,
  finishedAt: null,
});

function eventStream(chunks: string[]): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
  return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
}

describe('EventStreamParser', () => {
  it('returns the data of complete events, whatever the chunking', () => {
    const parser = new EventStreamParser();
    expect(parser.push('data: {"a"')).toEqual([]);
    expect(parser.push(':1}\n\nid: 2\ndata: {"a":2}\n')).toEqual(['{"a":1}']);
    expect(parser.push('\n: comment\n\n')).toEqual(['{"a":2}']);
  });

  it('joins multi-line data and accepts CRLF', () => {
    expect(new EventStreamParser().push('data: line1\r\ndata: line2\r\n\r\n')).toEqual(['line1\nline2']);
  });
});

describe('watchJob', () => {
  it('follows the event stream until the job ends, reporting each update', async () => {
    const seen: string[] = [];
    const fetch = (url: string, init?: RequestInit) => {
      expect(url).toBe('http://api/api/jobs/j1/events');
      expect(new Headers(init?.headers).get('authorization')).toBe('Bearer tok');
      return Promise.resolve(eventStream([`data: ${JSON.stringify(view('running', 5))}\n\n`, `data: ${JSON.stringify(view('succeeded', 9))}\n\n`]));
    };
    const done = await watchJob(new ApiClient('http://api', 'tok', fetch), 'j1', { onUpdate: (j) => seen.push(`${j.status}:${j.progress?.rowsDone}`) });
    expect(done.status).toBe('succeeded');
    expect(seen).toEqual(['running:5', 'succeeded:9']);
  });

  it('polls when the stream cannot be opened or ends before the job', async () => {
    const statuses = ['running', 'running', 'failed'] as const;
    let polls = 0;
    const fetch = (url: string) => {
      if (url.endsWith('/events')) return Promise.resolve(eventStream([`data: ${JSON.stringify(view('running'))}\n\n`]));
      return Promise.resolve(new Response(JSON.stringify(view(statuses[polls++])), { headers: { 'content-type': 'application/json' } }));
    };
    const done = await watchJob(new ApiClient('http://api', 'tok', fetch), 'j1', { pollMs: 1 });
    expect(done.status).toBe('failed');
    expect(polls).toBe(3);
  });

  it('surfaces the API error through polling (a job of another tenant)', async () => {
    const fetch = () =>
      Promise.resolve(
        new Response(JSON.stringify({ statusCode: 403, code: 'TENANT_FORBIDDEN', message: 'This job belongs to another tenant' }), { status: 403 }),
      );
    await expect(watchJob(new ApiClient('http://api', 'tok', fetch), 'j1', { pollMs: 1 })).rejects.toBeInstanceOf(ApiError);
  });

  it('gives up on a silent stream and polls', async () => {
    const fetch = (url: string, init?: RequestInit) => {
      if (url.endsWith('/events')) {
        const body = new ReadableStream<Uint8Array>({
          start(controller) {
            init?.signal?.addEventListener('abort', () => controller.error(new DOMException('aborted', 'AbortError')));
          },
        });
        return Promise.resolve(new Response(body, { headers: { 'content-type': 'text/event-stream' } }));
      }
      return Promise.resolve(new Response(JSON.stringify(view('succeeded')), { headers: { 'content-type': 'application/json' } }));
    };
    const done = await watchJob(new ApiClient('http://api', 'tok', fetch), 'j1', { idleMs: 20, pollMs: 1 });
    expect(done.status).toBe('succeeded');
  });
});
