#!/usr/bin/env node
// Launcher of the `rythm-data` command; the CLI is compiled with the backend (npm run build -w backend).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('rythm-data is not built yet: run `npm run build -w backend` (or `npm run build`) first.\n');
  process.exit(1);
}
await import(entry.href);
