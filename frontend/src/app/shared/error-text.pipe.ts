import { Pipe, type PipeTransform } from '@angular/core';
import { describeError } from '../core/errors/error-message';

/** The API's message for an error (resource errors are HttpErrorResponses). */
@Pipe({ name: 'errorText' })
export class ErrorTextPipe implements PipeTransform {
  transform(error: unknown): string {
    return describeError(error);
  }
}
