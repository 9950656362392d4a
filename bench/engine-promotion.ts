// Bytes each command leaves for V8's old generation, in process (no server, no database): N hydrated lab clusters,
// as the server's engine cache holds them, and the labs' reference solutions replayed on them in random order (each
// student's next line comes N lines later, so whatever a command leaves in its cluster outlives the scavenges, as
// it does in a class). Run under --trace-gc-nvp and sum the scavenges' `promoted=`:
//   node --trace-gc-nvp --import tsx bench/engine-promotion.ts [students=2000] [lines=40000] | node bench/gc-nvp-sum.mjs
import { LABS } from "../labs/catalog.ts";
import { Cluster } from "../engine/index.ts";
import { createLabCluster } from "../engine/grading/index.ts";

const students = Number(process.argv[2] ?? 2000);
const lines = Number(process.argv[3] ?? 40000);
const labs = LABS.filter((l) => l.solution.length > 0 && l.solution.every((e) => !e.op));
const starts = labs.map((lab) => createLabCluster(lab, 5000).toJSONText());
let seed = 42;
const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
interface Student { lab: number; at: number; c: Cluster; saved: string }
// a reset as the server does it (api/fresh-states.ts): the lab's kept start parsed, its text saved as it is
const reset = (s: Student) => {
  s.c = Cluster.fromJSON(starts[s.lab], { keepText: true });
  s.saved = String(s.c.toJSONText().length);
  s.at = 0;
};
const all: Student[] = Array.from({ length: students }, (_, i) => {
  const s = { lab: i % labs.length, at: 0, c: undefined as unknown as Cluster, saved: "" };
  reset(s);
  s.at = Math.floor(rnd() * labs[s.lab].solution.length);
  return s;
});
let kept = 0;
// BENCH_PROMO_READS=k: k extra `kubectl get pods` before each line (what a read alone leaves: the difference);
// BENCH_PROMO_RESETS=1: every step is a reset of a random student's cluster (what a reset alone leaves)
const READS = Number(process.env.BENCH_PROMO_READS ?? 0);
const ONLY_RESETS = process.env.BENCH_PROMO_RESETS === "1";
function step(): void {
  const s = all[Math.floor(rnd() * students)];
  if (ONLY_RESETS) return reset(s);
  const sol = labs[s.lab].solution;
  if (s.at >= sol.length) return reset(s);
  const e = sol[s.at++];
  const mark = s.c.changeMark();
  if (READS) for (let k = 0; k < READS; k++) s.c.exec("kubectl get pods", { host: "master01", env: {} });
  s.c.exec(e.line, { host: e.host ?? "master01", ...(e.stdin !== undefined ? { stdin: e.stdin } : {}), env: {} });
  if (s.c.changeMark() !== mark) s.saved = String(s.c.toJSONText().length); // the server keeps a digest, not the text
  kept += s.saved.length & 1;
}
for (let i = 0; i < lines / 4; i++) step();
console.log(`MEASURE-START ${process.memoryUsage().heapUsed}`);
const t0 = process.cpuUsage();
for (let i = 0; i < lines; i++) step();
const u = process.cpuUsage(t0);
console.log(`MEASURE-END ${process.memoryUsage().heapUsed} lines=${lines} cpu_ms=${((u.user + u.system) / 1000).toFixed(0)} (${kept})`);
