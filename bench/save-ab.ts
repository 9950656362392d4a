// The save path's CPU per exec, A/B in ONE process (no server, no database): what the mutation path does with a
// cluster after its command — toJSONText, then the save batcher's SHA-256 of the text (api/db/save-batcher.ts) —
// for this checkout's engine (B) against another checkout's (A: --base <dir>, e.g. a `git worktree add --detach`
// of main; without it, this checkout against itself: an A/A run that shows the noise). Both sides hydrate N copies
// of one lab cluster and take them round robin (the per-object memos then run about as cold as between a server's
// requests); per command, blocks of "exec alone" and "exec + save" alternate, sides in alternating order, and the
// save's cost is the difference of their CPU time (process.cpuUsage: the machine is shared). Prints medians and
// the paired differences (B − A) per block.
//   npx tsx bench/save-ab.ts [--base ../wt-main] [--n 200] [--blocks 12] [--lab clusterip-services] [command…]
// A command's `{i}` is replaced by a counter mod 7, so `kubectl annotate svc kubernetes n={i} --overwrite` changes
// an object on every exec. Default commands: `true`, `kubectl get pods` (nothing changes: the batcher then sends no
// text, but the text is built and hashed all the same) and that annotate.
import { createHash } from "node:crypto";
import { resolve } from "node:path";
import { parseArgs } from "node:util";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { base: { type: "string" }, n: { type: "string", default: "200" }, blocks: { type: "string", default: "12" }, lab: { type: "string", default: "clusterip-services" } },
});
const n = Number(values.n);
const blocks = Number(values.blocks);
const ROUNDS = 3; // rounds of the n clusters per block
const commands = positionals.length ? positionals : ["true", "kubectl get pods", "kubectl annotate svc kubernetes bench={i} --overwrite"];

interface Engine {
  exec(line: string): unknown;
  toJSONText(): string;
}
interface Checkout {
  Cluster: { fromJSON(json: unknown): Engine };
  labCatalog: { createCluster(slug: string, seed: number): Engine };
}

async function load(dir: string): Promise<Checkout> {
  const { Cluster } = (await import(resolve(dir, "engine/index.ts"))) as Pick<Checkout, "Cluster">;
  const { labCatalog } = (await import(resolve(dir, "labs/catalog.ts"))) as Pick<Checkout, "labCatalog">;
  return { Cluster, labCatalog };
}

function hydrate(c: Checkout): Engine[] {
  const text = c.labCatalog.createCluster(values.lab!, 5000).toJSONText();
  // distinct strings, as rows read from PostgreSQL are
  return Array.from({ length: n }, () => c.Cluster.fromJSON((text + " ").slice(0, -1)));
}

const here = resolve(import.meta.dirname, "..");
const A = hydrate(await load(values.base ? resolve(values.base) : here));
const B = hydrate(await load(here));
const ta = A[0].toJSONText();
if (ta !== B[0].toJSONText()) throw new Error("the two checkouts store this lab cluster differently: not an A/B of the same work");

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
let step = 0;
let sink = 0;

/** CPU µs per exec (and save) over ROUNDS rounds of the clusters. */
function block(cs: Engine[], command: string, save: boolean): number {
  const a = cpuMs();
  for (let r = 0; r < ROUNDS; r++)
    for (const c of cs) {
      c.exec(command.replace("{i}", String(step++ % 7)));
      if (save) sink += createHash("sha256").update(c.toJSONText()).digest("base64").length;
    }
  return ((cpuMs() - a) / (ROUNDS * cs.length)) * 1000;
}

console.log(`save path A/B: A ${values.base ?? "(this checkout: A/A)"}, B this checkout; ${n} clusters of ${values.lab} (${ta.length} chars stored), ${blocks} paired blocks`);
for (const command of commands) {
  for (const cs of [A, B]) {
    block(cs, command, true);
    block(cs, command, false);
  }
  const save = { A: [] as number[], B: [] as number[] };
  const exec = { A: [] as number[], B: [] as number[] };
  for (let b = 0; b < blocks; b++) {
    for (const side of b % 2 ? (["A", "B"] as const) : (["B", "A"] as const)) {
      const cs = side === "A" ? A : B;
      const e = block(cs, command, false);
      exec[side].push(e);
      save[side].push(block(cs, command, true) - e);
    }
  }
  const d = save.B.map((x, i) => x - save.A[i]);
  console.log(
    `${command.slice(0, 34).padEnd(34)} exec A ${median(exec.A).toFixed(1)} B ${median(exec.B).toFixed(1)} µs; save A ${median(save.A).toFixed(1)} B ${median(save.B).toFixed(1)} µs; B−A median ${median(d).toFixed(1)} µs [${d.map((x) => x.toFixed(0)).join(" ")}]`,
  );
}
if (sink < 0) console.log(sink);
