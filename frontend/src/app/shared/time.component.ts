import { ChangeDetectionStrategy, Component, booleanAttribute, computed, input } from '@angular/core';
import { DateTimePipe } from './date-time.pipe';
import { relativeTime } from './dates';

/**
 * An instant, written the one way the console writes dates. `relative` (for lists a person
 * scans) shows "5 minutes ago" with the exact time as the tooltip; past a week, the date itself.
 */
@Component({
  selector: 'app-time',
  imports: [DateTimePipe],
  template: `@if (at(); as iso) {
      <time [attr.datetime]="iso" [attr.title]="relative() ? (iso | dateTime) : null">{{ relative() ?? (iso | dateTime) }}</time>
    } @else {
      —
    }`,
  styles: `
    time {
      white-space: nowrap;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class TimeComponent {
  readonly at = input.required<string | null | undefined>();
  readonly relativeInput = input(false, { alias: 'relative', transform: booleanAttribute });
  protected readonly relative = computed(() => (this.relativeInput() ? relativeTime(this.at()) : null));
}
