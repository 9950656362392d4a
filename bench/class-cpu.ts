// Server CPU per operation of a class, measured apart from latency (CPU time is what a loaded machine leaves
// comparable; latency is not): one server process (bench/server.ts), a few students with lab clusters, and per case
// the server's CPU time (/proc), the CPU time of the PostgreSQL backends serving its database (on a shared server,
// this database's share only), what the Cluster table grew on disk, and the engine-cache hits/misses over a fixed number of operations.
//   - exec, unwatched: `kubectl get pods` on clusters no page watches;
//   - exec, watched `{ version }`: each cluster with the class bench's subscription open (and by 16 pages: the cost
//     of an event, sixteen times over);
//   - exec `kubectl label`, watched `{ version }`: a command that changes the cluster (the others change nothing);
//   - exec, watched `{ picture … }`: each cluster with the web lab's picture subscription open;
//   - the labs' solutions: every lab's reference solution typed through exec, and a reset at its end (the class's mix);
//   - checkProgress, submitLab (each submit closes the attempt: the next opens a new one), resetCluster;
//   - a student's burst: two commands and a progress check sent at once on one watched cluster (what a queue does
//     to a class: bench/README.md, "A class on one box") — the misses show whether one request hydrates a second copy.
// Needs DATABASE_URL (PostgreSQL). Creates and drops its own database.
//   npx tsx bench/class-cpu.ts [--n 300] [--only <part of a case's name>[|<another>…]]   (BENCH_CPU_PROF=<dir>: the server's profile)
import http from "node:http";
import { randomBytes } from "node:crypto";
import { signToken, DEFAULT_AUDIENCE, DEFAULT_ISSUER } from "../api/auth.ts";
import { PICTURE_FIELDS } from "../web/models/clusterPicture.ts";
import { freshDatabase } from "./db.ts";
import { startServer } from "./spawn.ts";
import { cpuMs, databaseBackendsCpu, relationBytes } from "./proc-stats.ts";
import { gql, httpClient } from "./load.ts";
import { payload } from "./api-ops.ts";
import { subscribe, type Subscription } from "./sse.ts";
import { openGqlSocket, type GqlSocket } from "./ws-gql.ts";
import { EVENT_DELAY_MS } from "../api/subscription-loop.ts";
import { EXEC as TERMINAL_EXEC } from "../web/terminal/transport.ts";
import { isMain, machineLine, progress } from "./lib.ts";
import { CLASS_LABS, requireDatabaseUrl } from "./class.ts";
import { enrolClass } from "./class-sim.ts";

const CREATE = `mutation($name: String!) { createCluster(input: { name: $name, labSlug: "clusterip-services", seed: 7 }) { ... on CreateClusterPayload { cluster { id } } ... on Error { message } } }`;
const EXEC = `mutation($id: ID!, $command: String!) { exec(input: { clusterId: $id, command: $command }) { __typename ... on ExecPayload { exitCode cluster { version } } ... on Error { message } } }`;
// an exec as the class sends it (bench/class-sim.ts): a solution's line, with its host and standard input
const EXEC_LINE = `mutation($id: ID!, $command: String!, $host: String, $stdin: String) { exec(input: { clusterId: $id, command: $command, host: $host, stdin: $stdin }) { __typename ... on ExecPayload { exitCode cluster { version } } ... on Error { message } } }`;
const RESET = `mutation($id: ID!) { resetCluster(input: { clusterId: $id }) { __typename ... on ResetClusterPayload { cluster { version } } ... on Error { message } } }`;
const CHECK = `mutation($id: ID!) { checkProgress(input: { clusterId: $id }) { __typename ... on CheckProgressPayload { grade { score } } ... on Error { message } } }`;
// the class bench's own submit (bench/class-sim.ts): the closed attempt's score
const SUBMIT = `mutation($id: ID!) { submitLab(input: { clusterId: $id }) { __typename ... on SubmitLabPayload { attempt { score } } ... on Error { message } } }`;

const IDLE_SUBS = 1000;

export interface CpuCase {
  name: string;
  ops: number;
  cpuMsPerOp: number;
  /** CPU of the PostgreSQL backends serving the bench's database, per operation (the pool's connections). */
  pgCpuMsPerOp: number;
  /** What the Cluster table (with TOAST and indexes) grew on disk, per operation: the state rows written. */
  clusterBytesPerOp: number;
  hits: number;
  misses: number;
  events: number;
}

export async function runClassCpu(n = 300, only?: string): Promise<CpuCase[]> {
  const dbh = await (requireDatabaseUrl(), freshDatabase("kubelab_bench_classcpu"));
  const secret = randomBytes(32).toString("base64url");
  const server = await startServer(["api", dbh.url], { BENCH_JWT_SECRET: secret, BENCH_ENGINE_CACHE: "200" }, [
    "--max-old-space-size=4096", // node options: the child is the server itself (cpuMs)
    // BENCH_CPU_PROF=<dir>: the server writes a V8 CPU profile there when it stops (bench/cpu-profile.ts reads it)
    ...(process.env.BENCH_CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []),
  ]);
  const client = httpClient(server.url, 16);
  const sse = new http.Agent({ keepAlive: false, maxSockets: Infinity });
  const cfg = { secret, issuer: DEFAULT_ISSUER, audience: DEFAULT_AUDIENCE };
  const stats = async () => (await (await fetch(`${server.url}/__bench/stats?nogc`)).json()) as { engineCache: { hits: number; misses: number } };
  const out: CpuCase[] = [];
  try {
    const students = 8;
    const made = async (group: string) =>
      Promise.all(
        Array.from({ length: students }, async (_, k) => {
          const token = await signToken(cfg, { sub: `${group}-${k}`, role: "student", course: "bench" });
          const c = payload(await gql(client, "/graphql", CREATE, { name: `${group}-${k}` }, token), "createCluster") as { cluster: { id: string } };
          return { token, id: c.cluster.id };
        }),
      );
    const measure = async <S extends { token: string; id: string }>(name: string, group: string | (() => Promise<S[]>), selection: string | null, op: (s: S, i: number) => Promise<number>, pages = 1) => {
      if (only && !only.split("|").some((o) => name.includes(o))) return;
      const ss = (typeof group === "string" ? await made(group) : await group()) as S[];
      let events = 0;
      const subs: Subscription[] = selection
        ? ss.flatMap((s) => Array.from({ length: pages }, () => subscribe(sse, server.url, s.token, `subscription($id: ID!) { clusterChanged(id: $id) ${selection} }`, { id: s.id }, () => void events++)))
        : [];
      await Promise.all(subs.map((s) => s.opened));
      // warm-up: every code path compiled, every cluster hydrated
      for (let i = 0; i < 200; i++) await op(ss[i % ss.length], i);
      await new Promise((r) => setTimeout(r, 200));
      const before = await stats();
      events = 0;
      const pgCpuSince = await databaseBackendsCpu(dbh.url);
      const bytes0 = await relationBytes(dbh.url, "Cluster");
      const c0 = cpuMs(server.child.pid!);
      let ops = 0;
      // students in parallel, each one operation (or burst) at a time
      await Promise.all(
        ss.map(async (s, k) => {
          for (let i = k; i < n; i += ss.length) {
            const done = await op(s, i);
            ops += done;
          }
        }),
      );
      await new Promise((r) => setTimeout(r, 300)); // the last events resolved
      const cpu = cpuMs(server.child.pid!) - c0;
      const pgCpu = await pgCpuSince();
      const bytes = (await relationBytes(dbh.url, "Cluster")) - bytes0;
      const after = await stats();
      for (const s of subs) s.close();
      const r = { name, ops, cpuMsPerOp: cpu / ops, pgCpuMsPerOp: pgCpu / ops, clusterBytesPerOp: bytes / ops, hits: after.engineCache.hits - before.engineCache.hits, misses: after.engineCache.misses - before.engineCache.misses, events };
      progress(`${name}: ${r.cpuMsPerOp.toFixed(2)} ms CPU per op (PostgreSQL ${r.pgCpuMsPerOp.toFixed(2)}; Cluster table +${r.clusterBytesPerOp.toFixed(0)} B) over ${ops} ops; cache ${r.hits} hits / ${r.misses} misses; ${events} events`);
      out.push(r);
    };
    const exec = (s: { token: string; id: string }, command: string) => gql(client, "/graphql", EXEC, { id: s.id, command }, s.token).then((d) => void payload(d, "exec"));
    const one = async (s: { token: string; id: string }) => (await exec(s, "kubectl get pods"), 1);
    await measure("exec, unwatched", "u", null, one);
    await measure("exec, watched { version }", "v", "{ version }", one);
    // the event's own cost, magnified: every command's change delivered to 16 open pages (16 events an exec)
    await measure("exec, watched { version } by 16 pages", "v16", "{ version }", one, 16);
    // a command that changes the cluster (half of a lab's solution does; the other half reads, as `get pods` above)
    await measure("exec `kubectl label` (a change), watched { version }", "l", "{ version }", async (s, i) => (await exec(s, `kubectl label namespace default step=s${i} --overwrite`), 1));
    await measure("exec, watched { picture }", "p", `{ picture ${PICTURE_FIELDS} }`, one);
    // The class's own commands (bench/class.ts): each student types their lab's reference solution (apply, create,
    // curl, sleep…: every lab's, one student per lab) and resets the cluster at its end, as the class does — an exec
    // of the class costs this, where `kubectl get pods` above is its cheapest. Operations: the lines and the resets.
    let enrolled = 0;
    const labStudents = async () =>
      (await enrolClass([server.url], secret, CLASS_LABS, CLASS_LABS.length, `sol${enrolled++}`)).map((s) => ({ ...s, id: s.clusterId, line: 0 }));
    await measure("the labs' solutions through exec, a reset after each, watched { version }", labStudents, "{ version }", async (s) => {
      const e = s.lab.solution[s.line++];
      if (!e) {
        s.line = 0;
        payload(await gql(client, "/graphql", RESET, { id: s.id }, s.token), "resetCluster");
        return 1;
      }
      payload(await gql(client, "/graphql", EXEC_LINE, { id: s.id, command: e.line, host: e.host ?? null, stdin: e.stdin ?? null }, s.token), "exec");
      return 1;
    });
    // The same lines as the web lab sends them: over the page's socket, in the terminal's document (its output, cwd,
    // env and editor fields), the page's picture subscription open — the class a real page makes.
    const sockets: GqlSocket[] = [];
    const socketStudents = async () =>
      Promise.all(
        (await labStudents()).map(async (s) => {
          const ws = await openGqlSocket(server.url, s.token);
          sockets.push(ws);
          return { ...s, ws, cwd: null as string | null, env: null as unknown };
        }),
      );
    const socketLine = async (s: Awaited<ReturnType<typeof socketStudents>>[number]) => {
      const e = s.lab.solution[s.line++];
      if (!e) {
        s.line = 0;
        payload(await gql(client, "/graphql", RESET, { id: s.id }, s.token), "resetCluster");
        s.cwd = null; // the page's terminal starts again with the cluster
        s.env = null;
        return 1;
      }
      // the shell the page keeps between lines (the last answer's cwd and env) goes with the next one
      const r = payload(await s.ws.request(TERMINAL_EXEC, { id: s.id, command: e.line, host: e.host ?? null, stdin: e.stdin ?? null, cwd: s.cwd, env: s.env }), "exec");
      s.cwd = r.cwd as string;
      s.env = r.env;
      return 1;
    };
    await measure("the labs' solutions over the page's socket, watched { version }", socketStudents, "{ version }", socketLine);
    await measure("the labs' solutions over the page's socket, watched { picture }", socketStudents, `{ picture ${PICTURE_FIELDS} }`, socketLine);
    // …and with a pause after each line longer than the event's delay (api/subscription-loop.ts), as a student's think
    // time is: every line then has its own event (back to back, a page gets one event for several lines). The two
    // differ by what the page's picture costs an event.
    const paced = async (s: Awaited<ReturnType<typeof socketStudents>>[number]) => {
      const n = await socketLine(s);
      await new Promise((r) => setTimeout(r, EVENT_DELAY_MS + 20));
      return n;
    };
    await measure("the labs' solutions over the page's socket, paced, watched { version }", socketStudents, "{ version }", paced);
    await measure("the labs' solutions over the page's socket, paced, watched { picture }", socketStudents, `{ picture ${PICTURE_FIELDS} }`, paced);
    for (const ws of sockets) ws.close();
    // "Check my progress": the lab graded on the cluster as it is (a class sends one per student about every minute)
    await measure("checkProgress, watched { version }", "c", "{ version }", async (s) => {
      payload(await gql(client, "/graphql", CHECK, { id: s.id }, s.token), "checkProgress");
      return 1;
    });
    // the end of a solution in the class: the attempt submitted (the next check or submit opens a new one)…
    await measure("submitLab, watched { version }", "s", "{ version }", async (s) => {
      payload(await gql(client, "/graphql", SUBMIT, { id: s.id }, s.token), "submitLab");
      return 1;
    });
    // …and the cluster reset to the lab's start
    await measure("resetCluster, watched { version }", "r", "{ version }", async (s) => {
      payload(await gql(client, "/graphql", RESET, { id: s.id }, s.token), "resetCluster");
      return 1;
    });
    // a burst on one cluster: what a queue makes of a student's next command, their page's event and a progress check
    await measure("burst (2 exec + checkProgress at once), watched { version }", "b", "{ version }", async (s, i) => {
      const check = i % 4 === 0;
      await Promise.all([
        exec(s, "kubectl get pods"),
        exec(s, "kubectl get svc"),
        ...(check ? [gql(client, "/graphql", CHECK, { id: s.id }, s.token).then((d) => void payload(d, "checkProgress"))] : []),
      ]);
      return check ? 3 : 2;
    });
    // idle pages: what the open subscriptions cost the server while nothing changes (their polls), per second
    if (!only || only.split("|").some((o) => "idle subscriptions".includes(o))) {
      const idle = await made("i");
      const subs: Subscription[] = [];
      for (let k = 0; k < IDLE_SUBS; k++) {
        const s = idle[k % idle.length];
        subs.push(subscribe(sse, server.url, s.token, `subscription($id: ID!) { clusterChanged(id: $id) { version } }`, { id: s.id }, () => {}));
        if (k % 100 === 99) await Promise.all(subs.slice(-100).map((x) => x.opened));
      }
      await Promise.all(subs.map((x) => x.opened));
      await new Promise((r) => setTimeout(r, 3000));
      const c0 = cpuMs(server.child.pid!);
      await new Promise((r) => setTimeout(r, 10_000));
      const perSec = (cpuMs(server.child.pid!) - c0) / 10;
      for (const x of subs) x.close();
      progress(`${IDLE_SUBS} idle subscriptions: ${perSec.toFixed(1)} ms CPU per second`);
      out.push({ name: `${IDLE_SUBS} idle subscriptions, per second`, ops: 10, cpuMsPerOp: perSec, pgCpuMsPerOp: NaN, clusterBytesPerOp: NaN, hits: 0, misses: 0, events: 0 });
    }
  } finally {
    client.close();
    sse.destroy();
    await server.stop();
    await dbh.drop().catch(() => {});
  }
  return out;
}

if (isMain(import.meta.url)) {
  console.log(`kubelab class CPU per operation — ${machineLine()}`);
  const i = process.argv.indexOf("--n");
  const o = process.argv.indexOf("--only");
  const cases = await runClassCpu(i > 0 ? Number(process.argv[i + 1]) : 300, o > 0 ? process.argv[o + 1] : undefined);
  for (const c of cases)
    console.log(`${c.name.padEnd(62)} ${c.cpuMsPerOp.toFixed(2).padStart(6)} ms CPU/op, PostgreSQL ${c.pgCpuMsPerOp.toFixed(2).padStart(5)}, Cluster table +${c.clusterBytesPerOp.toFixed(0).padStart(5)} B  (${c.ops} ops; cache ${c.hits} hits / ${c.misses} misses; ${c.events} events)`);
  console.log(`at the end — ${machineLine()}`);
  process.exit(0);
}
