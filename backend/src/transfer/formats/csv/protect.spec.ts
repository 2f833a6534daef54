import { needsFormulaProtection, protectCsvText, unprotectCsvText } from './protect.js';

describe('CSV formula protection', () => {
  it.each(['=SUM(A1)', '+5 kg', '-2 reps', '@coach', '\tTab', '\rCR', "'quoted'", "''double"])('prefixes %j with one quote', (value) => {
    expect(protectCsvText(value)).toBe(`'${value}`);
  });

  it.each(['Felt strong', '', ' =space first', '5', 'a=b', 'Line one\nline two'])('leaves %j unchanged', (value) => {
    expect(protectCsvText(value)).toBe(value);
  });

  it('protects a lone minus sign (a text cell, not a number)', () => {
    expect(protectCsvText('-')).toBe("'-");
  });

  it('round-trips every string exactly, including ones that start with a quote', () => {
    const samples = ['', "'", "''", "'''abc", '=1+1', '+', '@', '\t', '\r\n', 'plain', 'ünïcødé', '😀=', "=''", "'=x"];
    // Plus every two-character string over the interesting alphabet.
    const alphabet = ["'", '=', '+', '-', '@', '\t', '\r', 'a', ' '];
    for (const a of alphabet) for (const b of alphabet) samples.push(a + b);
    for (const value of samples) {
      const cell = protectCsvText(value);
      expect(unprotectCsvText(cell)).toBe(value);
      // A protected cell never starts with a formula trigger other than the quote itself.
      expect(cell === '' || !needsFormulaProtection(cell) || cell.startsWith("'")).toBe(true);
    }
  });

  it('removes only one leading quote when reading', () => {
    expect(unprotectCsvText("''abc")).toBe("'abc");
    expect(unprotectCsvText('abc')).toBe('abc');
  });
});
