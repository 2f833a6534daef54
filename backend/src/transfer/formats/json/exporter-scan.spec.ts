import { scanExporterLine, scanKeys } from './exporter-scan.js';

const keys = scanKeys(['id', 'reps', 'notes', 'done']);
const row = { id: 'a1', reps: 12, notes: 'Bar ☃ x', done: true };
const line = (value: object, comma = true) => `${JSON.stringify(value)}${comma ? ',' : ''}\n`;

describe('scanExporterLine', () => {
  it('reads a row line as the exporter writes it into values in column order, with its text and comma', () => {
    expect(scanExporterLine(line(row), keys)).toEqual({ values: ['a1', 12, 'Bar ☃ x', true], body: JSON.stringify(row), comma: true });
    expect(scanExporterLine(line({ ...row, notes: null, done: false }, false), keys)).toEqual({
      values: ['a1', 12, null, false],
      body: JSON.stringify({ ...row, notes: null, done: false }),
      comma: false,
    });
  });

  it('reads negative and fractional numbers written canonically', () => {
    expect(scanExporterLine(line({ ...row, reps: -2.5 }), keys)?.values[1]).toBe(-2.5);
  });

  // Each of these is left to the JSON.parse way, which accepts or flags it with its own rules.
  it.each([
    ['an escape in a string', line({ ...row, notes: 'say "hi"' })],
    ['an escaped line break', line({ ...row, notes: 'a\nb' })],
    ['a raw tab', line(row).replace('Bar', 'Bar\t')],
    ['keys in another order', line({ reps: 12, id: 'a1', notes: null, done: true })],
    ['a missing column', line({ id: 'a1', reps: 12, notes: null })],
    ['a stray key', line({ ...row, extra: 1 })],
    ['a duplicate key', '{"id":"a1","id":"a1","reps":12,"notes":null,"done":true}\n'],
    ['whitespace', '{"id": "a1","reps":12,"notes":null,"done":true}\n'],
    ['a number not written as JSON.stringify writes it', '{"id":"a1","reps":1.0,"notes":null,"done":true}\n'],
    ['a number beyond a double', '{"id":"a1","reps":12345678901234567890,"notes":null,"done":true}\n'],
    ['an exponent', '{"id":"a1","reps":1e2,"notes":null,"done":true}\n'],
    ['an array', line({ ...row, notes: ['x'] })],
    ['an object', line({ ...row, notes: { a: 1 } })],
    ['a misspelt literal', '{"id":"a1","reps":12,"notes":nul,"done":true}\n'],
    ['a lone surrogate', line(row).replace('☃', '\ud800')],
    ['text after the row', '{"id":"a1","reps":12,"notes":null,"done":true}x\n'],
    ['no line break', JSON.stringify(row)],
    ['an unterminated string', '{"id":"a1,"reps":12}\n'],
  ])('returns null for %s', (_what, text) => {
    expect(scanExporterLine(text, keys)).toBeNull();
  });
});
