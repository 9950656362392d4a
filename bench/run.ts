// `npm run bench`: every benchmark in one run, one table, and bench/results.json with each target as
// { name, value, target, met }. Sections: cpu (the machine's real parallelism), engine, grading, footprint, api-cpu
// (server CPU per mutation, in process), api (over HTTP, with the raw-pg limit and the graphql-yoga ceiling). A section that crashes is reported as such and the others still run.
// The class section (bench/class.ts: how many students one box serves) runs only when named: `npm run bench:class`.
// results.json keeps, per section, the latest run of it (`bySection`), and every section's targets in `targets`.
//   npx tsx bench/run.ts [--quick] [--only engine,api,class,...] [--students N | --steps 250,500] [--strict]   (--strict: exit 1 when a target is missed)
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { runEngine } from "./engine.ts";
import { runGrading } from "./grading.ts";
import { runFootprint } from "./footprint.ts";
import { runApi } from "./api.ts";
import { runApiCpu } from "./api-cpu.ts";
import { runCpu } from "./cpu.ts";
import { runClassBench } from "./class.ts";
import { runK8sApi } from "./k8s-api.ts";
import { runPage } from "./page.ts";
import { machine, machineLine, printTable, progress, row, targetsOf, type Row } from "./lib.ts";

const SECTIONS: Record<string, (o: { quick: boolean; steps?: number[]; light?: boolean }) => Promise<Row[]>> = {
  cpu: () => runCpu(),
  engine: (o) => runEngine(o),
  grading: (o) => runGrading(o),
  footprint: () => runFootprint(),
  "api-cpu": (o) => runApiCpu(o),
  api: (o) => runApi(o),
  "k8s-api": (o) => runK8sApi(o),
  page: (o) => runPage(o),
  // not in the default run (it takes 10-20 minutes and a PostgreSQL server): `npm run bench:class`
  class: (o) => runClassBench(o),
};
const DEFAULT_SECTIONS = ["cpu", "engine", "grading", "footprint", "api-cpu", "api", "k8s-api"];

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const strict = args.includes("--strict");
const onlyArg = args.find((a) => a.startsWith("--only"));
const only = onlyArg ? (onlyArg.includes("=") ? onlyArg.split("=")[1] : args[args.indexOf(onlyArg) + 1]).split(",") : DEFAULT_SECTIONS;
// The class section's students: `--students N` (one class) or `--steps 250,500,...` (capacity stepping); `--light`:
// the lighter pages simulated until 2026-12-07 (bench/class.ts).
const valueOf = (flag: string) => (args.includes(flag) ? args[args.indexOf(flag) + 1] : undefined);
const stepsText = valueOf("--students") ?? valueOf("--steps");
const steps = stepsText?.split(",").map(Number);
if (steps?.some((n) => !Number.isInteger(n) || n < 1)) {
  console.error("--students / --steps take whole numbers of students (e.g. --students 500 or --steps 250,500,1000)");
  process.exit(2);
}

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
    for (const r of await fn({ quick, steps, light: args.includes("--light") })) rows.push({ ...r, section: name });
  } catch (e) {
    crashed.push(name);
    const msg = e instanceof Error ? e.message.split("\n").slice(0, 3).join(" ") : String(e);
    rows.push({ ...row(name, "SECTION FAILED", NaN, "", msg.slice(0, 400)), section: name });
    process.stderr.write(`${name}: ${e instanceof Error ? e.stack : String(e)}\n`);
  }
  progress(`section ${name} done in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}

printTable("results", rows);
const targets = targetsOf(rows);
const missed = targets.filter((t) => !t.met);
console.log(`\n${targets.length - missed.length} of ${targets.length} targets met${missed.length ? `; not met: ${missed.map((t) => t.name).join("; ")}` : ""}${crashed.length ? `; sections failed: ${crashed.join(", ")}` : ""}`);

const out = fileURLToPath(new URL("./results.json", import.meta.url));
// Sections not run this time keep their last results (each with its own date): `npm run bench:class` after
// `npm run bench` leaves one file with both.
type SectionResult = { date: string; quick: boolean; crashed: boolean; targets: unknown[]; measurements: unknown[] };
let kept: Record<string, SectionResult> = {};
if (existsSync(out)) {
  try {
    kept = (JSON.parse(readFileSync(out, "utf8")) as { bySection?: Record<string, SectionResult> }).bySection ?? {};
  } catch {
    kept = {};
  }
}
const bySection: Record<string, SectionResult> = { ...kept };
for (const name of only) {
  const mine = rows.filter((r) => r.section === name);
  bySection[name] = {
    date: started.toISOString(),
    quick,
    crashed: crashed.includes(name),
    targets: targetsOf(mine).map((t) => ({ name: t.name, value: t.value, unit: t.unit, target: t.target, met: t.met })),
    measurements: mine.map((r) => ({ group: r.group, name: r.name, value: Number.isFinite(r.value) ? r.value : null, unit: r.unit, detail: r.detail ?? null })),
  };
}
writeFileSync(
  out,
  JSON.stringify(
    {
      date: started.toISOString(),
      machine: machine(),
      quick,
      sections: only,
      crashed,
      // every section's targets, the latest run of each
      targets: Object.entries(bySection).flatMap(([section, r]) => r.targets.map((t) => ({ section, date: r.date, ...(t as object) }))),
      bySection,
    },
    null,
    2,
  ) + "\n",
);
console.log(`wrote ${out}`);
process.exit(crashed.length || (strict && missed.length) ? 1 : 0);
