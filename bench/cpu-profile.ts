// Summarise a V8 CPU profile (.cpuprofile, e.g. from BENCH_CPU_PROF=<dir> npm run bench:class): self time per
// function and per file (node_modules packages folded into their package), the top entries.
//   npx tsx bench/cpu-profile.ts <file.cpuprofile> [top=25]
import { readFileSync } from "node:fs";
import { codeOf, type CpuProfile as Profile, type ProfileNode as Node } from "./cpu-profile-format.ts";


const [file, topArg] = process.argv.slice(2);
if (!file) throw new Error("usage: npx tsx bench/cpu-profile.ts <file.cpuprofile> [top]");
const top = Number(topArg ?? 25);
const p = JSON.parse(readFileSync(file, "utf8")) as Profile;
const byId = new Map(p.nodes.map((n) => [n.id, n]));
// time per node from samples × deltas (more exact than hitCount × interval)
const selfUs = new Map<number, number>();
const samples = p.samples ?? [];
const deltas = p.timeDeltas ?? [];
for (let i = 0; i < samples.length; i++) selfUs.set(samples[i], (selfUs.get(samples[i]) ?? 0) + (deltas[i + 1] ?? deltas[i] ?? 0));
const total = [...selfUs.values()].reduce((a, b) => a + b, 0);

const fn = new Map<string, number>();
const files = new Map<string, number>();
for (const [id, us] of selfUs) {
  const n = byId.get(id)!;
  const f = codeOf(n.callFrame.url);
  const name = `${n.callFrame.functionName || "(anonymous)"} ${f}:${n.callFrame.lineNumber + 1}`;
  fn.set(name, (fn.get(name) ?? 0) + us);
  files.set(f, (files.get(f) ?? 0) + us);
}
const pr = (title: string, m: Map<string, number>) => {
  console.log(`\n${title}`);
  for (const [k, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${(us / 1000).toFixed(0).padStart(8)} ms ${((100 * us) / total).toFixed(1).padStart(5)}%  ${k}`);
};
console.log(`${file}: ${(total / 1e6).toFixed(1)} s sampled over ${((p.endTime - p.startTime) / 1e6).toFixed(1)} s`);
pr("self time by file / package", files);
pr("self time by function", fn);
