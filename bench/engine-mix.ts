// The engine's CPU on the labs' real command mix (issue 16): every lab's reference solution (the class's own lines,
// bench/class.ts CLASS_LABS) replayed on its lab's fresh cluster, as the server does it — each line through `exec`
// on the cached engine, then what the save does with it (`toJSONText`), and a reset at the end of each solution (the
// lab's kept start parsed, then serialised to save). Prints CPU time (process.cpuUsage, not wall-clock: the machine
// is shared) per command kind, per operation.
//
//   npx tsx bench/engine-mix.ts [rounds=20]            (node --cpu-prof --import tsx bench/engine-mix.ts for a profile)
//   BENCH_MIX_LINES=1      also print the costliest lines
//   BENCH_MIX_BASE=<dir>   A/B in one process: <dir> is another checkout (e.g. `git archive main | tar -x -C <dir>`,
//                          with a node_modules link); each lab's round runs on both engines in turn (order swapped
//                          every round), so both see the same moments of a shared machine
import type { Lab } from "../engine/grading/types.ts";
import { LABS } from "../labs/catalog.ts";

type ClusterLike = { exec(line: string, o: object): { stdout: string; stderr: string; exitCode: number }; toJSONText(): string; changeMark?(): number };
interface Engine {
  label: string;
  /** keepText: the text is the engine's own (a reset from the lab's kept start); an engine without it ignores it */
  fromJSON(text: string, opts?: { keepText: boolean }): ClusterLike;
  createLabCluster(lab: Lab, seed: number): ClusterLike;
}

async function engineAt(root: string, label: string): Promise<Engine> {
  const { Cluster } = await import(`${root}/engine/index.ts`);
  const { createLabCluster } = await import(`${root}/engine/grading/index.ts`);
  return { label, fromJSON: (t, o) => Cluster.fromJSON(t, o), createLabCluster };
}

const LABS_RUN = LABS.filter((l) => l.solution.length > 0 && l.solution.every((e) => !e.op));
const rounds = Number(process.argv[2] ?? 20);
const WAIT = /^\s*(?:sleep|wait)\s+(\d+)\s*$/;

function kindOf(line: string): string {
  if (WAIT.test(line)) return "sleep";
  const w = line.trim().split(/\s+/);
  if (w[0] === "kubectl") {
    const verb = w[1] ?? "";
    if (verb === "get" || verb === "describe") return `kubectl ${verb} ${(w[2] ?? "").split("/")[0]}`;
    return `kubectl ${verb}`;
  }
  return w[0];
}

const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
type Tally = Map<string, { ms: number; n: number }>;
const add = (m: Tally, k: string, ms: number) => {
  const e = m.get(k) ?? { ms: 0, n: 0 };
  e.ms += ms;
  e.n++;
  m.set(k, e);
};

class Run {
  perKind: Tally = new Map();
  perLine: Tally = new Map();
  outputs: string[] = [];
  /** saves an engine with a change mark skipped (the line changed nothing: the previous text stands) */
  skipped = 0;
  total = 0;
  ops = 0;
  readonly starts: string[];
  constructor(readonly e: Engine) {
    this.starts = LABS_RUN.map((lab) => e.createLabCluster(lab, 5000).toJSONText());
  }
  lab(li: number, first: boolean): void {
    const lab = LABS_RUN[li];
    let t = cpu();
    const c = this.e.fromJSON(this.starts[li], { keepText: true });
    let saved = c.toJSONText();
    let dt = cpu() - t;
    add(this.perKind, "(reset: fromJSON + toJSONText)", dt);
    this.total += dt;
    this.ops++;
    for (const e of lab.solution) {
      // as the API's save does it: the state serialised after the line, unless the engine's change mark (where it
      // has one) says the line changed nothing — then the text saved before stands
      t = cpu();
      const mark = c.changeMark?.();
      const res = c.exec(e.line, { host: e.host ?? "master01", ...(e.stdin !== undefined ? { stdin: e.stdin } : {}), env: {} });
      const t1 = cpu();
      const unchanged = mark !== undefined && c.changeMark!() === mark;
      const text = unchanged ? saved : c.toJSONText();
      saved = text;
      const t2 = cpu();
      if (unchanged) this.skipped++;
      add(this.perKind, kindOf(e.line), t1 - t);
      add(this.perKind, "(save: toJSONText after each line)", t2 - t1);
      add(this.perLine, `${lab.slug}: ${e.line}`, t1 - t);
      this.total += t2 - t;
      this.ops++;
      // what each line printed and the state it left (the stored text), to compare two engines' behaviour
      if (first) this.outputs.push(res.stdout + res.stderr + res.exitCode, text);
    }
  }
  digest(): string {
    let h = 0;
    for (const o of this.outputs) for (let i = 0; i < o.length; i++) h = (Math.imul(h, 31) + o.charCodeAt(i)) | 0;
    return (h >>> 0).toString(16);
  }
}

const here = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
const runs = [new Run(await engineAt(here, "this"))];
if (process.env.BENCH_MIX_BASE) runs.unshift(new Run(await engineAt(process.env.BENCH_MIX_BASE, "base")));
for (let r = 0; r < rounds; r++)
  for (let li = 0; li < LABS_RUN.length; li++) {
    const order = (r + li) % 2 ? [...runs].reverse() : runs;
    for (const run of order) run.lab(li, r === 0);
  }

console.log(`${rounds} rounds of ${LABS_RUN.length} labs' solutions (${runs[0].ops / rounds} ops a round); ms of CPU per op`);
const kinds = [...runs[runs.length - 1].perKind].sort((a, b) => b[1].ms - a[1].ms).map(([k]) => k);
console.log("kind".padEnd(40), "count", ...runs.map((r) => r.e.label.padStart(8)), runs.length > 1 ? "  change" : "");
const cell = (run: Run, k: string) => run.perKind.get(k)!.ms / run.perKind.get(k)!.n;
for (const k of kinds) {
  const v = runs.map((r) => cell(r, k));
  console.log(k.padEnd(40), String(runs[0].perKind.get(k)!.n / rounds).padStart(5), ...v.map((x) => x.toFixed(3).padStart(8)), runs.length > 1 ? `${((100 * (v[1] - v[0])) / v[0]).toFixed(1).padStart(7)}%` : "");
}
console.log("all (per op)".padEnd(40), String(runs[0].ops / rounds).padStart(5), ...runs.map((r) => (r.total / r.ops).toFixed(3).padStart(8)));
if (process.env.BENCH_MIX_LINES)
  for (const [k, v] of [...runs[runs.length - 1].perLine].sort((a, b) => b[1].ms / b[1].n - a[1].ms / a[1].n).slice(0, 30)) console.log((v.ms / v.n).toFixed(3).padStart(8), k);
for (const r of runs) console.log(`${r.e.label}: digest of every line's output and stored text ${r.digest()} (${r.outputs.length / 2} lines); saves skipped (change mark) ${(r.skipped / rounds).toFixed(0)} a round`);
