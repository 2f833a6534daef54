import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import type { ApiErrorBody, BundleError } from '../../shared/api-types.js';
import { ERROR_STATUS, type ErrorCode } from '../app-exception.js';
import { sameKeys } from './same-keys.js';

type FieldError = NonNullable<ApiErrorBody['fields']>[number];

@ApiSchema({ name: 'FieldError' })
export class FieldErrorDto implements FieldError {
  @ApiProperty({ example: 'tenantId' })
  field: string;

  @ApiProperty({ example: 'tenantId must be a UUID' })
  message: string;
}
sameKeys<FieldErrorDto, FieldError>(true);

@ApiSchema({ name: 'BundleError', description: 'One problem of a bundle: where (table, row id as written in the bundle, field) and what' })
export class BundleErrorDto implements BundleError {
  @ApiProperty({ type: String, nullable: true, example: 'users' })
  table: string | null;

  @ApiProperty({ type: String, nullable: true })
  rowId: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'email' })
  field: string | null;

  @ApiProperty()
  message: string;
}
sameKeys<BundleErrorDto, BundleError>(true);

/** The one error body (common/app-exception.filter.ts): every 4xx and 5xx answer has this shape. */
@ApiSchema({ name: 'ApiErrorBody', description: 'Every error answer: `code` is stable, `message` is for people' })
export class ApiErrorBodyDto implements ApiErrorBody {
  @ApiProperty({ type: 'integer', description: 'The HTTP status, repeated', example: 404 })
  statusCode: number;

  @ApiProperty({ enum: Object.keys(ERROR_STATUS), example: 'NOT_FOUND' })
  code: ErrorCode;

  @ApiProperty({ example: 'Job 5b0c… was not found' })
  message: string;

  @ApiProperty({ type: FieldErrorDto, isArray: true, required: false, description: 'Bad input: which field and what was expected' })
  fields?: FieldErrorDto[];

  @ApiProperty({ type: BundleErrorDto, isArray: true, required: false, description: 'Bundle validation errors' })
  errors?: BundleErrorDto[];

  @ApiProperty({ required: false, description: 'The x-request-id of the request, also in the logs' })
  requestId?: string;
}
sameKeys<ApiErrorBodyDto, ApiErrorBody>(true);
