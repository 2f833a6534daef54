import type { FetchLike } from './api-client.js';

/** A place to write text: process.stdout / process.stderr, or a buffer in the specs. */
export interface TextSink {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** Everything the CLI touches outside itself, so specs can run it in memory. */
export interface CliIo {
  env: Record<string, string | undefined>;
  cwd: string;
  stdout: TextSink;
  stderr: TextSink;
  stdinIsTTY: boolean;
  fetch: FetchLike;
  /** Asks on the terminal; `hidden` does not echo (passwords). */
  prompt(question: string, options?: { hidden?: boolean }): Promise<string>;
  /** Called with a message to show if the user presses Ctrl-C (a job keeps running on the server). */
  onInterrupt(message: string | null): void;
}

/**
 * stdout carries the result (a table, or with --json exactly one JSON document); stderr carries
 * progress, notes and errors, so `rythm-data … --json | jq` always sees clean JSON.
 */
export class Output {
  private wroteStdout = false;

  constructor(
    private readonly io: CliIo,
    readonly jsonMode: boolean,
  ) {}

  get stderrIsTTY(): boolean {
    return this.io.stderr.isTTY === true;
  }

  get columns(): number {
    return this.io.stderr.columns || 80;
  }

  get hasWrittenResult(): boolean {
    return this.wroteStdout;
  }

  /** The result for people; ignored in --json mode (the command calls json() instead). */
  print(text: string): void {
    if (this.jsonMode) return;
    this.wroteStdout = true;
    this.io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  /** The result for scripts: one JSON document. */
  json(value: unknown): void {
    this.wroteStdout = true;
    this.io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  /** Shows `plain()` to people or `data` to scripts. */
  result(data: unknown, plain: () => string): void {
    if (this.jsonMode) this.json(data);
    else this.print(plain());
  }

  /** Notes on stderr (not part of the result). */
  note(text: string): void {
    this.io.stderr.write(`${text}\n`);
  }

  /** Raw stderr writes for the progress bar. */
  raw(text: string): void {
    this.io.stderr.write(text);
  }
}
