import { run } from './cli.js';
import type { CliIo } from './io.js';
import { prompt } from './prompt.js';

/** Entry point of `rythm-data` (bin/rythm-data.js): wires the real process into run(). */
let interruptMessage: string | null = null;

process.on('SIGINT', () => {
  process.stderr.write(`\n${interruptMessage ?? 'Interrupted.'}\n`);
  process.exit(130);
});

const io: CliIo = {
  env: process.env,
  cwd: process.cwd(),
  stdout: process.stdout,
  stderr: process.stderr,
  stdinIsTTY: process.stdin.isTTY === true,
  fetch: (input, init) => fetch(input, init),
  prompt,
  onInterrupt(message) {
    interruptMessage = message;
  },
};

process.exitCode = await run(process.argv.slice(2), io);
