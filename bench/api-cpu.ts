// Server CPU per mutation, in one process: createApp driven through `app.fetch` (no sockets, no HTTP parsing), 8
// students on their own clusters in closed loops, process CPU time (user + system) divided by the mutations done.
// PostgreSQL runs in its own processes, so this is the API's own cost per mutation: the number that decides how many
// mutations one core can serve, and the one a shared, noisy machine disturbs least (CPU time, not wall time).
//   npx tsx bench/api-cpu.ts [--quick] [--only label,applyManifest,...] [--profile out.cpuprofile]
// --profile records a V8 CPU profile of the measured periods only (not start-up, set-up or warm-up), for Chrome
// DevTools or any .cpuprofile viewer.
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { performance } from "node:perf_hooks";
import { createApp } from "../api/app.ts";
import { databaseForUrl } from "../api/db/node.ts";
import { silentLogger } from "../api/app.ts";
import { freshDatabase } from "./db.ts";
import { benchSaves } from "./api-app.ts";
import { OPS, READS, runOp, setupStudents, type Op, type Send } from "./api-ops.ts";
import { isMain, machineLine, now, printTable, row, type Row } from "./lib.ts";

const CLIENTS = Number(process.env.CPU_CLIENTS ?? 8);

export async function runApiCpu(opts: { quick?: boolean; only?: Op[]; profile?: string } = {}): Promise<Row[]> {
  const rows: Row[] = [];
  const db = await freshDatabase("kubelab_bench_cpu");
  const database = databaseForUrl(db.url, { max: 10 });
  const secret = randomBytes(32).toString("base64url");
  const app = createApp({ prisma: database.prisma, sql: database.sql, jwtSecret: secret, production: true, logger: silentLogger, saves: benchSaves(database.sql) });
  const send: Send = async (query, variables, token) => {
    const res = await app.fetch("http://bench/graphql", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data?: Record<string, unknown>; errors?: { message: string }[] };
    if (body.errors?.length) throw new Error(body.errors[0].message);
    return body.data!;
  };
  try {
    const students = await setupStudents(send, secret, CLIENTS, "cpu");
    // Each client's operations are numbered across warm-up and measurement, so every label and apply changes something.
    const next = students.map(() => 0);
    const loop = async (op: Op, ms: number): Promise<number> => {
      const end = performance.now() + ms;
      let n = 0;
      await Promise.all(
        students.map(async (s, c) => {
          while (performance.now() < end) {
            await runOp(send, op, s, c, next[c]++);
            n++;
          }
        }),
      );
      return n;
    };
    const warm = opts.quick ? 500 : 1500;
    const dur = opts.quick ? 1500 : 4000;
    const only = opts.only ?? [...OPS, ...READS];
    const session = opts.profile ? new Session() : undefined;
    if (session) {
      session.connect();
      await session.post("Profiler.enable");
    }
    for (const op of only) {
      await loop(op, warm);
      if (session) await session.post("Profiler.start");
      const cpu0 = process.cpuUsage();
      const t0 = now();
      const n = await loop(op, dur);
      const wall = now() - t0;
      const cpu = process.cpuUsage(cpu0);
      if (session) {
        const { profile } = await session.post("Profiler.stop");
        writeFileSync(only.length > 1 ? opts.profile!.replace(/(\.cpuprofile)?$/, `-${op.replace(/\W/g, "")}.cpuprofile`) : opts.profile!, JSON.stringify(profile));
      }
      const ms = (cpu.user + cpu.system) / 1000 / n;
      rows.push(row("api-cpu", `${op}: server CPU per ${(READS as readonly string[]).includes(op) ? "request" : "mutation"} (in process, ${CLIENTS} clients)`, ms, "ms", `${n} ${(READS as readonly string[]).includes(op) ? "requests" : "mutations"} in ${Math.round(wall)} ms (${Math.round(n / (wall / 1000))}/s); one core serves ≤ ${Math.round(1000 / ms)}/s`));
    }
  } finally {
    await database.close();
    await db.drop();
  }
  return rows;
}

if (isMain(import.meta.url)) {
  const quick = process.argv.includes("--quick");
  console.log(`kubelab API CPU bench — ${new Date().toISOString()} — ${machineLine()}`);
  const i = process.argv.indexOf("--only");
  const only = i > 0 ? (process.argv[i + 1].split(",") as Op[]) : undefined;
  const j = process.argv.indexOf("--profile");
  printTable("api-cpu", await runApiCpu({ quick, only, profile: j > 0 ? process.argv[j + 1] : undefined }));
}
