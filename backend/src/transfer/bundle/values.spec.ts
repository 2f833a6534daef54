import { decodeCopyText, encodeCopyText, formatTextArray, jsonValueToCopyField, parseTextArray, splitCopyLine } from './values.js';

describe('COPY text values', () => {
  it('escapes backslash, tab, newline and carriage return, and round-trips', () => {
    const value = 'a\\b\tc\nd\re';
    expect(encodeCopyText(value)).toBe('a\\\\b\\tc\\nd\\re');
    expect(decodeCopyText(encodeCopyText(value))).toBe(value);
  });

  it('uses \\N for null, and a literal "\\N" string stays a string', () => {
    expect(encodeCopyText(null)).toBe('\\N');
    expect(decodeCopyText('\\N')).toBeNull();
    expect(decodeCopyText(encodeCopyText('\\N'))).toBe('\\N');
  });

  it('decodes octal and hex escapes as COPY does', () => {
    expect(decodeCopyText('\\101\\x42\\.')).toBe('AB.');
  });

  it('splits a line on raw tabs only', () => {
    expect(splitCopyLine(`a\t${encodeCopyText('b\tc')}\t\\N`).map(decodeCopyText)).toEqual(['a', 'b\tc', null]);
  });
});

describe('text[] literals', () => {
  it('formats like PostgreSQL prints', () => {
    expect(formatTextArray(['legs', 'grip'])).toBe('{legs,grip}');
    expect(formatTextArray(['full body', 'a"b', 'c\\d', '', 'null', null])).toBe('{"full body","a\\"b","c\\\\d","","null",NULL}');
    expect(formatTextArray([])).toBe('{}');
  });

  it('parses what it formats', () => {
    const values = ['full body', 'a"b', 'c\\d', '', 'NULL', null, 'x,y', '{z}'];
    expect(parseTextArray(formatTextArray(values))).toEqual(values);
    expect(parseTextArray('{}')).toEqual([]);
    expect(parseTextArray('{ a , b }')).toEqual(['a', 'b']);
  });

  it('refuses malformed literals', () => {
    expect(() => parseTextArray('legs')).toThrow(/not an array literal/);
    expect(() => parseTextArray('{"open}')).toThrow(/unterminated/);
    expect(() => parseTextArray('{{a},{b}}')).toThrow(/one-dimensional/);
  });
});

describe('jsonValueToCopyField', () => {
  it('encodes each column type', () => {
    expect(jsonValueToCopyField('text', 'a\tb')).toBe('a\\tb');
    expect(jsonValueToCopyField('numeric', '82.50')).toBe('82.50');
    expect(jsonValueToCopyField('integer', -3)).toBe('-3');
    expect(jsonValueToCopyField('text[]', ['full body'])).toBe('{"full body"}');
    expect(jsonValueToCopyField('timestamptz', null)).toBe('\\N');
  });

  it('names what it expected on a wrong shape', () => {
    expect(() => jsonValueToCopyField('integer', '3')).toThrow(/integer/);
    expect(() => jsonValueToCopyField('text[]', [1])).toThrow(/array of strings/);
  });
});
