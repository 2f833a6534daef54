import { CellError, type ColumnCodec, fromJsonValue, fromTextValue } from './column-codec.js';

const codec = (type: ColumnCodec['type'], extra: Partial<ColumnCodec> = {}): ColumnCodec => ({
  name: 'c',
  type,
  nullable: true,
  sqlType: type,
  hasDefault: false,
  precision: null,
  scale: null,
  ...extra,
});

describe('column codecs (per-value checks before COPY)', () => {
  it('checks uuids and lower-cases them', () => {
    expect(fromJsonValue(codec('uuid'), 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11')).toBe('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11');
    expect(() => fromJsonValue(codec('uuid'), 'abc')).toThrow(/expected a UUID .* got "abc"/);
    expect(() => fromTextValue(codec('uuid'), "x'; DROP TABLE users; --", false)).toThrow(CellError);
    expect(fromTextValue(codec('uuid'), 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', false)).toBe('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11');
    expect(fromTextValue(codec('uuid'), 'a0eebc99-9C0B-4ef8-bb6d-6bb9bd380a11', false)).toBe('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11');
    for (const bad of [
      'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1g',
      'a0eebc999-c0b-4ef8-bb6d-6bb9bd380a11',
      'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a111',
      'a0eebc99_9c0b_4ef8_bb6d_6bb9bd380a11',
      // The neighbours of each accepted range: ':' after '9', '@' before 'A', 'G' after 'F', '`' before 'a', 'g' after 'f'.
      'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1:',
      'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1@',
      'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A1G',
      'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1`',
      'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1g',
      'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380-11',
    ]) {
      expect(() => fromTextValue(codec('uuid'), bad, false)).toThrow(/expected a UUID/);
    }
  });

  it('checks integers: JSON numbers only, within 32 bits', () => {
    expect(fromJsonValue(codec('integer'), 12)).toBe('12');
    expect(() => fromJsonValue(codec('integer'), '12')).toThrow(/whole number/);
    expect(() => fromJsonValue(codec('integer'), 1.5)).toThrow(CellError);
    expect(() => fromJsonValue(codec('integer'), 2147483648)).toThrow(CellError);
    expect(fromTextValue(codec('integer'), '-2147483648', false)).toBe('-2147483648');
    expect(() => fromTextValue(codec('integer'), '1e3', false)).toThrow(CellError);
  });

  it('checks numeric text against the column precision and scale', () => {
    const weight = codec('numeric', { precision: 7, scale: 2 });
    expect(fromJsonValue(weight, '82.50')).toBe('82.50');
    expect(fromJsonValue(weight, '-99999.99')).toBe('-99999.99');
    expect(() => fromJsonValue(weight, 82.5)).toThrow(/as a string/);
    expect(() => fromJsonValue(weight, '82.505')).toThrow(/at most 2 digits after the point/);
    expect(() => fromJsonValue(weight, '100000.00')).toThrow(/below 10\^5/);
    expect(() => fromJsonValue(weight, 'NaN')).toThrow(CellError);
    expect(fromTextValue(weight, '000123.4', false)).toBe('000123.4');
  });

  it('checks timestamps with an offset, in JSON (ISO) and COPY form, and refuses impossible dates', () => {
    const ts = codec('timestamptz');
    expect(fromJsonValue(ts, '2026-06-01T06:00:00+00:00')).toBe('2026-06-01T06:00:00+00:00');
    expect(fromTextValue(ts, '2026-06-01 06:00:00.123456+00', false)).toBe('2026-06-01 06:00:00.123456+00');
    expect(fromJsonValue(ts, '2024-02-29T00:00:00Z')).toBe('2024-02-29T00:00:00Z');
    expect(() => fromJsonValue(ts, '2026-06-01T06:00:00')).toThrow(/with an offset/);
    expect(() => fromJsonValue(ts, '2025-02-29T00:00:00Z')).toThrow(/does not exist/);
    expect(() => fromJsonValue(ts, '2026-13-01T00:00:00Z')).toThrow(/does not exist/);
    expect(() => fromJsonValue(ts, '2026-06-01T24:00:00Z')).toThrow(/does not exist/);
    expect(() => fromJsonValue(ts, '2026-06-01T06:60:00Z')).toThrow(/does not exist/);
    expect(() => fromTextValue(ts, '2026-06-01 06:00:61+00', false)).toThrow(/does not exist/);
    expect(() => fromTextValue(ts, '2026-06-01 06:00:00+16', false)).toThrow(/does not exist/);
    expect(() => fromTextValue(ts, '2026-06-01 06:00:00+05:60', false)).toThrow(/does not exist/);
    expect(fromTextValue(ts, '2026-06-01 06:00:59-05:30', false)).toBe('2026-06-01 06:00:59-05:30');
    expect(fromTextValue(ts, '2026-06-01 06:00+01', false)).toBe('2026-06-01 06:00+01');
    expect(() => fromJsonValue(ts, 'yesterday')).toThrow(CellError);
  });

  it('escapes text for COPY, refuses NUL, and removes one formula-protection quote from CSV text', () => {
    expect(fromJsonValue(codec('text'), 'a\tb\nc\\')).toBe('a\\tb\\nc\\\\');
    expect(() => fromJsonValue(codec('text'), 'a\u0000b')).toThrow(/NUL/);
    expect(fromTextValue(codec('text'), "'=1+1", true)).toBe('=1+1');
    expect(fromTextValue(codec('text'), "''quoted", true)).toBe("'quoted");
    expect(fromTextValue(codec('text'), "'=1+1", false)).toBe("'=1+1");
  });

  it('refuses a lone surrogate in text, text[] and jsonb as it refuses NUL, and keeps a valid pair and U+FFFD as written', () => {
    const text = codec('text');
    expect(() => fromJsonValue(text, '\udada')).toThrow('text must not contain a lone surrogate \\udada at character 1 (the first half of a UTF-16 pair');
    expect(() => fromJsonValue(text, 'ok \ude00')).toThrow('a lone surrogate \\ude00 at character 4 (the second half of a UTF-16 pair');
    expect(() => fromJsonValue(text, '\ude00\ud83d')).toThrow(/lone surrogate \\ude00 at character 1/); // a reversed pair
    expect(() => fromJsonValue(text, '\ud83d\ude00\ud83d')).toThrow(/lone surrogate \\ud83d at character 3/);
    expect(() => fromTextValue(text, 'a\udada', true)).toThrow(CellError);
    expect(fromJsonValue(text, 'ok \ud83d\ude00')).toBe('ok 😀');
    expect(fromJsonValue(text, '\ufffd \ufeff')).toBe('\ufffd \ufeff'); // real characters, not stand-ins for bad bytes
    expect(() => fromJsonValue(codec('text[]'), ['legs', '\udada'])).toThrow(/lone surrogate/);
    expect(() => fromTextValue(codec('text[]'), '{legs,"\udada"}', false)).toThrow(/lone surrogate/);
    expect(() => fromJsonValue(codec('jsonb'), '\udada')).toThrow(/lone surrogate/);
    // jsonb from text: JSON escapes that PostgreSQL's jsonb refuses, in a key or a value.
    expect(() => fromTextValue(codec('jsonb'), '{"\\udada":1}', false)).toThrow(/lone surrogate \\udada/);
    expect(() => fromTextValue(codec('jsonb'), '["\\u0000"]', false)).toThrow(/NUL/);
    expect(fromTextValue(codec('jsonb'), '{"a":"\\ud83d\\ude00"}', false)).toBe('{"a":"\\\\ud83d\\\\ude00"}');
  });

  it('checks text[] as JSON arrays and as array literals', () => {
    const tags = codec('text[]');
    expect(fromJsonValue(tags, ['legs', 'full body'])).toBe('{legs,"full body"}');
    expect(fromTextValue(tags, '{legs,"full body"}', true)).toBe('{legs,"full body"}');
    expect(() => fromJsonValue(tags, 'legs')).toThrow(/array of strings/);
    expect(() => fromJsonValue(tags, [1])).toThrow(CellError);
    expect(() => fromTextValue(tags, 'legs', false)).toThrow(/array literal/);
  });

  it('refuses null in a NOT NULL column, in every form', () => {
    const required = codec('text', { nullable: false });
    expect(() => fromJsonValue(required, null)).toThrow(/is required/);
    expect(() => fromTextValue(required, null, true)).toThrow(/is required/);
    expect(fromJsonValue(codec('text'), null)).toBe('\\N');
  });
});
