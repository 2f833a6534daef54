import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * The seams of DEVELOPMENT.md's map, held by a test: the module graph of backend/src (type-only
 * imports included) has no cycle, and the engine (transfer/) knows nothing of the app: no
 * common/, no Nest, no TypeORM internals.
 */
const SRC = resolve(import.meta.dirname, '..');
const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+'([^']+)'/g;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

const graph = new Map<string, { relative: string[]; packages: string[] }>();
for (const file of sources(SRC)) {
  const text = readFileSync(file, 'utf8');
  const edges = { relative: [] as string[], packages: [] as string[] };
  for (const match of text.matchAll(IMPORT)) {
    const target = match[1];
    if (target.startsWith('.')) edges.relative.push(resolve(dirname(file), target).replace(/\.js$/, '.ts'));
    else edges.packages.push(target);
  }
  graph.set(file, edges);
}
const name = (file: string) => relative(SRC, file);
/** The engine reads the entities and the migrations (the schema it moves), nothing of the Nest app. */
const ENGINE_MAY_READ = ['transfer/', 'shared/', 'domain/', 'database/migrations/'];

describe('the import graph of backend/src', () => {
  it('has no cycle', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const stack: string[] = [];
    const visit = (file: string) => {
      state.set(file, 'open');
      stack.push(file);
      for (const next of graph.get(file)?.relative ?? []) {
        if (!graph.has(next)) continue;
        if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next].map(name).join(' → '));
        else if (!state.has(next)) visit(next);
      }
      stack.pop();
      state.set(file, 'done');
    };
    for (const file of graph.keys()) if (!state.has(file)) visit(file);
    expect(cycles).toEqual([]);
  });

  it('keeps the engine free of the app: no common/, no @nestjs, no TypeORM internals', () => {
    const leaks: string[] = [];
    for (const [file, edges] of graph) {
      if (!name(file).startsWith('transfer/')) continue;
      for (const target of edges.relative) if (!ENGINE_MAY_READ.some((dir) => name(target).startsWith(dir))) leaks.push(`${name(file)} → ${name(target)}`);
      for (const target of edges.packages) if (target.startsWith('@nestjs') || /^typeorm\/./.test(target)) leaks.push(`${name(file)} → ${target}`);
      // TypeORM's protected members reached through a cast (buildMetadatas...) are private API too.
      if (/as unknown as \{ build/.test(readFileSync(file, 'utf8'))) leaks.push(`${name(file)} → a TypeORM internal`);
    }
    expect(leaks).toEqual([]);
  });

  it('reads every relative import it checks (the pattern still matches the code)', () => {
    const total = [...graph.values()].reduce((n, e) => n + e.relative.length, 0);
    expect(graph.size).toBeGreaterThan(100);
    expect(total).toBeGreaterThan(300);
  });
});
