import type { ApiErrorBody } from '../shared/api-types.js';

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

/** The API answered with an error status; `body` is its ApiErrorBody (or a stand-in for non-JSON answers). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody,
    readonly method: string,
    readonly path: string,
  ) {
    super(body.message);
    this.name = 'ApiError';
  }
}

/** No HTTP answer at all: refused, unknown host, timeout. */
export class ConnectionError extends Error {
  constructor(
    readonly baseUrl: string,
    readonly reason: string,
  ) {
    super(`Cannot reach the API at ${baseUrl}: is it running? (${reason})`);
    this.name = 'ConnectionError';
  }
}

/**
 * `--api` accepts the server's address with or without `/api` and trailing slashes; the result is
 * the key under which tokens are saved, so both spellings find the same session.
 */
export function normalizeApiUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new TypeError(`"${raw}" is not a URL: give the API address like http://localhost:3000`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`"${raw}" must be an http:// or https:// address`);
  const path = url.pathname.replace(/\/+$/, '').replace(/\/api$/, '');
  return `${url.origin}${path}`;
}

type Query = Record<string, string | number | boolean | undefined | null>;

/** A thin client of the RYTHM Data REST API: JSON in and out, errors as ApiError / ConnectionError. */
export class ApiClient {
  constructor(
    readonly baseUrl: string,
    private readonly token: string | null,
    private readonly fetchImpl: FetchLike = fetch,
  ) {}

  get<T>(path: string, query?: Query): Promise<T> {
    return this.json<T>('GET', withQuery(path, query));
  }

  post<T>(path: string, body?: unknown): Promise<T> {
    return this.json<T>('POST', path, body === undefined ? undefined : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  }

  /** Multipart upload; a Blob from fs.openAsBlob in the form streams from disk. */
  postForm<T>(path: string, form: FormData): Promise<T> {
    return this.json<T>('POST', path, { body: form });
  }

  /** The raw response of a successful request (downloads, server-sent events). */
  async send(method: string, path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set('accept', headers.get('accept') ?? 'application/json');
    if (this.token) headers.set('authorization', `Bearer ${this.token}`);
    let response: Response;
    try {
      response = await this.fetchImpl(`${this.baseUrl}${path}`, { ...init, method, headers });
    } catch (error) {
      if (init.signal?.aborted) throw error;
      throw new ConnectionError(this.baseUrl, describeNetworkError(error));
    }
    if (!response.ok) throw new ApiError(response.status, await errorBody(response), method, path);
    return response;
  }

  private async json<T>(method: string, path: string, init: RequestInit = {}): Promise<T> {
    const response = await this.send(method, path, init);
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    if (text === '') return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ApiError(
        response.status,
        {
          statusCode: response.status,
          code: 'NOT_JSON',
          message: `${method} ${path} answered with something that is not JSON: is ${this.baseUrl} a RYTHM Data API?`,
        },
        method,
        path,
      );
    }
  }
}

function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

async function errorBody(response: Response): Promise<ApiErrorBody> {
  const text = await response.text().catch(() => '');
  try {
    const body = JSON.parse(text) as Partial<ApiErrorBody>;
    if (body && typeof body.message === 'string') {
      return { ...body, statusCode: body.statusCode ?? response.status, code: body.code ?? `HTTP_${response.status}`, message: body.message };
    }
  } catch {
    // not JSON: a proxy or another server answered
  }
  const message =
    response.status === 502 || response.status === 503 || response.status === 504
      ? `The API is not available right now (HTTP ${response.status}): try again shortly`
      : `HTTP ${response.status} ${response.statusText}`.trim();
  return { statusCode: response.status, code: `HTTP_${response.status}`, message };
}

function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}
