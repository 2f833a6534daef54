import { findDrops, groupSeries, polyline } from './size-chart';

describe('size chart', () => {
  const items = [
    { t: 'b', at: 3, bytes: 100 },
    { t: 'a', at: 1, bytes: 1000 },
    { t: 'a', at: 2, bytes: 1100 },
    { t: 'a', at: 3, bytes: 500 },
    { t: 'b', at: 1, bytes: 90 },
  ];
  const series = groupSeries(
    items,
    (i) => i.t,
    (i) => `tenant ${i.t}`,
    (i) => ({ at: i.at, bytes: i.bytes }),
  );

  it('groups per tenant, in time order', () => {
    expect(series.map((s) => s.label)).toEqual(['tenant a', 'tenant b']);
    expect(series[0].points.map((p) => p.at)).toEqual([1, 2, 3]);
  });

  it('calls out a backup that shrank by 30 % or more, and no growth', () => {
    const drops = findDrops(series);
    expect(drops).toHaveLength(1);
    expect(drops[0]).toMatchObject({ series: 'tenant a', at: 3, from: 1100, to: 500 });
    expect(drops[0].fraction).toBeCloseTo(0.545, 2);
  });

  it('maps points into the box, y growing upwards', () => {
    expect(
      polyline(
        [
          { at: 0, bytes: 0 },
          { at: 10, bytes: 100 },
        ],
        [0, 10],
        [0, 100],
        200,
        50,
      ),
    ).toBe('0.0,50.0 200.0,0.0');
  });
});
