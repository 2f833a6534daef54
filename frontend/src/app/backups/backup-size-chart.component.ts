import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { BackupView } from '@rythm/api-types';
import { formatBytes } from '../shared/bytes.pipe';
import { DateTimePipe } from '../shared/date-time.pipe';
import { findDrops, groupSeries, polyline } from '../shared/size-chart';

const WIDTH = 640;
const HEIGHT = 140;
const COLOURS = ['#1565c0', '#2e7d32', '#6a1b9a', '#ef6c00', '#00838f', '#ad1457'];

/**
 * Backup sizes over time, one line per tenant (and one for full backups). A backup that is much
 * smaller than the one before it is called out under the chart: the first sign of lost data.
 */
@Component({
  selector: 'app-backup-size-chart',
  imports: [DateTimePipe],
  template: `
    @if (series().length > 0) {
      <figure class="chart" data-testid="backups-size-chart">
        <figcaption>Backup sizes over time ({{ countText() }})</figcaption>
        <svg [attr.viewBox]="'0 0 ' + width + ' ' + (height + 20)" role="img" [attr.aria-label]="summary()">
          <line x1="0" [attr.y1]="height" [attr.x2]="width" [attr.y2]="height" class="axis" />
          @for (s of lines(); track s.key) {
            <polyline [attr.points]="s.points" [attr.stroke]="s.colour" fill="none" stroke-width="2" vector-effect="non-scaling-stroke" />
            @for (d of s.dots; track $index) {
              <circle [attr.cx]="d.x" [attr.cy]="d.y" r="3" [attr.fill]="s.colour" />
            }
          }
          <text x="0" [attr.y]="height + 16" class="tick">{{ range()[0] | dateTime }}</text>
          <text [attr.x]="width" [attr.y]="height + 16" text-anchor="end" class="tick">{{ range()[1] | dateTime }}</text>
        </svg>
        <ul class="legend">
          @for (s of lines(); track s.key) {
            <li><span class="swatch" [style.background]="s.colour"></span>{{ s.label }}: {{ s.last }}</li>
          }
          <li class="max">Top of the chart: {{ maxText() }}</li>
        </ul>
        @for (d of drops(); track d.series + d.at) {
          <p class="drop" role="note" data-testid="backups-size-drop">
            {{ d.series }}: the backup of {{ d.iso | dateTime }} is {{ d.percent }} % smaller than the one before ({{ d.fromText }} → {{ d.toText }}).
          </p>
        }
      </figure>
    }
  `,
  styles: `
    .chart {
      margin: 8px 0 16px;
      padding: 12px 16px;
      border: 1px solid var(--mat-sys-outline-variant);
      border-radius: 8px;
    }
    figcaption {
      font: var(--mat-sys-title-small);
      margin-bottom: 8px;
    }
    svg {
      width: 100%;
      max-height: 220px;
      display: block;
      overflow: visible;
    }
    .axis {
      stroke: var(--mat-sys-outline-variant);
    }
    .tick {
      font-size: 11px;
      fill: var(--mat-sys-on-surface-variant);
    }
    .legend {
      display: flex;
      flex-wrap: wrap;
      gap: 4px 16px;
      list-style: none;
      padding: 0;
      margin: 8px 0 0;
      font-size: 13px;
    }
    .swatch {
      display: inline-block;
      width: 10px;
      height: 10px;
      border-radius: 2px;
      margin-right: 6px;
    }
    .max {
      color: var(--mat-sys-on-surface-variant);
    }
    .drop {
      margin: 8px 0 0;
      color: var(--mat-sys-error);
      font-weight: 500;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class BackupSizeChartComponent {
  readonly backups = input.required<BackupView[]>();
  protected readonly width = WIDTH;
  protected readonly height = HEIGHT;
  protected readonly countText = computed(() => {
    const n = this.backups().length;
    return n === 1 ? 'one backup so far' : `the latest ${n.toLocaleString('en')}`;
  });

  protected readonly series = computed(() =>
    groupSeries(
      this.backups(),
      (b) => (b.scope === 'full' ? 'full' : (b.tenantId ?? 'none')),
      (b) => (b.scope === 'full' ? 'Full system' : (b.tenantSlug ?? b.tenantId?.slice(0, 8) ?? '—')),
      (b) => ({ at: new Date(b.createdAt).getTime(), bytes: b.sizeBytes }),
    ),
  );
  protected readonly range = computed<[string, string]>(() => {
    const times = this.series().flatMap((s) => s.points.map((p) => p.at));
    return [new Date(Math.min(...times)).toISOString(), new Date(Math.max(...times)).toISOString()];
  });
  private readonly maxBytes = computed(() => Math.max(1, ...this.series().flatMap((s) => s.points.map((p) => p.bytes))));
  protected readonly maxText = computed(() => formatBytes(this.maxBytes()));
  protected readonly lines = computed(() => {
    const x: [number, number] = [new Date(this.range()[0]).getTime(), new Date(this.range()[1]).getTime()];
    return this.series().map((s, i) => ({
      key: s.key,
      label: s.label,
      colour: COLOURS[i % COLOURS.length],
      points: polyline(s.points, x, [0, this.maxBytes()], WIDTH, HEIGHT - 4),
      dots: polyline(s.points, x, [0, this.maxBytes()], WIDTH, HEIGHT - 4)
        .split(' ')
        .map((pair) => {
          const [px, py] = pair.split(',');
          return { x: px, y: py };
        }),
      last: formatBytes(s.points.at(-1)?.bytes),
    }));
  });
  protected readonly drops = computed(() =>
    findDrops(this.series()).map((d) => ({
      ...d,
      iso: new Date(d.at).toISOString(),
      percent: Math.round(d.fraction * 100),
      fromText: formatBytes(d.from),
      toText: formatBytes(d.to),
    })),
  );
  protected readonly summary = computed(() => {
    const parts = this.lines().map((l) => `${l.label}, latest ${l.last}`);
    const drops = this.drops().length;
    return `Backup sizes over time: ${parts.join('; ')}.${drops ? ` ${drops} sudden drop${drops === 1 ? '' : 's'} in size.` : ''}`;
  });
}
