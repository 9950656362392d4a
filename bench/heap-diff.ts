// What grew between two V8 heap snapshots (e.g. BENCH_HEAP_SNAPSHOTS=<dir> npm run bench:class -- --only memory):
// objects counted and their own (shallow) size summed per type and constructor name, largest growth first.
//   npx tsx bench/heap-diff.ts <before.heapsnapshot> <after.heapsnapshot> [per=1000] [top=30]
// `per` divides the growth (the number of clusters or subscriptions added) to print it per item.
import { readFileSync } from "node:fs";

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

function summary(file: string): Map<string, { n: number; bytes: number }> {
  const s = JSON.parse(readFileSync(file, "utf8")) as Snapshot;
  const f = s.snapshot.meta.node_fields;
  const width = f.length;
  const iType = f.indexOf("type");
  const iName = f.indexOf("name");
  const iSize = f.indexOf("self_size");
  const types = s.snapshot.meta.node_types[0];
  const out = new Map<string, { n: number; bytes: number }>();
  for (let i = 0; i < s.nodes.length; i += width) {
    const type = types[s.nodes[i + iType]];
    let name = type === "string" || type === "concatenated string" || type === "sliced string" ? "" : s.strings[s.nodes[i + iName]];
    if (type === "code" || type === "hidden") name = name.slice(0, 40);
    const key = `${type} ${name.slice(0, 60)}`;
    const e = out.get(key) ?? { n: 0, bytes: 0 };
    e.n++;
    e.bytes += s.nodes[i + iSize];
    out.set(key, e);
  }
  return out;
}

const [a, b, perArg, topArg] = process.argv.slice(2);
if (!a || !b) throw new Error("usage: npx tsx bench/heap-diff.ts <before> <after> [per] [top]");
const per = Number(perArg ?? 1);
const top = Number(topArg ?? 30);
const x = summary(a);
const y = summary(b);
const rows: { key: string; dn: number; db: number }[] = [];
for (const [key, e] of y) {
  const o = x.get(key) ?? { n: 0, bytes: 0 };
  rows.push({ key, dn: e.n - o.n, db: e.bytes - o.bytes });
}
const total = rows.reduce((t, r) => t + r.db, 0);
console.log(`grown: ${(total / 1024).toFixed(0)} KiB in all, ${(total / per / 1024).toFixed(2)} KiB per item (${per} items)`);
for (const r of rows.sort((p, q) => q.db - p.db).slice(0, top))
  console.log(`${(r.db / per).toFixed(0).padStart(8)} B/item ${(r.dn / per).toFixed(2).padStart(8)} objs/item  ${r.key}`);
