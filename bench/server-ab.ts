// An A/B of two API server processes (bench/server.ts api) side by side on one database, in interleaved rounds, so
// a shared machine's load falls on both alike: server CPU per request (/proc) of each, for a few cases (an exec that
// changes nothing, one that changes the cluster, a query through Prisma, the API's floor). Each round sends a block of
// requests to one server, then the same block to the other (which one goes first alternates). The sides differ by
// environment variables and node options (BENCH_AB_ENV_* / BENCH_AB_NODE_*); with neither set, A and B are the same
// (an A/A run: what the method itself shows as a difference — up to ±8% per case at load ~9; so run an A/B both ways
// round, sides swapped, and read it against an A/A run of the same minutes).
// Needs DATABASE_URL (PostgreSQL). Creates and drops its own database.
//   npx tsx bench/server-ab.ts [--rounds 10] [--block 200] [--only <part of a case's name>]
//   BENCH_AB_ENV_A / BENCH_AB_ENV_B: JSON objects of environment variables for side A / B (default {})
//   BENCH_AB_NODE_A / BENCH_AB_NODE_B: node options for side A / B, space-separated (e.g. "--max-semi-space-size=64")
//   BENCH_CPU_PROF=<dir>: each server writes a V8 CPU profile into <dir>/A or <dir>/B when it stops
import { randomBytes } from "node:crypto";
import { signToken, DEFAULT_AUDIENCE, DEFAULT_ISSUER } from "../api/auth.ts";
import { freshDatabase } from "./db.ts";
import { startServer, type ServerProcess } from "./spawn.ts";
import { cpuMs } from "./proc-stats.ts";
import { gql, httpClient, type HttpClient } from "./load.ts";
import { payload } from "./api-ops.ts";
import { isMain, machineLine, progress } from "./lib.ts";
import { requireDatabaseUrl } from "./class.ts";

const CREATE = `mutation($name: String!) { createCluster(input: { name: $name, labSlug: "clusterip-services", seed: 7 }) { ... on CreateClusterPayload { cluster { id } } ... on Error { message } } }`;
const EXEC = `mutation($id: ID!, $command: String!) { exec(input: { clusterId: $id, command: $command }) { __typename ... on ExecPayload { exitCode cluster { version } } ... on Error { message } } }`;
const ME = `{ me { id } }`;

interface Student {
  token: string;
  id: string;
}
type Op = (c: HttpClient, s: Student, i: number) => Promise<void>;

const CASES: { name: string; op: Op }[] = [
  { name: "exec `kubectl get pods`", op: (c, s) => gql(c, "/graphql", EXEC, { id: s.id, command: "kubectl get pods" }, s.token).then((d) => void payload(d, "exec")) },
  { name: "exec `kubectl label` (a change)", op: (c, s, i) => gql(c, "/graphql", EXEC, { id: s.id, command: `kubectl label namespace default step=s${i} --overwrite` }, s.token).then((d) => void payload(d, "exec")) },
  { name: "query { me { id } }", op: (c, s) => gql(c, "/graphql", ME, {}, s.token).then(() => {}) },
  // the API's floor: yoga, envelop, the token, no resolver of ours
  { name: "query { __typename }", op: (c, s) => gql(c, "/graphql", "{ __typename }", {}, s.token).then(() => {}) },
];

interface Side {
  label: string;
  server: ServerProcess;
  client: HttpClient;
  students: Student[];
}

export async function runServerAb(rounds = 10, block = 200, only?: string) {
  const dbh = await (requireDatabaseUrl(), freshDatabase("kubelab_bench_server_ab"));
  const secret = randomBytes(32).toString("base64url");
  const cfg = { secret, issuer: DEFAULT_ISSUER, audience: DEFAULT_AUDIENCE };
  const envA = JSON.parse(process.env.BENCH_AB_ENV_A ?? "{}") as Record<string, string>;
  const envB = JSON.parse(process.env.BENCH_AB_ENV_B ?? "{}") as Record<string, string>;
  const nodeArgs = (v: string | undefined) => (v ?? "").split(" ").filter(Boolean);
  const nodeA = nodeArgs(process.env.BENCH_AB_NODE_A);
  const nodeB = nodeArgs(process.env.BENCH_AB_NODE_B);
  const sides: Side[] = [];
  try {
    for (const [label, env, node] of [
      [`A ${JSON.stringify(envA)} ${nodeA.join(" ")}`, envA, nodeA],
      [`B ${JSON.stringify(envB)} ${nodeB.join(" ")}`, envB, nodeB],
    ] as const) {
      const server = await startServer(["api", dbh.url], { BENCH_JWT_SECRET: secret, BENCH_ENGINE_CACHE: "200", ...env }, [
        "--max-old-space-size=4096", // node options: the child is the server itself (cpuMs)
        ...node,
        ...(process.env.BENCH_CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}/${label[0]}`] : []),
      ]);
      const client = httpClient(server.url, 16);
      const students = await Promise.all(
        Array.from({ length: 8 }, async (_, k) => {
          const token = await signToken(cfg, { sub: `${label[0]}-${k}`, role: "student", course: "bench" });
          const c = payload(await gql(client, "/graphql", CREATE, { name: `${label[0]}-${k}` }, token), "createCluster") as { cluster: { id: string } };
          return { token, id: c.cluster.id };
        }),
      );
      sides.push({ label, server, client, students });
    }
    const runBlock = async (side: Side, op: Op, n: number) => {
      const c0 = cpuMs(side.server.child.pid!);
      await Promise.all(
        side.students.map(async (s, k) => {
          for (let i = k; i < n; i += side.students.length) await op(side.client, s, i);
        }),
      );
      return cpuMs(side.server.child.pid!) - c0;
    };
    const out: { name: string; a: number; b: number; diffs: number[] }[] = [];
    for (const { name, op } of CASES) {
      if (only && !name.includes(only)) continue;
      for (const side of sides) await runBlock(side, op, 300); // warm-up: compiled, every cluster hydrated
      const sum = [0, 0];
      const diffs: number[] = [];
      for (let r = 0; r < rounds; r++) {
        const order = r % 2 === 0 ? [0, 1] : [1, 0];
        const got = [0, 0];
        for (const k of order) got[k] = await runBlock(sides[k], op, block);
        sum[0] += got[0];
        sum[1] += got[1];
        diffs.push((got[0] - got[1]) / block);
      }
      const r = { name, a: sum[0] / (rounds * block), b: sum[1] / (rounds * block), diffs };
      progress(`${name}: A ${r.a.toFixed(3)} ms, B ${r.b.toFixed(3)} ms CPU per request`);
      out.push(r);
    }
    return { sides: sides.map((s) => s.label), cases: out };
  } finally {
    for (const s of sides) {
      s.client.close();
      await s.server.stop();
    }
    await dbh.drop().catch(() => {});
  }
}

if (isMain(import.meta.url)) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const rounds = Number(arg("--rounds") ?? 10);
  const block = Number(arg("--block") ?? 200);
  console.log(`kubelab server A/B, server CPU per request (${rounds} rounds of ${block}) — ${machineLine()}`);
  const { sides, cases } = await runServerAb(rounds, block, arg("--only"));
  console.log(`A: ${sides[0]}\nB: ${sides[1]}`);
  for (const c of cases) {
    const d = [...c.diffs].sort((x, y) => x - y);
    const med = d[Math.floor(d.length / 2)];
    console.log(
      `${c.name.padEnd(34)} A ${c.a.toFixed(3)} ms  B ${c.b.toFixed(3)} ms  A−B ${(c.a - c.b).toFixed(3)} ms (${((100 * (c.a - c.b)) / c.b).toFixed(1)}%); per round A−B median ${med.toFixed(3)}, min ${d[0].toFixed(3)}, max ${d[d.length - 1].toFixed(3)}`,
    );
  }
  console.log(`at the end — ${machineLine()}`);
  process.exit(0);
}
