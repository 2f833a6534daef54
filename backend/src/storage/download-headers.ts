import type { HeadersObject } from '@nestjs/swagger';

/** The OpenAPI headers of every stored-file download (send-stored-file.ts sends them). */
export const DOWNLOAD_HEADERS: HeadersObject = {
  'content-disposition': { description: 'attachment; filename="<the file’s name>"', schema: { type: 'string' } },
  'accept-ranges': { description: '`bytes`: a download resumes with `Range: bytes=<offset>-`', schema: { type: 'string' } },
  etag: { description: 'The file’s validator, for If-Range', schema: { type: 'string' } },
};

export const PARTIAL_CONTENT_HEADERS: HeadersObject = {
  ...DOWNLOAD_HEADERS,
  'content-range': { description: '`bytes <first>-<last>/<size>`', schema: { type: 'string' } },
};

export const RANGE_HEADER: HeadersObject = {
  'content-range': { description: '`bytes */<size>`: the file’s size', schema: { type: 'string' } },
};
