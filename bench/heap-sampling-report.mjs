// Sums a sampling heap profile (bench/heap-sampling.mjs) by the innermost frame of kubelab's own code (api/,
// engine/, labs/), by the innermost npm package, and by the allocating function; with a pattern, the stacks (own
// frames, outermost first) under the functions it matches.
//   node bench/heap-sampling-report.mjs <profile.json> [top=30] [pattern]
import { readFileSync } from "node:fs";

const [file, topArg, pattern] = process.argv.slice(2);
const top = Number(topArg ?? 30);
const profile = JSON.parse(readFileSync(file, "utf8"));
const where = (url) => url.replace(/^file:\/\//, "").replace(/.*\/node_modules\//, "npm:").replace(/.*?\/(api|engine|labs|bench)\//, "$1/");
const own = (frame) => /^\S+ (api|engine|labs)\//.test(frame);
const tables = { "innermost own frame": new Map(), "innermost package": new Map(), "allocating function": new Map(), stacks: new Map() };
const add = (m, k, v) => m.set(k, (m.get(k) ?? 0) + v);
let total = 0;
const match = pattern ? new RegExp(pattern) : undefined;
(function walk(node, stack) {
  const f = node.callFrame;
  const frames = [...stack, `${f.functionName || "(anonymous)"} ${where(f.url)}`];
  if (node.selfSize) {
    total += node.selfSize;
    add(tables["allocating function"], frames.at(-1), node.selfSize);
    add(tables["innermost own frame"], frames.findLast(own) ?? "(none)", node.selfSize);
    const pkg = frames.findLast((x) => x.includes(" npm:"));
    add(tables["innermost package"], pkg ? pkg.split(" npm:")[1].split("/").slice(0, pkg.includes(" npm:@") ? 2 : 1).join("/") : "(none)", node.selfSize);
    if (match && frames.some((x) => match.test(x))) add(tables.stacks, frames.filter(own).slice(0, 6).join(" > "), node.selfSize);
  }
  for (const c of node.children ?? []) walk(c, frames);
})(profile.head, []);
console.log(`live sampled objects: ${(total / 2 ** 20).toFixed(1)} MiB`);
for (const [title, m] of Object.entries(tables)) {
  if (!m.size) continue;
  console.log(`\n${title}`);
  for (const [k, v] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${(v / 2 ** 20).toFixed(2).padStart(8)} MiB ${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`);
}
