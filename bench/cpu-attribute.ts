// Attribute a V8 CPU profile's samples (BENCH_CPU_PROF=<dir> with bench/class.ts or bench/class-cpu.ts) to what the
// server was doing: each sample's whole stack is matched against the rules below, the first rule that matches names
// it (an operation's resolver, the subscription loop, the version poll, the HTTP adapter, GC…). Async continuations
// start a new stack at the resumed function, so each rule names the functions an operation's continuations resume in
// as well as its entry. Also prints inclusive time per api/ function (what each of kubelab's own frames holds).
//   npx tsx bench/cpu-attribute.ts <file.cpuprofile> [--last S | --from S --to S] [--top N] [--stacks CATEGORY]
// --last S keeps the last S seconds of samples (the class bench stops its server right after the measured window).
import { readFileSync } from "node:fs";
import { codeOf, type CpuProfile as Profile, type ProfileNode as Node } from "./cpu-profile-format.ts";


const args = process.argv.slice(2);
const file = args[0];
if (!file) throw new Error("usage: npx tsx bench/cpu-attribute.ts <file.cpuprofile> [--last S | --from S --to S] [--top N] [--stacks CATEGORY]");
const opt = (name: string) => {
  const i = args.indexOf(name);
  return i > 0 ? args[i + 1] : undefined;
};
const top = Number(opt("--top") ?? 30);
const p = JSON.parse(readFileSync(file, "utf8")) as Profile;
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

const frame = (n: Node) => `${n.callFrame.functionName || "(anonymous)"} ${n.callFrame.url ? codeOf(n.callFrame.url) : ""}`;

/** Rules, in order: a category and a test on the stack's frames (outermost first, each "function file"). */
type Rule = [string, (frames: string[]) => boolean];
const has = (re: RegExp) => (fs: string[]) => fs.some((f) => re.test(f));
const RULES: Rule[] = [
  ["(garbage collector)", has(/^\(garbage collector\)/)],
  ["(idle)", has(/^\(idle\)/)],
  ["(program)", has(/^\(program\)/)],
  ["writev (kernel, all sockets)", has(/^writev /)],
  ["subscription loop: event resolve + write", has(/ api\/subscription-loop\.ts$/)],
  ["subscription: yoga's first event / generator", has(/ api\/schema\/subscriptions\.ts$/)],
  ["version poll", has(/ api\/version-watch\.ts$/)],
  ["grading (checkProgress/submit)", has(/ (api\/grading|api\/grading-batch|engine\/grading\/[^ ]+)\.ts$/)],
  ["reset / fresh states", has(/^(resetCluster|resetTo|reset\w*) |api\/fresh-states\.ts$/)],
  ["save batcher / pg send", has(/ api\/db\/(save-batcher|pg-sql|cluster-store)\.ts$/)],
  ["engine: hydrate (fromJSON)", has(/^(fromJSON|fromStored) /)],
  ["engine: serialize (toJSONText/stored memo)", has(/ engine\/(serialize|stored-memo)\.ts$/)],
  ["engine: the command", has(/ engine\//)],
  ["auth (jose/token cache)", has(/ (api\/auth\.ts|jose)$/)],
  ["prisma", has(/ @prisma\/client$|wasm:\/\//)],
  ["pg (protocol, parse answers)", has(/ (pg|pg-protocol|pg-pool|pg-types)$/)],
  ["graphql execute (graphql-js/executor/Pothos)", has(/ (graphql|@graphql-tools\/executor|@pothos\/[^ ]+)$/)],
  ["api/ other", has(/ api\//)],
  ["yoga/envelop/whatwg adapter", has(/ (graphql-yoga|@envelop\/[^ ]+|@whatwg-node\/[^ ]+|@graphql-yoga\/[^ ]+|@escape\.tech\/[^ ]+)$/)],
  ["node http / streams / net", has(/ node:(_http_\w+|internal\/streams\/\w+|net|internal\/http|events|internal\/stream_base_commons)$/)],
  ["runMicrotasks/other native", has(/^(runMicrotasks|processTicksAndRejections) /)],
];

const samples = p.samples ?? [];
const deltas = p.timeDeltas ?? [];
const times: number[] = [];
let t = p.startTime;
for (let i = 0; i < samples.length; i++) times.push((t += deltas[i] ?? 0));
const end = times.at(-1) ?? p.endTime;
const last = opt("--last");
const from = last ? end - Number(last) * 1e6 : p.startTime + Number(opt("--from") ?? 0) * 1e6;
const to = opt("--to") ? p.startTime + Number(opt("--to")) * 1e6 : end;

const stackOf = new Map<number, string[]>();
const frames = (id: number): string[] => {
  let s = stackOf.get(id);
  if (s) return s;
  s = [];
  for (let x: number | undefined = id; x !== undefined; x = parent.get(x)) s.push(frame(byId.get(x)!));
  s.reverse();
  stackOf.set(id, s);
  return s;
};

const cat = new Map<string, number>();
const inclusive = new Map<string, number>();
const stacksOf = opt("--stacks");
const catStacks = new Map<string, number>();
let total = 0;
let busy = 0;
for (let i = 0; i < samples.length; i++) {
  if (times[i] < from || times[i] > to) continue;
  const us = deltas[i + 1] ?? deltas[i] ?? 0;
  const fs = frames(samples[i]);
  const name = RULES.find(([, test]) => test(fs))?.[0] ?? "other";
  cat.set(name, (cat.get(name) ?? 0) + us);
  total += us;
  if (name !== "(idle)") busy += us;
  for (const f of new Set(fs.filter((f) => / api\//.test(f)))) inclusive.set(f, (inclusive.get(f) ?? 0) + us);
  if (stacksOf && name === stacksOf) {
    const key = fs.slice(-8).join(" < ");
    catStacks.set(key, (catStacks.get(key) ?? 0) + us);
  }
}
const pr = (title: string, m: Map<string, number>, n: number) => {
  console.log(`\n${title}`);
  for (const [k, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, n))
    console.log(`${(us / 1000).toFixed(0).padStart(8)} ms ${((100 * us) / busy).toFixed(1).padStart(5)}% of non-idle  ${k}`);
};
console.log(`${file}: ${((to - from) / 1e6).toFixed(1)} s window, ${(total / 1e6).toFixed(1)} s sampled, busy (not idle) ${(busy / 1e6).toFixed(1)} s`);
pr("by category (first matching rule over the whole stack)", cat, 40);
pr("inclusive time per api/ function", inclusive, top);
if (stacksOf) pr(`stacks of "${stacksOf}" (innermost 8 frames)`, catStacks, top);
