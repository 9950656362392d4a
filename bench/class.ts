// The class benchmark (`npm run bench:class`): how many students one box serves.
//   1. capacity — open-loop classes of N students (bench/class-sim.ts) for N in --steps (default 250, 500, 1000,
//      2000, 4000), each on a freshly started server, until exec's p99 passes 100 ms or anything fails;
//   2. cold clusters — 10,000 stored lab clusters and an engine cache of 200: a command on a cluster nobody touched
//      for a while against one on a hot cluster, interleaved in the same minute;
//   3. memory — the server's heap (after a full GC) per hydrated lab cluster in the engine cache and per idle
//      `clusterChanged` subscription;
//   4. two server processes behind the same PostgreSQL, one class split over them.
// Needs a PostgreSQL server (DATABASE_URL): the embedded database cannot take a class. Creates and drops its own
// database there.
//   npx tsx bench/class.ts [--quick] [--students N | --steps 250,500,...] [--only capacity,cold,memory,two] [--light]
//   (--light: the students' pages as simulated until 2026-12-07 — lines over HTTP, a `{ version }` subscription — for
//   comparison; by default each page sends what the web lab sends: its terminal's lines over its WebSocket, the picture)
//   (--only two --students N: the two-server phase at N students)
import { randomBytes } from "node:crypto";
import pg from "pg";
import { LABS } from "../labs/catalog.generated.ts";
import { signToken, DEFAULT_AUDIENCE, DEFAULT_ISSUER } from "../api/auth.ts";
import { freshDatabase, type BenchDatabase } from "./db.ts";
import { startServer, type ServerProcess } from "./spawn.ts";
import { enrolClass, exponential, rng, runClass, type ClassResult } from "./class-sim.ts";
import { cpuMs, pgConnections, postgresCpuMs, rssMiB, walBytes } from "./proc-stats.ts";
import { gql, httpClient } from "./load.ts";
import { payload } from "./api-ops.ts";
import { isMain, machineLine, percentile, printTable, progress, row, type Row } from "./lib.ts";
import { subscribe } from "./sse.ts";
import http from "node:http";
import { monitorEventLoopDelay, performance, PerformanceObserver } from "node:perf_hooks";

export interface ClassBenchOptions {
  quick?: boolean;
  steps?: number[];
  only?: string[];
  /**
   * The lighter page the bench simulated before 2026-12-07 20:00Z (terminal lines over HTTP in a short document, a
   * `{ version }` subscription), for comparison with the results of then. Default: the web lab's own traffic.
   */
  light?: boolean;
}

const P99_LIMIT_MS = 100;
const CAPACITY_TARGET = 2000;

/** The labs whose reference solution a class can type (all of them: each solution is terminal lines). */
export const CLASS_LABS = LABS.filter((l) => l.solution.length > 0 && l.solution.every((e) => !e.op));

export function requireDatabaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url)
    throw new Error(
      "bench:class needs a PostgreSQL server: set DATABASE_URL (e.g. postgresql://root@127.0.0.1:5432/postgres). The embedded database (PGlite) serves one connection and cannot take a class.",
    );
  return url;
}

interface ServerStats {
  heapUsed: number;
  rss: number;
  gc: boolean;
  engineCache?: { size: number; hits: number; misses: number };
}

/** BENCH_HEAP_SNAPSHOTS=<dir>: the memory phase writes the server's heap at each of its readings (bench/heap-diff.ts compares two). */
async function heapSnapshot(s: ServerProcess, name: string): Promise<void> {
  const dir = process.env.BENCH_HEAP_SNAPSHOTS;
  if (!dir) return;
  const r = await fetch(`${s.url}/__bench/heapsnapshot?file=${encodeURIComponent(`${dir}/${name}.heapsnapshot`)}`);
  progress(`heap snapshot: ${await r.text()}`);
}

async function serverStats(s: ServerProcess): Promise<ServerStats> {
  const r = await fetch(`${s.url}/__bench/stats`);
  return (await r.json()) as ServerStats;
}

const fmtMs = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : "—");

function describe(r: ClassResult): string {
  const e = r.ops.exec;
  const parts = [
    `exec ${r.execRate.toFixed(0)}/s p50 ${fmtMs(e.p50)} / p95 ${fmtMs(e.p95)} / p99 ${fmtMs(e.p99)} / max ${fmtMs(e.max)} ms`,
    `checkProgress p99 ${fmtMs(r.ops.checkProgress.p99)} ms (${r.ops.checkProgress.count})`,
    `submitLab p99 ${fmtMs(r.ops.submitLab.p99)} ms (${r.ops.submitLab.count})`,
    `event lag p50 ${fmtMs(r.lag.p50)} / p99 ${fmtMs(r.lag.p99)} ms`,
    `${r.subscriptionsOpen} subscriptions, ${r.eventsReceived} events`,
  ];
  const errors = r.totalErrors + r.subscriptionErrors;
  if (errors) parts.push(`ERRORS ${errors}: ${Object.values(r.ops).map((o) => o.firstError).filter(Boolean)[0] ?? "subscription refused"}`);
  return parts.join("; ");
}

/** Start `count` API servers on `db`, run a class of `n` students over them, read the machine meanwhile. */
async function classStep(db: BenchDatabase, n: number, servers: number, quick: boolean, prefix: string, page: boolean): Promise<{ r: ClassResult; notes: string; rssMiB: number; serverCpu: number; pgCpu: number; conns: number; cache: string }> {
  const secret = randomBytes(32).toString("base64url");
  // The engine cache sized for the class (each lab cluster stays hydrated; measured in the memory phase).
  const env = { BENCH_JWT_SECRET: secret, BENCH_ENGINE_CACHE: String(Math.max(200, Math.ceil((n / servers) * 1.1))) };
  const procs: ServerProcess[] = [];
  // BENCH_CPU_PROF=<dir>: each server writes a V8 CPU profile there when it stops (read it with bench/cpu-profile.ts)
  const prof = process.env.BENCH_CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  // BENCH_SERVER_NODE_ARGS="--trace-gc …": more options for the servers' node (their output: BENCH_SERVER_STDOUT)
  const extra = process.env.BENCH_SERVER_NODE_ARGS?.split(/\s+/).filter(Boolean) ?? [];
  for (let i = 0; i < servers; i++) procs.push(await startServer(["api", db.url], env, ["--max-old-space-size=4096", ...prof, ...extra]));
  try {
    progress(`class of ${n}: enrolling (${servers} server${servers > 1 ? "s" : ""})`);
    const students = await enrolClass(procs.map((p) => p.url), secret, CLASS_LABS, n, prefix);
    const rampSec = quick ? 5 : Math.min(60, Math.max(20, n / 50));
    const measureSec = quick ? 15 : 60;
    let cpu0 = 0;
    let gen0 = 0;
    let pg0 = 0;
    let wal0 = 0;
    let tStart = 0;
    let conns = 0;
    let rss = 0;
    const sample = async () => {
      if (!tStart) {
        tStart = performance.now();
        cpu0 = procs.reduce((a, p) => a + cpuMs(p.child.pid!), 0);
        gen0 = cpuMs(process.pid);
        pg0 = postgresCpuMs();
        wal0 = await walBytes(db.url);
      }
      conns = Math.max(conns, await pgConnections(db.url));
      rss = Math.max(rss, procs.reduce((a, p) => a + rssMiB(p.child.pid!), 0));
      if (process.env.BENCH_CLASS_VERBOSE) {
        // the load generator's own stalls (a latency is taken on its clock: a pause here looks like a slow server)
        console.log(`  ${((performance.now() - tStart) / 1000).toFixed(0).padStart(4)} s  load generator: loop max ${(genLoop.max / 1e6).toFixed(1)} ms, GC ${genGc.count} pauses, ${genGc.ms.toFixed(0)} ms, longest ${genGc.max.toFixed(0)} ms`);
        genLoop.reset();
        genGc.count = genGc.ms = genGc.max = 0;
        // what the server waited on in the last 5 s: its event loop, the pool's queue (no forced GC: plain stats)
        for (const p of procs) {
          const st = (await (await fetch(`${p.url}/__bench/stats?nogc`, { signal: AbortSignal.timeout(60_000) }).catch(() => null))?.json().catch(() => null)) as Record<string, unknown> | null;
          if (!st) continue;
          console.log(`  ${((performance.now() - tStart) / 1000).toFixed(0).padStart(4)} s  loop ${JSON.stringify(st.eventLoopDelayMs)}  pool ${JSON.stringify(st.pool)}  saves ${JSON.stringify(st.saves)}  cache ${JSON.stringify(st.engineCache)}`);
          // each full GC of the server: its second in the window and its pause (the main thread's; its concurrent marking is not in it)
          const gcs = (st.majorGcs as { at: number; ms: number }[] | undefined) ?? [];
          if (gcs.length) console.log(`        full GC at ${gcs.map((g) => `${((g.at - (Date.now() - (performance.now() - tStart))) / 1000).toFixed(1)} s (${g.ms.toFixed(0)} ms)`).join(", ")}`);
          for (const h of (st.held as string[] | undefined) ?? []) console.log(`        held ${h}`);
        }
      }
    };
    const genLoop = monitorEventLoopDelay({ resolution: 5 });
    const genGc = { count: 0, ms: 0, max: 0 };
    const gcObs = new PerformanceObserver((l) => {
      for (const e of l.getEntries()) {
        genGc.count++;
        genGc.ms += e.duration;
        genGc.max = Math.max(genGc.max, e.duration);
      }
    });
    if (process.env.BENCH_CLASS_VERBOSE) {
      genLoop.enable();
      gcObs.observe({ entryTypes: ["gc"] });
    }
    progress(`class of ${n}: ramp ${rampSec} s, then ${measureSec} s measured`);
    const r = await runClass(students, { servers: procs.map((p) => p.url), rampSec, measureSec, thinkMeanSec: 5, checkEverySec: 60, seed: n, page }, sample);
    genLoop.disable();
    gcObs.disconnect();
    const wall = performance.now() - tStart;
    const serverCpu = (procs.reduce((a, p) => a + cpuMs(p.child.pid!), 0) - cpu0) / wall;
    const pgCpu = (postgresCpuMs() - pg0) / wall;
    // the load generator (this process: the students' HTTP requests and their SSE streams) shares the box too
    const genCpu = (cpuMs(process.pid) - gen0) / wall;
    // WAL written from the window's start to the class's end (the whole server's; nothing else writes meanwhile)
    const walKiB = (await walBytes(db.url) - wal0) / 1024;
    const walNote = `WAL ${(walKiB / 1024 / (wall / 1000)).toFixed(2)} MiB/s, ${(walKiB / Math.max(1, r.ops.exec.count + r.ops.checkProgress.count + r.ops.submitLab.count + r.ops.resetCluster.count)).toFixed(1)} KiB per write`;
    const stats = await Promise.all(procs.map(serverStats));
    const cache = stats.map((s) => (s.engineCache ? `${s.engineCache.size} cached, ${s.engineCache.hits} hits / ${s.engineCache.misses} misses` : "")).join(" | ");
    const warnLines = procs.flatMap((p) => p.stderr().match(/^(WARN|ERROR) .*$/gm) ?? []);
    const warns = warnLines.length;
    if (process.env.BENCH_CLASS_VERBOSE) {
      progress(`class of ${n}: slowest operations of the measured window`);
      for (const x of r.slowest) console.log(`  ${x.ms.toFixed(0).padStart(6)} ms at ${x.atSec.toFixed(1).padStart(5)} s  ${x.op}  ${x.what}`);
      const slow = r.slowExecBySec.map((k, i) => [i, k] as const).filter(([, k]) => k > 0);
      console.log(`  execs of 100 ms or more, by second of the window (sent): ${slow.map(([i, k]) => `${i}s:${k}`).join(" ") || "none"} — ${slow.reduce((a, [, k]) => a + k, 0)} of ${r.ops.exec.count}, in ${slow.length} of ${r.slowExecBySec.length} seconds`);
      for (const w of warnLines.slice(0, 10)) console.log(`  server: ${w.slice(0, 400)}`);
    }
    const notes = `server CPU ${(serverCpu * 100).toFixed(0)}% of a core, PostgreSQL ${(pgCpu * 100).toFixed(0)}%, load generator ${(genCpu * 100).toFixed(0)}%, server RSS ${rss.toFixed(0)} MiB, ${conns} PostgreSQL connections, ${walNote}; engine cache ${cache}${warns ? `; ${warns} server warnings` : ""}`;
    return { r, notes, rssMiB: rss, serverCpu, pgCpu, conns, cache };
  } finally {
    await Promise.all(procs.map((p) => p.stop()));
  }
}

async function capacity(db: BenchDatabase, steps: number[], quick: boolean, page: boolean, rows: Row[]): Promise<number> {
  let best = 0;
  let broke = "";
  for (const n of steps) {
    const s = await classStep(db, n, 1, quick, `cap${n}`, page);
    const ok = s.r.ops.exec.p99 < P99_LIMIT_MS && s.r.totalErrors + s.r.subscriptionErrors === 0 && s.r.subscriptionsOpen === n;
    rows.push(row("class", `${n} students (1 server)`, s.r.ops.exec.p99, "ms", `${describe(s.r)}; ${s.notes}`));
    rows.push(row("class", `${n} students: exec p99`, s.r.ops.exec.p99, "ms", undefined, { op: "<", value: P99_LIMIT_MS, text: `< ${P99_LIMIT_MS} ms` }));
    if (!ok) {
      broke = `broke at ${n}: exec p99 ${fmtMs(s.r.ops.exec.p99)} ms, ${s.r.totalErrors + s.r.subscriptionErrors} errors; ${s.notes}`;
      break;
    }
    best = n;
  }
  rows.push(row("class", "capacity: students with exec p99 < 100 ms and no error", best, "students", broke || `held at every step (${steps.join(", ")})`, { op: ">=", value: CAPACITY_TARGET, text: `>= ${CAPACITY_TARGET}` }));
  return best;
}

/** 10,000 stored clusters (copies of one lab cluster, each its own student) in the database of `url`; their owners. */
async function seedStoredClusters(url: string, templateId: string, count: number, prefix: string): Promise<{ owner: string; id: string }[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(`INSERT INTO "User" (id) SELECT $1 || g FROM generate_series(1, $2) g ON CONFLICT DO NOTHING`, [`${prefix}-`, count]);
    const r = await c.query(
      `INSERT INTO "Cluster" (id, "ownerId", "courseId", name, "labSlug", seed, state, version, "updatedAt")
       SELECT gen_random_uuid(), $1 || g, t."courseId", t.name, t."labSlug", t.seed, t.state, t.version, now() - interval '1 hour'
       FROM "Cluster" t, generate_series(1, $2) g WHERE t.id = $3
       RETURNING id, "ownerId"`,
      [`${prefix}-`, count, templateId],
    );
    return r.rows.map((x: { id: string; ownerId: string }) => ({ id: x.id, owner: x.ownerId }));
  } finally {
    await c.end();
  }
}

const GET_PODS = `mutation($id: ID!) { exec(input: { clusterId: $id, command: "kubectl get pods -o wide" }) { __typename ... on ExecPayload { exitCode } ... on Error { message } } }`;

async function coldClusters(db: BenchDatabase, quick: boolean, rows: Row[]): Promise<void> {
  const secret = randomBytes(32).toString("base64url");
  const server = await startServer(["api", db.url], { BENCH_JWT_SECRET: secret });
  try {
    const lab = CLASS_LABS.find((l) => l.slug === "clusterip-services") ?? CLASS_LABS[0];
    const hot = await enrolClass([server.url], secret, [lab], 20, "hot");
    const stored = quick ? 2000 : 10_000;
    progress(`cold clusters: storing ${stored} lab clusters`);
    const cold = await seedStoredClusters(db.url, hot[0].clusterId, stored, "cold");
    const cfg = { secret, issuer: DEFAULT_ISSUER, audience: DEFAULT_AUDIENCE };
    const client = httpClient(server.url, 64);
    const random = rng(7);
    const hotLat: number[] = [];
    const coldLat: number[] = [];
    let errors = 0;
    let firstError = "";
    // Warm the hot clusters into the cache (and the server's code paths) first.
    for (let k = 0; k < 3; k++) for (const s of hot) payload(await gql(client, "/graphql", GET_PODS, { id: s.clusterId }, s.token), "exec");
    // Then an open loop at 40 commands/s, hot and cold alternating; each cold command goes to a cluster not touched yet.
    const seconds = quick ? 10 : 30;
    const rate = 40;
    const inflight: Promise<void>[] = [];
    const tEnd = performance.now() + seconds * 1000;
    let next = performance.now();
    let k = 0;
    while (next < tEnd && k < cold.length * 2) {
      const wait = next - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const isCold = k % 2 === 1;
      const target = isCold ? cold[(k - 1) / 2] : hot[Math.floor(random() * hot.length)];
      const token = isCold ? await signToken(cfg, { sub: (target as { owner: string }).owner, role: "student", course: "bench-class" }) : (target as { token: string }).token;
      const id = isCold ? (target as { id: string }).id : (target as { clusterId: string }).clusterId;
      const start = performance.now();
      inflight.push(
        gql(client, "/graphql", GET_PODS, { id }, token)
          .then((d) => {
            payload(d, "exec");
            (isCold ? coldLat : hotLat).push(performance.now() - start);
          })
          .catch((e: Error) => {
            errors++;
            firstError ||= e.message;
          }),
      );
      k++;
      next += exponential(random, 1000 / rate);
    }
    await Promise.allSettled(inflight);
    client.close();
    coldLat.sort((a, b) => a - b);
    hotLat.sort((a, b) => a - b);
    const [c50, c99, h50, h99] = [percentile(coldLat, 50), percentile(coldLat, 99), percentile(hotLat, 50), percentile(hotLat, 99)];
    const st = await serverStats(server);
    rows.push(row("class", `cold cluster: command on one of ${stored.toLocaleString("en-US")} stored, not cached`, c99, "ms", `p50 ${fmtMs(c50)} / p99 ${fmtMs(c99)} ms (${coldLat.length}); hot p50 ${fmtMs(h50)} / p99 ${fmtMs(h99)} ms (${hotLat.length}); engine cache ${st.engineCache?.size} of 200, ${st.engineCache?.misses} misses${errors ? `; ERRORS ${errors}: ${firstError}` : ""}`));
    rows.push(row("class", "cold p99 / hot p99", c99 / h99, "x", undefined, { op: "<=", value: 3, text: "<= 3x" }));
  } finally {
    await server.stop();
  }
}

async function memory(db: BenchDatabase, quick: boolean, rows: Row[]): Promise<void> {
  const secret = randomBytes(32).toString("base64url");
  const n = quick ? 300 : 1000;
  const server = await startServer(["api", db.url], { BENCH_JWT_SECRET: secret, BENCH_ENGINE_CACHE: String(n * 3) }, ["--expose-gc"]);
  const sseAgent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
  const subs: ReturnType<typeof subscribe>[] = [];
  try {
    const lab = CLASS_LABS.find((l) => l.slug === "clusterip-services") ?? CLASS_LABS[0];
    const template = await enrolClass([server.url], secret, [lab], 1, "memtpl");
    const stored = await seedStoredClusters(db.url, template[0].clusterId, n * 2, "mem");
    const cfg = { secret, issuer: DEFAULT_ISSUER, audience: DEFAULT_AUDIENCE };
    const client = httpClient(server.url, 8);
    const tokens = await Promise.all(stored.map((s) => signToken(cfg, { sub: s.owner, role: "student", course: "bench-class" })));
    // Warm the code paths on a few clusters, then measure.
    for (let i = 0; i < 20; i++) payload(await gql(client, "/graphql", GET_PODS, { id: stored[i].id }, tokens[i]), "exec");
    await heapSnapshot(server, "1-before");
    const before = await serverStats(server);
    if (!before.gc) throw new Error("the bench server has no gc(): started without --expose-gc");
    let i = 20;
    const worker = async () => {
      for (let k = i++; k < n + 20; k = i++) payload(await gql(client, "/graphql", GET_PODS, { id: stored[k].id }, tokens[k]), "exec");
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    await heapSnapshot(server, "2-cached");
    const cached = await serverStats(server);
    const perCluster = (cached.heapUsed - before.heapUsed) / (cached.engineCache!.size - before.engineCache!.size) / 1024;
    rows.push(row("class", "memory per cached lab cluster (heap after GC)", perCluster, "KiB", `${cached.engineCache!.size - before.engineCache!.size} clusters hydrated: heap ${(before.heapUsed / 2 ** 20).toFixed(1)} → ${(cached.heapUsed / 2 ** 20).toFixed(1)} MiB, RSS ${(before.rss / 2 ** 20).toFixed(0)} → ${(cached.rss / 2 ** 20).toFixed(0)} MiB`, { op: "<=", value: 64, text: "<= 64 KiB" }));
    client.close();
    // Idle subscriptions on the other n clusters (no writes: each is a page left open).
    const idle = stored.slice(n + 20, n + 20 + n);
    for (const [k, s] of idle.entries()) {
      subs.push(subscribe(sseAgent, server.url, tokens[n + 20 + k], `subscription($id: ID!) { clusterChanged(id: $id) { version } }`, { id: s.id }, () => {}));
    }
    await Promise.all(subs.map((s) => s.opened));
    await new Promise((r) => setTimeout(r, 5000)); // a few poll periods, so every subscription is in its steady state
    await heapSnapshot(server, "3-subscriptions");
    const withSubs = await serverStats(server);
    const perSub = (withSubs.heapUsed - cached.heapUsed) / idle.length / 1024;
    rows.push(row("class", "memory per idle clusterChanged subscription (heap after GC)", perSub, "KiB", `${idle.length} subscriptions: heap ${(cached.heapUsed / 2 ** 20).toFixed(1)} → ${(withSubs.heapUsed / 2 ** 20).toFixed(1)} MiB, RSS ${(cached.rss / 2 ** 20).toFixed(0)} → ${(withSubs.rss / 2 ** 20).toFixed(0)} MiB`, { op: "<=", value: 16, text: "<= 16 KiB" }));
  } finally {
    for (const s of subs) s.close();
    sseAgent.destroy();
    await server.stop();
  }
}

async function twoServers(db: BenchDatabase, n: number, quick: boolean, page: boolean, rows: Row[]): Promise<void> {
  const one = await classStep(db, n, 1, quick, `one${n}`, page);
  rows.push(row("class", `${n} students, 1 server (same run)`, one.r.ops.exec.p99, "ms", `${describe(one.r)}; ${one.notes}`));
  const two = await classStep(db, n, 2, quick, `two${n}`, page);
  rows.push(row("class", `${n} students, 2 servers on one PostgreSQL`, two.r.ops.exec.p99, "ms", `${describe(two.r)}; ${two.notes}`));
}

export async function runClassBench(o: ClassBenchOptions = {}): Promise<Row[]> {
  requireDatabaseUrl();
  const quick = !!o.quick;
  const steps = o.steps ?? (quick ? [50, 100] : [250, 500, 1000, 2000, 4000]);
  const only = o.only ?? ["capacity", "cold", "memory", "two"];
  const page = !o.light;
  const rows: Row[] = [];
  const db = await freshDatabase("kubelab_class");
  try {
    rows.push(row("class", "set-up", 0, "", `${CLASS_LABS.length} labs' reference solutions; think time exponential, mean 5 s; checkProgress about every 60 s; submitLab + resetCluster at the end of each solution; ${page ? "each student's page as the web lab's: the terminal's lines over its WebSocket, the picture's clusterChanged subscription over SSE" : "--light: lines over HTTP, one clusterChanged { version } subscription per student"}`));
    let cap = 0;
    if (only.includes("capacity")) cap = await capacity(db, steps, quick, page, rows);
    if (only.includes("cold")) await coldClusters(db, quick, rows);
    if (only.includes("memory")) await memory(db, quick, rows);
    // after the stepping: at its capacity (1,000 at least); alone (--only two): at --students if given
    if (only.includes("two")) await twoServers(db, only.includes("capacity") || !o.steps ? Math.max(quick ? 50 : 1000, cap) : o.steps[0], quick, page, rows);
  } finally {
    await db.drop();
  }
  return rows;
}

if (isMain(import.meta.url)) {
  const args = process.argv.slice(2);
  const val = (flag: string) => {
    const i = args.indexOf(flag);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const students = val("--students");
  const stepsArg = val("--steps");
  const steps = students ? [Number(students)] : stepsArg ? stepsArg.split(",").map(Number) : undefined;
  if (steps?.some((s) => !Number.isInteger(s) || s < 1)) {
    console.error("--students / --steps take whole numbers of students (e.g. --steps 250,500,1000)");
    process.exit(2);
  }
  console.log(`kubelab class bench — ${new Date().toISOString()} — ${machineLine()}`);
  try {
    const rows = await runClassBench({ quick: args.includes("--quick"), steps, only: val("--only")?.split(","), light: args.includes("--light") });
    printTable("class", rows);
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
  }
}
