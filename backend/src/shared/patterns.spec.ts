import type { JobStatus } from './api-types.js';
import { canonicalUuid, isTerminal, isUuid, replaceUuids, TERMINAL_JOB_STATUSES, UUID_ANY_CASE, uuidsIn } from './patterns.js';

const ID = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

describe('the uuid pattern', () => {
  it('is the canonical lower-case form; upper case passes only the any-case pattern', () => {
    expect(isUuid(ID)).toBe(true);
    expect(isUuid(ID.toUpperCase())).toBe(false);
    expect(UUID_ANY_CASE.test(ID.toUpperCase())).toBe(true);
    for (const bad of ['', 'nope', `${ID}0`, ID.replace(/-/g, ''), `{${ID}}`, ` ${ID}`]) {
      expect(isUuid(bad)).toBe(false);
      expect(canonicalUuid(bad)).toBeNull();
    }
  });

  it('accepts an upper-case id by lower-casing it', () => {
    expect(canonicalUuid(ID.toUpperCase())).toBe(ID);
    expect(canonicalUuid(ID)).toBe(ID);
  });

  it('finds and replaces the ids inside a text, every time from the start', () => {
    const other = '11111111-2222-4333-8444-555555555555';
    const text = `row ${ID} references ${other}`;
    expect(uuidsIn(text)).toEqual([ID, other]);
    expect(uuidsIn(text)).toEqual([ID, other]);
    expect(replaceUuids(text, (id) => (id === ID ? 'A' : 'B'))).toBe('row A references B');
    expect(uuidsIn('no id here')).toEqual([]);
  });
});

describe('terminal job statuses', () => {
  it('are succeeded, failed and cancelled, all of them job statuses', () => {
    // Compiles only while every terminal status is a JobStatus.
    const statuses: readonly JobStatus[] = TERMINAL_JOB_STATUSES;
    expect([...statuses]).toEqual(['succeeded', 'failed', 'cancelled']);
    expect((['queued', 'running', 'succeeded', 'failed', 'cancelled'] as JobStatus[]).filter(isTerminal)).toEqual(['succeeded', 'failed', 'cancelled']);
  });
});
