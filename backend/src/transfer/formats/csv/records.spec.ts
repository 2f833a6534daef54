import { parse } from 'csv-parse/sync';
import { type CsvRecord, CsvRecordReader, CsvSyntaxError } from './records.js';

/** A small deterministic generator, so that a failure reproduces. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Reads `text` in chunks cut at the given sizes (cycled), as a stream would hand it over. */
function readChunked(text: string, sizes: number[]): CsvRecord[] {
  const reader = new CsvRecordReader(1_000_000);
  const records: CsvRecord[] = [];
  let at = 0;
  for (let i = 0; at < text.length; i++) {
    const size = Math.max(1, sizes[i % sizes.length]);
    records.push(...reader.push(text.slice(at, at + size)));
    at += size;
  }
  records.push(...reader.push('', true));
  return records;
}

/** A cell as PostgreSQL's COPY (FORMAT csv) writes it. */
function encodeCell(cell: string | null): string {
  if (cell === null) return '';
  return cell === '' || /[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

describe('CsvRecordReader', () => {
  it('reads plain and quoted cells, NULL versus "", CRLF and line numbers', () => {
    const text = 'id,notes,n\n1,,""\r\n2,"two\nlines, ""quoted""",x\n3,"",\n';
    expect(readChunked(text, [1000])).toEqual([
      { cells: ['id', 'notes', 'n'], line: 1 },
      { cells: ['1', null, ''], line: 2 },
      { cells: ['2', 'two\nlines, "quoted"', 'x'], line: 3 },
      { cells: ['3', '', null], line: 5 },
    ]);
  });

  it('gives the same records however the text is cut into chunks', () => {
    const next = random(7);
    const alphabet = ['a', 'b', ' ', ',', '"', '\n', '\r\n', 'é'];
    for (let round = 0; round < 300; round++) {
      const rows: (string | null)[][] = [];
      for (let r = 0; r < 1 + Math.floor(next() * 5); r++) {
        const row: (string | null)[] = [];
        for (let c = 0; c < 1 + Math.floor(next() * 4); c++) {
          const kind = next();
          if (kind < 0.15) row.push(null);
          else if (kind < 0.25) row.push('');
          else row.push(Array.from({ length: 1 + Math.floor(next() * 6) }, () => alphabet[Math.floor(next() * alphabet.length)]).join(''));
        }
        // A record of one NULL cell is an empty line, which no exporter writes.
        if (row.length === 1 && row[0] === null) row[0] = 'x';
        rows.push(row);
      }
      const newline = next() < 0.5 ? '\n' : '\r\n';
      const text = rows.map((row) => row.map(encodeCell).join(',')).join(newline) + (next() < 0.5 ? newline : '');
      const expected = rows;
      for (const sizes of [[text.length], [1], [2, 3], [5, 1, 7]]) {
        expect({ text, sizes, cells: readChunked(text, sizes).map((r) => r.cells) }).toEqual({ text, sizes, cells: expected });
      }
    }
  });

  it('agrees with csv-parse on what is valid CSV and what its cells are', () => {
    const next = random(11);
    const alphabet = ['a', ',', '"', '\n'];
    let invalid = 0;
    for (let round = 0; round < 3000; round++) {
      const text = Array.from({ length: Math.floor(next() * 14) }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
      let oracle: string[][] | 'error';
      try {
        const records: string[][] = parse(text, { relax_column_count: true, skip_empty_lines: false, bom: false });
        oracle = records;
      } catch {
        oracle = 'error';
      }
      let ours: string[][] | 'error';
      try {
        ours = readChunked(text, [3, 1, 4]).map((r) => r.cells.map((c) => c ?? ''));
      } catch (error) {
        if (!(error instanceof CsvSyntaxError)) throw error;
        ours = 'error';
      }
      if (oracle === 'error') invalid++;
      expect({ text, ours }).toEqual({ text, ours: oracle });
    }
    expect(invalid).toBeGreaterThan(100);
  });

  it('names the line of a syntax error and refuses an unclosed quote at the end', () => {
    expect(() => readChunked('a,b\nc,d"e\n', [100])).toThrow(
      expect.objectContaining({ line: 2, message: expect.stringContaining('quote inside an unquoted cell') }),
    );
    expect(() => readChunked('a,b\n"c"d,e\n', [100])).toThrow(expect.objectContaining({ line: 2, message: expect.stringContaining('closing quote') }));
    expect(() => readChunked('a,b\n"c,d\n', [100])).toThrow(expect.objectContaining({ message: expect.stringContaining('quote is not closed') }));
    const reader = new CsvRecordReader(10);
    expect(() => reader.push('"0123456789abcdef')).toThrow(/longer than 10 characters/);
  });
});
