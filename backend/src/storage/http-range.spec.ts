import { parseRange, rangeStillApplies } from './http-range.js';

describe('parseRange (RFC 9110 byte ranges against a file of 1000 bytes)', () => {
  it.each([
    ['bytes=0-99', { start: 0, end: 99 }],
    ['bytes=900-', { start: 900, end: 999 }],
    ['bytes=-100', { start: 900, end: 999 }],
    ['bytes=-5000', { start: 0, end: 999 }],
    ['bytes=990-5000', { start: 990, end: 999 }],
    [' bytes = 5 - 5 ', { start: 5, end: 5 }],
  ])('%s → the range to send', (header, range) => {
    expect(parseRange(header, 1000)).toEqual(range);
  });

  it.each(['bytes=1000-', 'bytes=1000-1001', 'bytes=-0'])('%s → unsatisfiable (416)', (header) => {
    expect(parseRange(header, 1000)).toBe('unsatisfiable');
  });

  it.each([undefined, '', 'bytes=', 'bytes=-', 'bytes=10-5', 'bytes=0-1,5-6', 'lines=0-1', 'bytes=a-b'])('%s → the whole file', (header) => {
    expect(parseRange(header, 1000)).toBeNull();
  });

  it('finds no byte to send in an empty file', () => {
    expect(parseRange('bytes=0-', 0)).toBe('unsatisfiable');
    expect(parseRange('bytes=-1', 0)).toBe('unsatisfiable');
  });
});

describe('rangeStillApplies (If-Range)', () => {
  const modified = new Date('2026-12-01T10:00:00.500Z');
  it('applies without If-Range, with the same ETag, or with a date not older than the file', () => {
    expect(rangeStillApplies(undefined, '"a-1"', modified)).toBe(true);
    expect(rangeStillApplies('"a-1"', '"a-1"', modified)).toBe(true);
    expect(rangeStillApplies(modified.toUTCString(), '"a-1"', modified)).toBe(true);
  });
  it('does not apply to another ETag, an older date, or a value that is neither', () => {
    expect(rangeStillApplies('"b-2"', '"a-1"', modified)).toBe(false);
    expect(rangeStillApplies(new Date('2026-12-01T09:00:00Z').toUTCString(), '"a-1"', modified)).toBe(false);
    expect(rangeStillApplies('yesterday', '"a-1"', modified)).toBe(false);
  });
});
