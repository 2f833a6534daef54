/**
 * Cuts a stream of COPY output chunks into blocks of whole lines. A chunk can end in the middle
 * of a line (or of a UTF-8 character, which never contains the byte 0x0A), so the tail waits for
 * the next chunk.
 */
const EMPTY = Buffer.alloc(0);

export class LineBlocks {
  private tail: Buffer = Buffer.alloc(0);

  /** Whole lines of `chunk` plus any earlier tail, ending with `\n`; empty when none yet. */
  push(chunk: Buffer): Buffer {
    const end = chunk.lastIndexOf(0x0a);
    if (end === -1) {
      this.tail = this.tail.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.tail, chunk]);
      return EMPTY;
    }
    const head = this.tail.length === 0 ? chunk.subarray(0, end + 1) : Buffer.concat([this.tail, chunk.subarray(0, end + 1)]);
    this.tail = Buffer.from(chunk.subarray(end + 1));
    return head;
  }

  /** Throws when the stream ended inside a line: COPY output always ends with `\n`. */
  end(): void {
    if (this.tail.length > 0) throw new Error('COPY output ended in the middle of a line');
  }
}

export function countNewlines(text: string | Buffer): number {
  let count = 0;
  if (typeof text === 'string') {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) count++;
  } else {
    for (let i = text.indexOf(0x0a); i !== -1; i = text.indexOf(0x0a, i + 1)) count++;
  }
  return count;
}
