/**
 * The top functions of `node --cpu-prof` profiles (e.g. `bench/archive.ts --cpu-prof DIR`, one file per
 * thread), by self time and by total time, aggregated by function name + file + line over every
 * profile given. Total time counts a function once per sample however often it recurs on the stack;
 * time spent after an `await` is charged to the continuation, not to the async caller, so the self
 * column is the one to read for async pipelines. --from/--to keep the samples between two offsets
 * (seconds from the start of each profile), e.g. to split ingest's per-file phase from its composites.
 *
 *   node --import tsx bench/cpuprofile-top.ts DIR-or-FILE... [--top 15] [--from S] [--to S]
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const argv = process.argv.slice(2);
function option(name: string, dflt: number): number {
  const i = argv.indexOf(`--${name}`);
  if (i < 0) return dflt;
  const [value] = argv.splice(i, 2).slice(1);
  return Number(value);
}
const top = option('top', 15);
const from = option('from', 0) * 1e6;
const to = option('to', Infinity) * 1e6;
const files = argv.flatMap((a) =>
  statSync(a).isDirectory()
    ? readdirSync(a)
        .filter((f) => f.endsWith('.cpuprofile'))
        .map((f) => path.join(a, f))
    : [a],
);
if (files.length === 0) throw new Error('usage: cpuprofile-top.ts DIR-or-FILE... [--top N] [--from S] [--to S]');

const self = new Map<string, number>();
const total = new Map<string, number>();
let sampled = 0;
const cwd = `file://${process.cwd()}/`;
for (const file of files) {
  const p = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const key = (n: ProfileNode): string => `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.replace(cwd, '')}:${n.callFrame.lineNumber + 1}`;
  // µs per node, from the samples inside the window
  const spent = new Map<number, number>();
  let clock = 0;
  p.samples.forEach((id, i) => {
    const dt = p.timeDeltas[i] ?? 0;
    clock += dt;
    if (clock >= from && clock <= to) spent.set(id, (spent.get(id) ?? 0) + dt);
  });
  for (const [id, dt] of spent) {
    sampled += dt;
    const k = key(byId.get(id)!);
    self.set(k, (self.get(k) ?? 0) + dt);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const kk = key(byId.get(cur)!);
      if (seen.has(kk)) continue;
      seen.add(kk);
      total.set(kk, (total.get(kk) ?? 0) + dt);
    }
  }
}

function show(m: Map<string, number>, label: string): void {
  console.log(`top ${top} by ${label} time, of ${(sampled / 1e6).toFixed(2)} s sampled in ${files.length} profile(s)`);
  for (const [k, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${(us / 1e6).toFixed(2).padStart(8)} s ${((100 * us) / sampled).toFixed(1).padStart(5)}%  ${k}`);
  }
}
show(self, 'self');
console.log('');
show(total, 'total');
