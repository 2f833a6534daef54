import { formatDate } from '@angular/common';
import { LOCALE_ID, Pipe, type PipeTransform, inject } from '@angular/core';
import { DATE_TIME_FORMAT } from './dates';

/** `{{ iso | dateTime }}`: "2 Dec 2026, 01:32", the one date format of the console. */
@Pipe({ name: 'dateTime' })
export class DateTimePipe implements PipeTransform {
  private readonly locale = inject(LOCALE_ID);

  transform(iso: string | null | undefined): string {
    return iso ? formatDate(iso, DATE_TIME_FORMAT, this.locale) : '—';
  }
}
