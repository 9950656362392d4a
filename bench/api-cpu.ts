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
import { signToken, DEFAULT_AUDIENCE, DEFAULT_ISSUER } from "../api/auth.ts";
import { databaseForUrl } from "../api/db/node.ts";
import { silentLogger } from "../api/app.ts";
import { freshDatabase } from "./db.ts";
import { DEMOAPP, demoappService } from "./fixtures.ts";
import { isMain, machineLine, now, printTable, row, type Row } from "./lib.ts";

const CLIENTS = Number(process.env.CPU_CLIENTS ?? 8);

const MUTATIONS = {
  label: {
    query: `mutation($id: ID!, $v: String!) { label(input: { clusterId: $id, target: "svc/demoapp-svc", set: [{ key: "rev", value: $v }], overwrite: true }) { __typename ... on LabelPayload { exitCode } ... on Error { message } } }`,
    vars: (id: string, v: string) => ({ id, v }),
  },
  applyManifest: {
    query: `mutation($id: ID!, $yaml: String!) { applyManifest(input: { clusterId: $id, yaml: $yaml }) { __typename ... on ApplyManifestPayload { exitCode } ... on Error { message } } }`,
    vars: (id: string, v: string) => ({ id, yaml: demoappService(v) }),
  },
  "sendRequests(10)": {
    query: `mutation($id: ID!) { sendRequests(input: { clusterId: $id, from: "node/node01", url: "http://demoapp-svc.default.svc.cluster.local", count: 10 }) { __typename ... on SendRequestsPayload { distribution { backend count } } ... on Error { message } } }`,
    vars: (id: string) => ({ id }),
  },
} as const;

export async function runApiCpu(opts: { quick?: boolean; only?: (keyof typeof MUTATIONS)[]; profile?: string } = {}): Promise<Row[]> {
  const rows: Row[] = [];
  const db = await freshDatabase("kubelab_bench_cpu");
  const database = databaseForUrl(db.url, { max: 10 });
  const secret = randomBytes(32).toString("base64url");
  const app = createApp({ prisma: database.prisma, sql: database.sql, jwtSecret: secret, production: true, logger: silentLogger });
  const call = async (query: string, variables: Record<string, unknown>, token: string): Promise<Record<string, { __typename: string; message?: string }>> => {
    const res = await app.fetch("http://bench/graphql", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data?: Record<string, { __typename: string; message?: string }>; errors?: { message: string }[] };
    if (body.errors?.length) throw new Error(body.errors[0].message);
    for (const v of Object.values(body.data ?? {})) if (v && !v.__typename.endsWith("Payload")) throw new Error(`${v.__typename}: ${v.message}`);
    return body.data!;
  };
  try {
    const cfg = { secret, issuer: DEFAULT_ISSUER, audience: DEFAULT_AUDIENCE };
    const students: { token: string; id: string }[] = [];
    for (let k = 0; k < CLIENTS; k++) {
      const token = await signToken(cfg, { sub: `cpu-${k}`, role: "student", course: "bench-course" });
      const d = await call(`mutation { createCluster(input: { name: "cpu", seed: ${100 + k} }) { __typename ... on CreateClusterPayload { cluster { id } } ... on Error { message } } }`, {}, token);
      const id = (d.createCluster as unknown as { cluster: { id: string } }).cluster.id;
      await call(MUTATIONS.applyManifest.query, { id, yaml: DEMOAPP }, token);
      students.push({ token, id });
    }
    const loop = async (op: keyof typeof MUTATIONS, ms: number): Promise<number> => {
      const m = MUTATIONS[op];
      const end = performance.now() + ms;
      let n = 0;
      await Promise.all(
        students.map(async (s, c) => {
          for (let i = 0; performance.now() < end; i++) {
            await call(m.query, m.vars(s.id, `c${c}-${i}-${n}`), s.token);
            n++;
          }
        }),
      );
      return n;
    };
    const warm = opts.quick ? 500 : 1500;
    const dur = opts.quick ? 1500 : 4000;
    const only = opts.only ?? (Object.keys(MUTATIONS) as (keyof typeof MUTATIONS)[]);
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
      rows.push(row("api-cpu", `${op}: server CPU per mutation (in process, ${CLIENTS} clients)`, ms, "ms", `${n} mutations in ${Math.round(wall)} ms (${Math.round(n / (wall / 1000))}/s); one core serves ≤ ${Math.round(1000 / ms)}/s`));
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
  const only = i > 0 ? (process.argv[i + 1].split(",") as (keyof typeof MUTATIONS)[]) : undefined;
  const j = process.argv.indexOf("--profile");
  printTable("api-cpu", await runApiCpu({ quick, only, profile: j > 0 ? process.argv[j + 1] : undefined }));
}
