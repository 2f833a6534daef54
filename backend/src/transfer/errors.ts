import type { BundleError } from '../shared/api-types.js';

/**
 * The engine's own errors: a leaf module that imports nothing of the engine and nothing of the
 * app (STYLE: strapi's errors/base.ts). The app's AppException extends TransferError, and its one
 * filter maps every code to an HTTP status, so the engine never needs to know about HTTP.
 */
export type TransferErrorCode =
  'BAD_REQUEST' | 'FORBIDDEN' | 'TENANT_FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT' | 'TENANT_BUSY' | 'INVALID_BUNDLE' | 'VALIDATION_FAILED' | 'GONE' | 'UNAVAILABLE';

export interface TransferErrorDetails {
  fields?: { field: string; message: string }[];
  errors?: BundleError[];
}

/** A refusal with a stable code and a message for the user (what, where, what was expected). */
export class TransferError<Code extends string = TransferErrorCode> extends Error {
  constructor(
    readonly code: Code,
    message: string,
    readonly details: TransferErrorDetails = {},
  ) {
    super(message);
    this.name = 'TransferError';
  }
}

/** A request field the engine refuses (an option, or options that do not go together). */
export const badOption = (field: string, message: string) => new TransferError('BAD_REQUEST', `${field}: ${message}`, { fields: [{ field, message }] });

/** The database no longer matches what validation and the plan saw (another transaction changed it): rolled back. */
export class PlanMismatch extends Error {}

/** A bundle that cannot be read further (malformed, over a limit, checksum mismatch...). */
export class BundleRejected extends Error {
  readonly errors: BundleError[];

  constructor(errors: BundleError | BundleError[]) {
    const list = Array.isArray(errors) ? errors : [errors];
    super(list.map((e) => e.message).join('; '));
    this.errors = list;
    this.name = 'BundleRejected';
  }
}

export const reject = (message: string, where: Partial<Omit<BundleError, 'message'>> = {}): BundleRejected =>
  new BundleRejected({ table: where.table ?? null, rowId: where.rowId ?? null, field: where.field ?? null, message });

/** Errors up to a cap, and a count of the rest. */
export class ErrorList {
  readonly errors: BundleError[] = [];
  more = 0;

  constructor(private readonly cap: number) {}

  get count(): number {
    return this.errors.length + this.more;
  }

  /** Room left in the listed part (queries fetch no more than this). */
  get room(): number {
    return Math.max(0, this.cap - this.errors.length);
  }

  add(error: BundleError): void {
    if (this.errors.length < this.cap) this.errors.push(error);
    else this.more++;
  }

  /** `listed` are the first rows of a query whose full count is `total`. */
  addCounted(listed: BundleError[], total: number): void {
    for (const error of listed) this.add(error);
    this.more += Math.max(0, total - listed.length);
  }
}
