// `npm run bench`: every benchmark in one run, one table, and bench/results.json with each target as
// { name, value, target, met }. Sections: cpu (the machine's real parallelism), engine, grading, footprint, api-cpu
// (server CPU per mutation, in process), api (over HTTP, with the raw-pg limit and the graphql-yoga ceiling). A section that crashes is reported as such and the others still run.
//   npx tsx bench/run.ts [--quick] [--only engine,api,...] [--strict]   (--strict: exit 1 when a target is missed)
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { runEngine } from "./engine.ts";
import { runGrading } from "./grading.ts";
import { runFootprint } from "./footprint.ts";
import { runApi } from "./api.ts";
import { runApiCpu } from "./api-cpu.ts";
import { runCpu } from "./cpu.ts";
import { runPage } from "./page.ts";
import { machine, machineLine, printTable, progress, row, targetsOf, type Row } from "./lib.ts";

const SECTIONS: Record<string, (o: { quick: boolean }) => Promise<Row[]>> = {
  cpu: () => runCpu(),
  engine: (o) => runEngine(o),
  grading: (o) => runGrading(o),
  footprint: () => runFootprint(),
  "api-cpu": (o) => runApiCpu(o),
  api: (o) => runApi(o),
  page: (o) => runPage(o),
};

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const strict = args.includes("--strict");
const onlyArg = args.find((a) => a.startsWith("--only"));
const only = onlyArg ? (onlyArg.includes("=") ? onlyArg.split("=")[1] : args[args.indexOf(onlyArg) + 1]).split(",") : Object.keys(SECTIONS);

const started = new Date();
console.log(`kubelab bench — ${started.toISOString()} — ${machineLine()}${quick ? " — QUICK (shorter runs)" : ""}`);
const rows: Row[] = [];
const crashed: string[] = [];
for (const name of only) {
  const fn = SECTIONS[name];
  if (!fn) throw new Error(`unknown section ${name} (have: ${Object.keys(SECTIONS).join(", ")})`);
  progress(`section ${name}`);
  const t0 = Date.now();
  try {
    rows.push(...(await fn({ quick })));
  } catch (e) {
    crashed.push(name);
    const msg = e instanceof Error ? e.message.split("\n").slice(0, 3).join(" ") : String(e);
    rows.push(row(name, "SECTION FAILED", NaN, "", msg.slice(0, 400)));
    process.stderr.write(`${name}: ${e instanceof Error ? e.stack : String(e)}\n`);
  }
  progress(`section ${name} done in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}

printTable("results", rows);
const targets = targetsOf(rows);
const missed = targets.filter((t) => !t.met);
console.log(`\n${targets.length - missed.length} of ${targets.length} targets met${missed.length ? `; not met: ${missed.map((t) => t.name).join("; ")}` : ""}${crashed.length ? `; sections failed: ${crashed.join(", ")}` : ""}`);

const out = fileURLToPath(new URL("./results.json", import.meta.url));
writeFileSync(
  out,
  JSON.stringify(
    {
      date: started.toISOString(),
      machine: machine(),
      quick,
      sections: only,
      crashed,
      targets: targets.map((t) => ({ name: t.name, value: t.value, unit: t.unit, target: t.target, met: t.met })),
      measurements: rows.map((r) => ({ group: r.group, name: r.name, value: Number.isFinite(r.value) ? r.value : null, unit: r.unit, detail: r.detail ?? null })),
    },
    null,
    2,
  ) + "\n",
);
console.log(`wrote ${out}`);
process.exit(crashed.length || (strict && missed.length) ? 1 : 0);
