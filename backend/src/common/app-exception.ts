import { TransferError, type TransferErrorDetails } from '../transfer/errors.js';

/** Stable error codes; one filter maps them to HTTP statuses (STYLE §5). */
export const ERROR_STATUS = {
  BAD_REQUEST: 400,
  /** Sign-in: the email has accounts in several organisations; give the tenant's slug. */
  TENANT_REQUIRED: 400,
  INVALID_BUNDLE: 422,
  VALIDATION_FAILED: 422,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  TENANT_FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  TENANT_BUSY: 409,
  JOB_NOT_FINISHED: 409,
  GONE: 410,
  PAYLOAD_TOO_LARGE: 413,
  /** A download's Range lies past the end of the file. */
  RANGE_NOT_SATISFIABLE: 416,
  TOO_MANY_REQUESTS: 429,
  INTERNAL: 500,
  UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/**
 * The app's coded error. The engine throws its own TransferError (transfer/errors.ts), whose
 * codes are a subset of these; `statusOf` maps both.
 */
export class AppException extends TransferError<ErrorCode> {
  constructor(code: ErrorCode, message: string, details: TransferErrorDetails = {}) {
    super(code, message, details);
    this.name = 'AppException';
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

/** The HTTP status of an app or engine error. */
export const statusOf = (error: TransferError<ErrorCode>): number => ERROR_STATUS[error.code];

export const notFound = (what: string, id: string) => new AppException('NOT_FOUND', `${what} ${id} was not found`);
export const badRequest = (field: string, message: string) => new AppException('BAD_REQUEST', `${field}: ${message}`, { fields: [{ field, message }] });
