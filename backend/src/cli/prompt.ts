import { createInterface } from 'node:readline/promises';

/**
 * Asks a question on the terminal (question on stderr, so stdout stays the result). A hidden
 * answer (a password) is read in raw mode and never echoed.
 */
export async function prompt(question: string, options: { hidden?: boolean } = {}): Promise<string> {
  const { stdin, stderr } = process;
  if (!options.hidden || !stdin.isTTY) {
    const rl = createInterface({ input: stdin, output: stderr, terminal: stdin.isTTY === true });
    try {
      return await rl.question(question);
    } finally {
      rl.close();
    }
  }
  stderr.write(question);
  return new Promise<string>((resolve) => {
    let answer = '';
    const finish = () => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      stderr.write('\n');
    };
    const onData = (chunk: Buffer) => {
      for (const char of chunk.toString('utf8')) {
        if (char === '\r' || char === '\n' || char === '\u0004') {
          finish();
          resolve(answer);
          return;
        }
        if (char === '\u0003') {
          finish();
          process.exit(130); // Ctrl-C: raw mode swallows the signal, so act as it would
        }
        if (char === '\u007f' || char === '\b') answer = answer.slice(0, -1);
        else if (char >= ' ') answer += char;
      }
    };
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on('data', onData);
  });
}
