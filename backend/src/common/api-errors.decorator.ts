import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath, type HeadersObject } from '@nestjs/swagger';
import { ERROR_STATUS, type ErrorCode } from './app-exception.js';
import { ApiErrorBodyDto } from './dto/api-error-body.dto.js';

export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 410 | 413 | 416 | 429;

/** What each status means on any route; a route passes its own words where it says more. */
export const ERROR_MEANING: Record<ErrorStatus, string> = {
  400: 'Bad input: `fields` names each field at fault and what was expected',
  401: 'No valid access token (missing, malformed or expired): sign in again',
  403: 'The signed-in user may not do this',
  404: 'Not found',
  409: 'Conflicts with the current state',
  410: 'The file is no longer there',
  413: 'Too large',
  416: 'The Range asked for lies past the end of the file (Content-Range: bytes */<size> gives its size)',
  429: 'Too many requests',
};

/** The codes the exception filter sends with a status (ERROR_STATUS, read, never restated). */
const codesOf = (status: ErrorStatus): ErrorCode[] => (Object.keys(ERROR_STATUS) as ErrorCode[]).filter((code) => ERROR_STATUS[code] === status);

/**
 * Documents 4xx answers of a route (or of every route of a controller): each an ApiErrorBody whose
 * statusCode is that status and whose code is one the filter sends with it. `true` takes the
 * status's usual meaning (ERROR_MEANING), a string says what it means on this route. The body is
 * JSON; `mediaTypes` names the content types it is sent with when a route's own header wins.
 */
export function ApiErrors(
  errors: Partial<Record<ErrorStatus, string | true | { description: string; headers: HeadersObject }>>,
  { mediaTypes = ['application/json'] }: { mediaTypes?: string[] } = {},
) {
  const responses = Object.entries(errors).map(([key, meaning]) => {
    const status = Number(key) as ErrorStatus;
    const { description, headers } =
      typeof meaning === 'object' ? meaning : { description: meaning === true ? ERROR_MEANING[status] : meaning, headers: undefined };
    const schema = {
      allOf: [
        { $ref: getSchemaPath(ApiErrorBodyDto) },
        { type: 'object', properties: { statusCode: { type: 'integer', enum: [status] }, code: { type: 'string', enum: codesOf(status) } } },
      ],
    };
    return ApiResponse({ status, description, headers, content: Object.fromEntries(mediaTypes.map((type) => [type, { schema }])) });
  });
  return applyDecorators(ApiExtraModels(ApiErrorBodyDto), ...responses);
}

/** The answers every admin route shares: the JWT guard's 401 and the roles guard's 403 (auth/). */
export const ApiAdminRoute = () => ApiErrors({ 401: true, 403: 'The role is neither org_admin nor system_admin' });
