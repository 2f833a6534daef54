import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';

/**
 * node backend/dist/scripts/profile-top.js <file.cpuprofile> [count]
 *
 * The functions with the most self time in a V8 CPU profile (`node --cpu-prof`), as a text
 * table: what docs/benchmarks.md quotes when it says where an operation's time goes.
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export function topSelfTime(profile: Profile, count: number): { name: string; where: string; ms: number; share: number }[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) selfUs.set(samples[i], (selfUs.get(samples[i]) ?? 0) + (deltas[i] ?? 0));
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0) || 1;
  const byFunction = new Map<string, { name: string; where: string; us: number }>();
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)!.callFrame;
    const where = frame.url ? `${basename(frame.url)}:${frame.lineNumber + 1}` : '';
    const key = `${frame.functionName}@${where}`;
    const entry = byFunction.get(key) ?? { name: frame.functionName || '(anonymous)', where, us: 0 };
    entry.us += us;
    byFunction.set(key, entry);
  }
  return [...byFunction.values()]
    .sort((a, b) => b.us - a.us)
    .slice(0, count)
    .map((e) => ({ name: e.name, where: e.where, ms: e.us / 1000, share: e.us / total }));
}

async function main(): Promise<void> {
  const [file, count] = process.argv.slice(2);
  if (!file) throw new Error('usage: profile-top.js <file.cpuprofile> [count]');
  const profile = JSON.parse(await readFile(file, 'utf8')) as Profile;
  console.log(`${basename(file)}: ${((profile.endTime - profile.startTime) / 1000).toFixed(0)} ms profiled`);
  console.log('| self ms | share | function | where |');
  console.log('|--:|--:|---|---|');
  for (const e of topSelfTime(profile, Number(count ?? 15))) {
    console.log(`| ${e.ms.toFixed(0)} | ${(e.share * 100).toFixed(1)}% | ${e.name} | ${e.where} |`);
  }
}

if (process.argv[1]?.endsWith('profile-top.js')) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  });
}
