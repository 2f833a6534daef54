import type { Type } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import type { Page } from '../../shared/api-types.js';

/**
 * The schema of a `Page<T>` of one item class. Extend it and name the result with @ApiSchema
 * (`JobPage`, `BackupPage`, …): the document then has one component per listing.
 */
export function pageOf<T>(item: Type<T>) {
  class PageOf implements Page<T> {
    @ApiProperty({ type: item, isArray: true })
    items: T[];

    @ApiProperty({ type: 'integer', minimum: 0, description: 'Items matching the filter, on every page' })
    total: number;

    @ApiProperty({ type: 'integer', minimum: 1 })
    page: number;

    @ApiProperty({ type: 'integer', minimum: 1 })
    pageSize: number;
  }
  return PageOf;
}
