// Regrading is exact for every logged mutation: an attempt that mixes the terminal (exec) with applyManifest (with
// and without a namespace), label (by selector and by name), scale, deleteResource, sendRequests (which moves the
// engine's random generator, so the pods a later scale-up names depend on it) and advanceClock, then submitLab,
// regrades to the live grade with nothing skipped, and the replayed cluster's state equals the live cluster's
// stored state. Runs on PostgreSQL (DATABASE_URL) or the embedded PGlite, like the rest.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "./helpers/db-app.ts";
import { catalog } from "../api/labs-catalog.ts";
import { replayAttemptLog, runLog } from "../api/grading.ts";
import type { Context } from "../api/context.ts";
import { prismaSql } from "../api/db/sql.ts";
import type { Cluster } from "../engine/index.ts";
import { runCommands } from "../engine/grading/index.ts";

const SLUG = "clusterip-services";
const SEED = 21;
const SVC_YAML = readFileSync(new URL("../labs/clusterip-services/files/services-clusterip-demo.yaml", import.meta.url), "utf8");
const DEV_SVC = `apiVersion: v1
kind: Service
metadata:
  name: backend
spec:
  selector:
    app: backend
  ports:
  - port: 8080
`;

let t: TestApp;
const tok: Record<string, string> = {};

async function ok<T = any>(token: string, query: string, vars: Record<string, unknown>, typename?: string): Promise<T> {
  const r = await t.gql(token, query, vars);
  expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
  const v = Object.values(r.data)[0] as any;
  if (typename) expect(v?.__typename, JSON.stringify(v)).toBe(typename);
  return v;
}

const M = {
  create: `mutation($s: String!, $seed: Int, $n: String!) { createCluster(input: { name: $n, labSlug: $s, seed: $seed }) { __typename ... on CreateClusterPayload { cluster { id } } ... on Error { message } } }`,
  exec: `mutation($id: ID!, $c: String!, $h: String) { exec(input: { clusterId: $id, command: $c, host: $h }) { __typename ... on ExecPayload { exitCode stdout stderr } ... on Error { message } } }`,
  apply: `mutation($id: ID!, $y: String!, $ns: String) { applyManifest(input: { clusterId: $id, yaml: $y, namespace: $ns }) { __typename ... on ApplyManifestPayload { exitCode results { name namespace action } } ... on Error { message } } }`,
  label: `mutation($id: ID!, $t: String!, $sel: String, $set: [LabelPairInput!], $rm: [String!], $ow: Boolean) { label(input: { clusterId: $id, target: $t, selector: $sel, set: $set, remove: $rm, overwrite: $ow }) { __typename ... on LabelPayload { results { name changed } } ... on Error { message } } }`,
  scale: `mutation($id: ID!, $d: String!, $r: Int!) { scale(input: { clusterId: $id, deployment: $d, replicas: $r }) { __typename ... on ScalePayload { exitCode } ... on Error { message } } }`,
  del: `mutation($id: ID!, $k: String!, $n: String!, $ns: String) { deleteResource(input: { clusterId: $id, kind: $k, name: $n, namespace: $ns }) { __typename ... on DeleteResourcePayload { exitCode } ... on Error { message } } }`,
  send: `mutation($id: ID!, $f: String!, $u: String!, $c: Int) { sendRequests(input: { clusterId: $id, from: $f, url: $u, count: $c }) { __typename ... on SendRequestsPayload { distribution { backend count } } ... on Error { message } } }`,
  advance: `mutation($id: ID!, $s: Int!) { advanceClock(input: { clusterId: $id, seconds: $s }) { __typename ... on AdvanceClockPayload { now } ... on Error { message } } }`,
  submit: `mutation($id: ID!) { submitLab(input: { clusterId: $id }) { __typename ... on SubmitLabPayload { grade { score maxScore checkpoints { id passed points explanation } } attempt { id score clusterVersion } } ... on Error { message } } }`,
  regrade: `mutation($a: ID!) { regradeAttempt(input: { attemptId: $a }) { __typename ... on RegradeAttemptPayload { matches seed clusterVersion replayedCommands skippedOperations regrade { score maxScore checkpoints { id passed points explanation } } } ... on Error { message } } }`,
  pods: `query($id: ID!) { cluster(id: $id) { pods(selector: "app=demoapp") { name labels } } }`,
};

function differences(a: any, b: any, path = ""): string[] {
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  if (a && b && typeof a === "object" && typeof b === "object" && Array.isArray(a) === Array.isArray(b))
    return [...new Set([...Object.keys(a), ...Object.keys(b)])].flatMap((k) => differences(a[k], b[k], `${path}.${k}`));
  return [`${path}: ${JSON.stringify(a)?.slice(0, 120)} != ${JSON.stringify(b)?.slice(0, 120)}`];
}

const S: { id?: string; attemptId?: string; submit?: any; podsAfterScaleUp?: string[] } = {};
const ctx = () => ({ prisma: t.db.prisma, sql: prismaSql(t.db.prisma), labs: catalog }) as unknown as Context;

/** The live cluster's stored state: the JSON text the last mutation wrote. */
async function liveState(id: string): Promise<string> {
  const row = await t.db.prisma.cluster.findUniqueOrThrow({ where: { id }, select: { state: true } });
  return row.state;
}

beforeAll(async () => {
  t = await createTestApp();
  tok.alice = await t.token({ sub: "alice", role: "student", course: "c1" });
  tok.grader = await t.token({ sub: "pipeline", role: "grader", course: "c1" });
});
afterAll(() => t?.close());

describe("regrade replays every logged mutation", () => {
  it("a student works through the API as well as the terminal, then submits", async () => {
    const a = tok.alice;
    const id = (S.id = (await ok(a, M.create, { s: SLUG, seed: SEED, n: "mixed" }, "CreateClusterPayload")).cluster.id);
    expect((await ok(a, M.exec, { id, c: "kubectl get pods -l app=demoapp -o wide --show-labels" }, "ExecPayload")).exitCode).toBe(0);
    expect((await ok(a, M.apply, { id, y: SVC_YAML }, "ApplyManifestPayload")).exitCode).toBe(0);
    expect((await ok(a, M.exec, { id, c: "kubectl create namespace dev" }, "ExecPayload")).exitCode).toBe(0);
    const dev = await ok(a, M.apply, { id, y: DEV_SVC, ns: "dev" }, "ApplyManifestPayload");
    expect(dev.results).toEqual([{ name: "backend", namespace: "dev", action: "created" }]);
    // labels in a deliberate order (the stored descriptor must keep it)
    const lab1 = await ok(a, M.label, { id, t: "pods", sel: "app=demoapp", set: [{ key: "tier", value: "web" }, { key: "b", value: "2" }, { key: "a", value: "1" }] }, "LabelPayload");
    expect(lab1.results).toHaveLength(3);
    const sent = await ok(a, M.send, { id, f: "node/node01", u: "http://10.97.72.1", c: 15 }, "SendRequestsPayload");
    expect(sent.distribution.reduce((n: number, d: any) => n + d.count, 0)).toBe(15);
    expect(sent.distribution.every((d: any) => /^Pod\//i.test(d.backend) || d.backend.includes("demoapp"))).toBe(true);
    expect((await ok(a, M.scale, { id, d: "demoapp", r: 5 }, "ScalePayload")).exitCode).toBe(0);
    await ok(a, M.advance, { id, s: 20 }, "AdvanceClockPayload");
    const pods = (await ok(a, M.pods, { id })).pods as { name: string; labels: Record<string, string> }[];
    expect(pods).toHaveLength(5);
    S.podsAfterScaleUp = pods.map((p) => p.name).sort();
    // one of the pods the scale-up made (its name came from the random generator after the requests)
    const newcomer = pods.find((p) => p.labels.tier === undefined)!;
    expect(newcomer).toBeDefined();
    await ok(a, M.label, { id, t: `po/${newcomer.name}`, set: [{ key: "tier", value: "canary" }], rm: ["nothing-here"] }, "LabelPayload");
    expect((await ok(a, M.scale, { id, d: "demoapp", r: 2 }, "ScalePayload")).exitCode).toBe(0);
    await ok(a, M.advance, { id, s: 35 }, "AdvanceClockPayload");
    await ok(a, M.exec, { id, c: "curl -s 10.97.72.1", h: "node01" }, "ExecPayload");
    await ok(a, M.exec, { id, c: "kubectl describe svc/demoapp-svc" }, "ExecPayload");
    expect((await ok(a, M.del, { id, k: "svc", n: "backend", ns: "dev" }, "DeleteResourcePayload")).exitCode).toBe(0);
    const sub = (S.submit = await ok(a, M.submit, { id }, "SubmitLabPayload"));
    S.attemptId = sub.attempt.id;
    expect(sub.grade.score).toBeGreaterThan(0);
  });

  it("every mutation but exec stored a replay descriptor of what it did", async () => {
    const rows = await t.db.prisma.commandLog.findMany({ where: { clusterId: S.id! }, orderBy: { seq: "asc" }, select: { operation: true, replay: true } });
    const ops = rows.map((r) => [r.operation, (r.replay as { op?: string } | null)?.op ?? null]);
    expect(ops).toEqual([
      ["exec", null],
      ["applyManifest", "apply"],
      ["exec", null],
      ["applyManifest", "apply"],
      ["label", "label"],
      ["sendRequests", "requests"],
      ["scale", "scale"],
      ["advanceClock", "advance"],
      ["label", "label"],
      ["scale", "scale"],
      ["advanceClock", "advance"],
      ["exec", null],
      ["exec", null],
      ["deleteResource", "delete"],
    ]);
    const bySelector = rows[4].replay as any;
    expect(bySelector).toMatchObject({ kind: "Pod", namespace: "default", selector: "app=demoapp", set: [["tier", "web"], ["b", "2"], ["a", "1"]], remove: [], overwrite: false });
    expect(bySelector.names).toHaveLength(3);
    expect(rows[3].replay).toEqual({ op: "apply", yaml: DEV_SVC, namespace: "dev" });
    expect(rows[5].replay).toMatchObject({ op: "requests", count: 15, request: { from: { kind: "node", node: "node01" }, host: "10.97.72.1", path: "/", method: "GET" } });
    expect(rows[13].replay).toEqual({ op: "delete", kind: "Service", name: "backend", namespace: "dev" });
  });

  it("regradeAttempt equals the live grade, replaying everything and skipping nothing", async () => {
    const r = await ok(tok.grader, M.regrade, { a: S.attemptId }, "RegradeAttemptPayload");
    expect(r).toMatchObject({ matches: true, seed: SEED, clusterVersion: S.submit.attempt.clusterVersion, skippedOperations: [], replayedCommands: 14 });
    expect(r.regrade).toEqual(S.submit.grade);
  });

  it("the replayed cluster's state equals the live cluster's stored state, byte for byte", async () => {
    const attempt = await t.db.prisma.labAttempt.findUniqueOrThrow({ where: { id: S.attemptId! } });
    const { engine, log } = await replayAttemptLog(ctx(), attempt);
    expect(log.skipped).toEqual([]);
    const live = await liveState(S.id!);
    const replayed = engine.toJSONText();
    // on a difference, say where before comparing the bytes
    expect(differences(JSON.parse(replayed), JSON.parse(live))).toEqual([]);
    expect(replayed).toBe(live);
  });

  it("without the requests the random choices differ: the scale-up names other pods", async () => {
    const log = await runLog(ctx(), S.id!, S.submit.attempt.clusterVersion);
    const upToScale = log.replay.slice(0, log.replay.findIndex((e) => e.op?.op === "advance") + 1);
    const podNames = (c: Cluster) => c.list("Pod", { selector: "app=demoapp" }).map((p) => p.metadata.name).sort();
    const withRequests = catalog.createCluster!(SLUG, SEED);
    runCommands(withRequests, upToScale);
    expect(podNames(withRequests)).toEqual(S.podsAfterScaleUp);
    const without = catalog.createCluster!(SLUG, SEED);
    runCommands(without, upToScale.filter((e) => e.op?.op !== "requests"));
    expect(podNames(without)).not.toEqual(S.podsAfterScaleUp);
  });

  it("log rows written before descriptors existed are still reported as skipped (advanceClock falls back to sleep N)", async () => {
    const rows = await t.db.prisma.commandLog.findMany({ where: { clusterId: S.id!, operation: { in: ["label", "advanceClock"] } }, select: { seq: true, operation: true } });
    await t.db.prisma.commandLog.updateMany({ where: { clusterId: S.id!, seq: { in: rows.map((r) => r.seq) } }, data: { replay: null as never } });
    // Prisma's Json null needs its own sentinel; write SQL NULL directly
    await t.db.prisma.$executeRawUnsafe(`UPDATE "CommandLog" SET replay = NULL WHERE "clusterId" = $1::uuid AND operation IN ('label', 'advanceClock')`, S.id!);
    const r = await ok(tok.grader, M.regrade, { a: S.attemptId }, "RegradeAttemptPayload");
    const labels = rows.filter((x) => x.operation === "label").map((x) => `${x.seq} label`).sort();
    expect([...r.skippedOperations].sort()).toEqual(labels);
    expect(r.replayedCommands).toBe(14 - labels.length);
  });
});

describe("regrade replays bash's history expansion as it happened live", () => {
  it("a line that expands from before a reset, and one whose expansion failed, replay to the live state", async () => {
    const a = tok.alice;
    const reset = `mutation($id: ID!) { resetCluster(input: { clusterId: $id }) { __typename ... on ResetClusterPayload { cluster { version } } ... on Error { message } } }`;
    const id = (await ok(a, M.create, { s: SLUG, seed: SEED, n: "history" }, "CreateClusterPayload")).cluster.id;
    expect((await ok(a, M.exec, { id, c: "kubectl create deployment hist --image=ikubernetes/demoapp:v1.0" }, "ExecPayload")).exitCode).toBe(0);
    await ok(a, reset, { id }, "ResetClusterPayload");
    // the history outlives the reset (the terminal's lines), the replay starts after it
    const again = await ok(a, M.exec, { id, c: "!kubectl" }, "ExecPayload");
    expect(again).toMatchObject({ exitCode: 0, stdout: "kubectl create deployment hist --image=ikubernetes/demoapp:v1.0\ndeployment.apps/hist created\n" });
    expect(await ok(a, M.exec, { id, c: "kubectl delete deploy hist -l !nope" }, "ExecPayload")).toMatchObject({ stderr: "bash: !nope: event not found\n" });
    expect((await ok(a, M.exec, { id, c: "echo !!:2" }, "ExecPayload")).stdout).toBe("echo deployment\ndeployment\n");
    const sub = await ok(a, M.submit, { id }, "SubmitLabPayload");
    const r = await ok(tok.grader, M.regrade, { a: sub.attempt.id }, "RegradeAttemptPayload");
    expect(r).toMatchObject({ matches: true, skippedOperations: [] });
    const attempt = await t.db.prisma.labAttempt.findUniqueOrThrow({ where: { id: sub.attempt.id } });
    const { engine } = await replayAttemptLog(ctx(), attempt);
    expect(engine.list("Deployment", { namespace: "default" }).map((d) => d.metadata.name)).toContain("hist");
    expect(engine.toJSONText()).toBe(await liveState(id));
  });
});
