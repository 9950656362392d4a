// The API under load, over HTTP: label, applyManifest and sendRequests(10) at 1, 8 and 32 clients, each client a
// different student on their own cluster; then 32 clients of ONE student on ONE cluster, split over two server
// processes, with an exactly-once check from the database. Called by bench/api.ts (which also measures raw pg).
import { randomBytes } from "node:crypto";
import pg from "pg";
import { gql, httpClient, runLoad, type HttpClient, type LoadResult } from "./load.ts";
import { startServer, type ServerProcess } from "./spawn.ts";
import { row, type Row } from "./lib.ts";
import { CONCURRENCY } from "./fixtures.ts";
import { LABEL, OPS, SERVICES, payload, runOp, setupStudents as setupWith, type Op, type Send, type Student } from "./api-ops.ts";

const PATH = "/graphql";

/** The API over HTTP through `client`. */
const over = (client: HttpClient): Send => (query, variables, token) => gql(client, PATH, query, variables, token);

const setupStudents = (client: HttpClient, secret: string, n: number, prefix: string): Promise<Student[]> => setupWith(over(client), secret, n, prefix);

function opFn(client: HttpClient, op: Op, s: Student, c: number, i: number): Promise<void> {
  return runOp(over(client), op, s, c, i);
}

function lat(r: LoadResult): string {
  return `p50 ${r.p50.toFixed(1)} / p95 ${r.p95.toFixed(1)} / p99 ${r.p99.toFixed(1)} ms; ${r.ops} ops${r.errors ? `, ${r.errors} ERRORS (${r.firstError})` : ""}`;
}

async function rollbacks(url: string): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query("SELECT pg_stat_clear_snapshot()");
    return Number((await c.query("SELECT xact_rollback FROM pg_stat_database WHERE datname = current_database()")).rows[0].xact_rollback);
  } finally {
    await c.end();
  }
}

export async function runApiLoad(
  url: string,
  o: { warmupMs: number; durationMs: number; rawBy: Map<number, LoadResult>; yoga32?: LoadResult; quick: boolean },
): Promise<Row[]> {
  const rows: Row[] = [];
  const secret = randomBytes(32).toString("base64url");
  const env = { BENCH_JWT_SECRET: secret };
  const poolMax = process.env.BENCH_POOL_MAX ?? "10";
  let server: ServerProcess | undefined = await startServer(["api", url], env);
  try {
    const setupClient = httpClient(server.url, 4);
    const s0 = server;
    const students = await setupStudents(setupClient, secret, 32, "student").catch((e: Error) => {
      throw new Error(`${e.message} (server stderr: ${s0.stderr().slice(-1500)})`);
    });
    setupClient.close();
    rows.push(row("api", "server", 0, "", `createApp in its own process, Prisma adapter-pg pool max ${poolMax}, production settings; 32 students, each with demoapp (3 pods) + demoapp-svc`));

    for (const op of OPS) {
      for (const n of CONCURRENCY) {
        const client = httpClient(server.url, n);
        const r = await runLoad({ clients: n, warmupMs: o.warmupMs, durationMs: o.durationMs }, (c, i) => opFn(client, op, students[c], c, i));
        client.close();
        const raw = o.rawBy.get(n);
        const ratio = raw ? r.opsPerSec / raw.opsPerSec : NaN;
        rows.push(row("api", `${op} at ${n} clients`, r.opsPerSec, "mut/s", `${lat(r)}; API/raw ${(ratio * 100).toFixed(0)}%`));
        if (n >= 8 && raw) rows.push(row("api", `${op}: API/raw throughput at ${n} clients`, ratio * 100, "%", undefined, { op: ">=", value: 50, text: ">= 50%" }));
        // The tail's floor in the same run: the raw-pg transaction alone, and graphql-yoga answering { ping }, at 32 clients.
        const floor = [raw && `raw-pg alone ${raw.p99.toFixed(1)} ms`, o.yoga32 && `yoga { ping } ${o.yoga32.p99.toFixed(1)} ms`].filter(Boolean).join(", ");
        if (n === 32) {
          rows.push(row("api", `${op}: p99 at 32 clients`, r.p99, "ms", floor && `p99 at 32 clients in this run: ${floor}`));
          // The tail held to its floor measured in the same run (an absolute p99 on two shared vCPUs is the host's):
          // the API's p99 against the raw-pg transaction's alone.
          if (raw) rows.push(row("api", `${op}: p99 / raw-pg p99 at 32 clients`, r.p99 / raw.p99, "x", `${r.p99.toFixed(1)} / ${raw.p99.toFixed(1)} ms`, { op: "<=", value: 1.5, text: "<= 1.5x" }));
        }
        if (r.errors) rows.push(row("api", `${op} at ${n} clients: errors`, r.errors, "", r.firstError, { op: "==", value: 0, text: "0" }));
      }
    }
    // The same 32 students as people: each label mutation followed by ~1 s of think time (open-ish load).
    {
      const client = httpClient(server.url, 32);
      const r = await runLoad({ clients: 32, warmupMs: o.warmupMs, durationMs: o.durationMs, thinkMs: 1000 }, (c, i) => opFn(client, "label", students[c], c, i));
      client.close();
      rows.push(row("api", "label, 32 students clicking (~1 s think time)", r.opsPerSec, "mut/s", lat(r)));
    }
    await server.stop();
    server = undefined;

    // ---- Contention: 32 clients of one student on one cluster, through two server processes ----
    const a = await startServer(["api", url], env);
    const b = await startServer(["api", url], env);
    try {
      const cA = httpClient(a.url, 16);
      const cB = httpClient(b.url, 16);
      const [owner] = await setupStudents(cA, secret, 1, "shared");
      const before = await rollbacks(url);
      const applied: string[] = [];
      const last = new Map<number, number>();
      let conflictErrors = 0;
      const r = await runLoad({ clients: 32, warmupMs: 0, durationMs: o.durationMs }, async (c, i) => {
        const client = c % 2 === 0 ? cA : cB;
        try {
          const d = await gql(client, PATH, LABEL, { id: owner.clusterId, key: `c${c}`, value: String(i) }, owner.token);
          payload(d, "label");
        } catch (e) {
          if ((e as { typename?: string }).typename === "ConflictError") conflictErrors++;
          throw e;
        }
        applied.push(`c${c}=${i}`);
        last.set(c, i);
      });
      cA.close();
      cB.close();
      const warns = (a.stderr() + b.stderr()).split("\n").filter((l) => l.startsWith("WARN")).length;
      await a.stop();
      await b.stop();
      // Backends have exited, so their statistics are flushed: every retried conflict was one rolled-back transaction.
      const retried = (await rollbacks(url)) - before;

      // Exactly once: one log row per acknowledged mutation, versions gap-free, final labels = each client's last.
      const db = new pg.Client({ connectionString: url });
      await db.connect();
      const logRows = (await db.query(`SELECT seq, input FROM "CommandLog" WHERE "clusterId" = $1 AND operation = 'label' ORDER BY seq`, [owner.clusterId])).rows as { seq: number; input: string }[];
      const cl = (await db.query(`SELECT version, state FROM "Cluster" WHERE id = $1`, [owner.clusterId])).rows[0] as { version: number };
      const allSeqs = (await db.query(`SELECT seq FROM "CommandLog" WHERE "clusterId" = $1 ORDER BY seq`, [owner.clusterId])).rows.map((x) => x.seq as number);
      await db.end();
      const inputs = new Set(logRows.map((x) => x.input));
      const gapFree = allSeqs.every((s, i) => s === allSeqs[0] + i) && allSeqs[allSeqs.length - 1] === cl.version;
      // The final labels, read back through a fresh API process.
      const v = await startServer(["api", url], env);
      const vc = httpClient(v.url, 1);
      const svc = (await gql<{ cluster: { services: { name: string; labels: Record<string, string> }[] } }>(vc, PATH, SERVICES, { id: owner.clusterId }, owner.token)).cluster.services.find((s) => s.name === "demoapp-svc")!;
      vc.close();
      await v.stop();
      const labelsOk = [...last].every(([c, i]) => svc.labels[`c${c}`] === String(i));
      const exactlyOnce = r.errors === 0 && logRows.length === applied.length && inputs.size === applied.length && gapFree && labelsOk;
      rows.push(
        row("api", "label, 32 clients on ONE cluster (2 processes)", r.opsPerSec, "mut/s", `${lat(r)}; ${retried} conflicts retried (rolled-back transactions), ${conflictErrors} gave up (ConflictError), ${warns} give-up warnings`),
      );
      rows.push(
        row("api", "same cluster: every acknowledged mutation applied exactly once", exactlyOnce ? 1 : 0, "", `${applied.length} acknowledged, ${r.errors} failed, ${logRows.length} log rows, ${inputs.size} distinct; versions gap-free: ${gapFree}; final labels match each client's last write: ${labelsOk}`, {
          op: "==",
          value: 1,
          text: "yes",
        }),
      );
    } finally {
      await a.stop();
      await b.stop();
    }
  } finally {
    await server?.stop();
  }
  return rows;
}
