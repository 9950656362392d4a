// The hydrated-cluster cache (api/engine-cache.ts) is only a shortcut: an app instance that keeps each cluster's
// engine in memory between mutations must answer and store exactly what one that reads and parses the row for every
// mutation does, through the public API. Three labs' reference solutions plus the typed mutations (some of them
// failing, one failing AFTER it changed the engine) run on two clusters with the same lab and seed, one through an
// app with the cache and one through an app without it: every answer, the command log and the stored state text are
// identical, and the cache was actually used. Then the cases where the cached engine is wrong: another instance wrote
// in between (the save's version check catches it, the mutation runs again from the row), and the cluster was
// deleted elsewhere.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestApp, type TestApp } from "./helpers/db-app.ts";
import { EngineCache, LEASE_WAIT_MS, MAX_WAITERS, leaseChecks, noteReadLease } from "../api/engine-cache.ts";
import type { App } from "../api/app.ts";
import { getLab } from "../labs/catalog.ts";
import { Cluster } from "../engine/index.ts";
import type { ClusterRow } from "../api/clusters.ts";

let t: TestApp;
let cached: App;
let uncached: App;
const cache = new EngineCache(50);
let alice: string;

// Few objects allowed, so a scale past the limit fails after the engine already created the pods.
const LIMITS = { objectsPerCluster: 40 };

beforeAll(async () => {
  t = await createTestApp({ limits: LIMITS });
  cached = t.restart({ engineCache: cache, limits: LIMITS });
  uncached = t.restart({ limits: { ...LIMITS, engineCache: 0 } });
  alice = await t.token({ sub: "alice", role: "student", course: "c1" });
});
afterAll(() => t?.close());

const CREATE = `mutation($lab: String, $name: String!) { createCluster(input: { name: $name, labSlug: $lab, seed: 77 }) {
  __typename ... on CreateClusterPayload { cluster { id version } } ... on Error { message } } }`;
const EXEC = `mutation($id: ID!, $c: String!, $host: String, $stdin: String) { exec(input: { clusterId: $id, command: $c, host: $host, stdin: $stdin }) {
  __typename ... on ExecPayload { stdout stderr exitCode cluster { version now } } ... on Error { message } } }`;
const LABEL = `mutation($id: ID!, $target: String!, $k: String!, $v: String!) { label(input: { clusterId: $id, target: $target, set: [{ key: $k, value: $v }], overwrite: true }) {
  __typename ... on LabelPayload { exitCode stdout stderr results { changed } cluster { version } } ... on Error { message } } }`;
const SCALE = `mutation($id: ID!, $d: String!, $n: Int!) { scale(input: { clusterId: $id, deployment: $d, replicas: $n }) {
  __typename ... on ScalePayload { cluster { version } } ... on Error { message } } }`;
const APPLY = `mutation($id: ID!, $yaml: String!) { applyManifest(input: { clusterId: $id, yaml: $yaml }) {
  __typename ... on ApplyManifestPayload { exitCode stdout stderr cluster { version } } ... on Error { message } } }`;
const ADVANCE = `mutation($id: ID!, $s: Int!) { advanceClock(input: { clusterId: $id, seconds: $s }) {
  __typename ... on AdvanceClockPayload { now cluster { version } } ... on Error { message } } }`;
const PODS = `query($id: ID!) { cluster(id: $id) { version pods { name ready labels } } }`;

type Step = { query: string; vars: Record<string, unknown> };

/** The lab's reference solution, then typed mutations: good ones and failing ones. */
function steps(slug: string): Step[] {
  const lab = getLab(slug)!;
  const out: Step[] = lab.solution.map((e) => ({ query: EXEC, vars: { c: e.line, host: e.host ?? null, stdin: e.stdin ?? null } }));
  out.push(
    { query: LABEL, vars: { target: "node/node01", k: "cache", v: "one" } },
    { query: LABEL, vars: { target: "node/node01", k: "bad key!", v: "x" } }, // invalid: nothing changes
    { query: APPLY, vars: { yaml: "kind: [" } }, // not YAML
    { query: SCALE, vars: { d: "no-such-deployment", n: 2 } },
    { query: EXEC, vars: { c: "kubectl create deployment big --image=ikubernetes/demoapp:v1.0 --replicas=2", host: null, stdin: null } },
    { query: SCALE, vars: { d: "big", n: 45 } }, // past objectsPerCluster: fails after the engine made the pods
    { query: ADVANCE, vars: { s: 20 } },
    { query: EXEC, vars: { c: "kubectl get pods -o wide", host: null, stdin: null } },
    { query: LABEL, vars: { target: "node/node01", k: "cache", v: "two" } },
  );
  return out;
}

/** An answer without what differs between the two clusters by construction (nothing should). */
function answer(data: unknown): string {
  return JSON.stringify(data);
}

describe("the engine cache changes nothing but speed", () => {
  for (const slug of ["readiness-endpoints", "label-selectors", "nodeport-services"]) {
    it(`${slug}: same answers, same log, same stored state with and without it`, async () => {
      const hits0 = cache.stats.hits;
      const ids: string[] = [];
      for (const app of [cached, uncached]) {
        const c = await t.gql(alice, CREATE, { lab: slug, name: `${slug}-${ids.length}` }, app);
        expect(c.data.createCluster.__typename).toBe("CreateClusterPayload");
        ids.push(c.data.createCluster.cluster.id);
      }
      const list = steps(slug);
      let failed = 0;
      for (const s of list) {
        const [a, b] = await Promise.all(ids.map((id, i) => t.gql(alice, s.query, { ...s.vars, id }, i === 0 ? cached : uncached)));
        expect(a.errors).toBeUndefined();
        expect(answer(a.data)).toBe(answer(b.data));
        if (!JSON.stringify(a.data).includes("Payload")) failed++;
      }
      expect(failed).toBeGreaterThanOrEqual(3); // the failing steps did fail, on both
      const rows = await t.db.prisma.cluster.findMany({ where: { id: { in: ids } } });
      const byId = new Map(rows.map((r) => [r.id, r]));
      const [ca, cb] = ids.map((id) => byId.get(id)!);
      expect(ca.version).toBe(cb.version);
      expect(ca.state).toBe(cb.state);
      // the scale past the object limit left nothing behind in either
      expect(JSON.parse(ca.state).deployments["default/big"].spec.replicas).toBe(2);
      const logs = await Promise.all(
        ids.map((id) => t.db.prisma.commandLog.findMany({ where: { clusterId: id }, orderBy: { seq: "asc" }, select: { seq: true, operation: true, input: true, host: true, stdin: true, stdout: true, stderr: true, exitCode: true, replay: true, virtualTime: true } })),
      );
      expect(logs[0]).toEqual(logs[1]);
      // and the cached app really did run from memory: every mutation after the first found its engine there
      expect(cache.stats.hits - hits0).toBeGreaterThanOrEqual(ca.version - 2 - failed);
    });
  }

  it("another instance writes in between: the stale engine is not saved, the mutation runs again on the row", async () => {
    const c = await t.gql(alice, CREATE, { lab: null, name: "stale" }, cached);
    const id = c.data.createCluster.cluster.id;
    const other = t.restart(); // a second server process
    const label = (app: App, k: string) => t.gql(alice, LABEL, { id, target: "node/node02", k, v: "x" }, app);
    expect((await label(cached, "first")).data.label.__typename).toBe("LabelPayload");
    expect((await label(other, "second")).data.label.__typename).toBe("LabelPayload");
    const hits0 = cache.stats.hits;
    const third = await label(cached, "third");
    expect(third.data.label.__typename).toBe("LabelPayload");
    expect(cache.stats.hits).toBe(hits0 + 1); // it did start from the stale engine
    expect(third.data.label.cluster.version).toBe(4);
    const q = await t.gql(alice, `query($id: ID!) { cluster(id: $id) { nodes { name labels } } }`, { id }, uncached);
    const labels = q.data.cluster.nodes.find((n: { name: string }) => n.name === "node02").labels;
    expect(labels).toMatchObject({ first: "x", second: "x", third: "x" });
    const log = await t.db.prisma.commandLog.findMany({ where: { clusterId: id }, orderBy: { seq: "asc" } });
    expect(log.map((l) => l.seq)).toEqual([2, 3, 4]);
    // the next one starts from memory again, and from the right state
    const fourth = await label(cached, "fourth");
    expect(fourth.data.label.cluster.version).toBe(5);
    const pods = await t.gql(alice, PODS, { id }, cached);
    expect(pods.data.cluster.version).toBe(5);
  });

  it("a cluster deleted through another instance is gone for the instance that has it cached", async () => {
    const c = await t.gql(alice, CREATE, { lab: null, name: "deleted-elsewhere" }, cached);
    const id = c.data.createCluster.cluster.id;
    await t.gql(alice, ADVANCE, { id, s: 5 }, cached);
    const del = await t.gql(alice, `mutation($id: ID!) { deleteCluster(input: { clusterId: $id }) { __typename } }`, { id }, uncached);
    expect(del.data.deleteCluster.__typename).toBe("DeleteClusterPayload");
    const after = await t.gql(alice, ADVANCE, { id, s: 5 }, cached);
    expect(after.data.advanceClock.__typename).toBe("NotFoundError");
  });

  it("a read right after a save is served from memory, answers what a fresh parse answers, and hands the engine on", async () => {
    const c = await t.gql(alice, CREATE, { lab: "readiness-endpoints", name: "read-after-save" }, cached);
    const id = c.data.createCluster.cluster.id;
    await t.gql(alice, EXEC, { id, c: "kubectl create deployment web --image=ikubernetes/demoapp:v1.0 --replicas=2", host: null, stdin: null }, cached);
    await t.gql(alice, ADVANCE, { id, s: 30 }, cached);
    const hits0 = cache.stats.hits;
    const fromMemory = await t.gql(alice, PODS, { id }, cached);
    expect(cache.stats.hits).toBe(hits0 + 1);
    const parsed = await t.gql(alice, PODS, { id }, uncached);
    expect(answer(fromMemory.data)).toBe(answer(parsed.data));
    expect(fromMemory.data.cluster.pods.filter((p: { ready: boolean }) => p.ready)).toHaveLength(2);
    // the read gave it back: the next mutation starts from memory as well
    const next = await t.gql(alice, LABEL, { id, target: "deploy/web", k: "after", v: "read" }, cached);
    expect(next.data.label.cluster.version).toBe(4);
    expect(cache.stats.hits).toBe(hits0 + 2);
  });

  it("a read through an instance that never saved the cluster parses it once and keeps it for the next request", async () => {
    const c = await t.gql(alice, CREATE, { lab: null, name: "read-elsewhere" }, uncached);
    const id = c.data.createCluster.cluster.id;
    await t.gql(alice, ADVANCE, { id, s: 5 }, uncached);
    const misses0 = cache.stats.misses;
    const hits0 = cache.stats.hits;
    expect((await t.gql(alice, PODS, { id }, cached)).data.cluster.version).toBe(2);
    expect(cache.stats.misses).toBe(misses0 + 1);
    expect((await t.gql(alice, ADVANCE, { id, s: 5 }, cached)).data.advanceClock.cluster.version).toBe(3);
    expect(cache.stats.hits).toBe(hits0 + 1);
  });

  it("another student cannot use a cluster cached for its owner", async () => {
    const c = await t.gql(alice, CREATE, { lab: null, name: "mine" }, cached);
    const id = c.data.createCluster.cluster.id;
    await t.gql(alice, ADVANCE, { id, s: 5 }, cached);
    const bob = await t.token({ sub: "bob", role: "student", course: "c1" });
    const r = await t.gql(bob, ADVANCE, { id, s: 5 }, cached);
    expect(r.data.advanceClock.__typename).toBe("NotFoundError");
    const mine = await t.gql(alice, ADVANCE, { id, s: 5 }, cached);
    expect(mine.data.advanceClock.cluster.version).toBe(3);
  });
});

describe("requests that meet on one cluster wait for its engine instead of parsing it again", () => {
  const CHECK = `mutation($id: ID!) { checkProgress(input: { clusterId: $id }) { __typename ... on CheckProgressPayload { grade { score } cluster { version } } ... on Error { message } } }`;

  it("commands and a progress check sent at once: no second copy, the commands applied in the order sent", async () => {
    const c = await t.gql(alice, CREATE, { lab: "clusterip-services", name: "meet" }, cached);
    const id = c.data.createCluster.cluster.id;
    await t.gql(alice, ADVANCE, { id, s: 1 }, cached);
    const misses0 = cache.stats.misses;
    const waited0 = cache.stats.waited;
    const lines = [
      "kubectl create deployment meet --image=ikubernetes/demoapp:v1.0 --replicas=1",
      "kubectl scale deployment meet --replicas=3",
      "kubectl label deployment meet order=kept",
      "kubectl get deployment meet -o jsonpath={.spec.replicas}{.metadata.labels.order}",
    ];
    const sent = [
      ...lines.slice(0, 2).map((line) => t.gql(alice, EXEC, { id, c: line, host: null, stdin: null }, cached)),
      t.gql(alice, CHECK, { id }, cached),
      ...lines.slice(2).map((line) => t.gql(alice, EXEC, { id, c: line, host: null, stdin: null }, cached)),
    ];
    const answers = await Promise.all(sent);
    for (const a of answers) expect(a.errors).toBeUndefined();
    expect(answers[4].data.exec.stdout).toBe("3kept");
    expect(answers.filter((a) => a.data.exec).map((a) => a.data.exec.exitCode)).toEqual([0, 0, 0, 0]);
    expect(answers[2].data.checkProgress.__typename).toBe("CheckProgressPayload");
    // every one of them started from the engine in memory: none parsed the row, and some waited for it
    expect(cache.stats.misses).toBe(misses0);
    expect(cache.stats.waited).toBeGreaterThan(waited0);
    const log = await t.db.prisma.commandLog.findMany({ where: { clusterId: id, operation: "exec" }, orderBy: { seq: "asc" }, select: { input: true } });
    expect(log.map((l) => l.input)).toEqual(lines);
    // and what is stored is what an instance without the cache makes of the same lines
    const fresh = await t.gql(alice, CREATE, { lab: "clusterip-services", name: "meet-uncached" }, uncached);
    const freshId = fresh.data.createCluster.cluster.id;
    await t.gql(alice, ADVANCE, { id: freshId, s: 1 }, uncached);
    for (const line of lines) await t.gql(alice, EXEC, { id: freshId, c: line, host: null, stdin: null }, uncached);
    const rows = await t.db.prisma.cluster.findMany({ where: { id: { in: [id, freshId] } }, select: { id: true, state: true, version: true } });
    const [mine, theirs] = [id, freshId].map((x) => rows.find((r) => r.id === x)!);
    expect(mine.version).toBe(theirs.version);
    expect(mine.state).toBe(theirs.state);
  });

  it("a mutation that fails after changing the engine sends the requests waiting for it to the row", async () => {
    const c = await t.gql(alice, CREATE, { lab: null, name: "meet-fail" }, cached);
    const id = c.data.createCluster.cluster.id;
    await t.gql(alice, EXEC, { id, c: "kubectl create deployment big --image=ikubernetes/demoapp:v1.0 --replicas=2", host: null, stdin: null }, cached);
    const [tooMany, next] = await Promise.all([
      t.gql(alice, SCALE, { id, d: "big", n: 45 }, cached), // past objectsPerCluster: fails after the engine made the pods
      t.gql(alice, EXEC, { id, c: "kubectl get deployment big -o jsonpath={.spec.replicas}", host: null, stdin: null }, cached),
    ]);
    expect(tooMany.data.scale.__typename).toBe("ValidationError");
    expect(next.data.exec.stdout).toBe("2");
  });
});

describe("the give-back self-check (tests/setup/self-checks.ts)", () => {
  it("reports an engine that changed while a request held it for reading", () => {
    const c = new EngineCache(4);
    const engine = Cluster.create({ seed: 5 });
    const row = { id: "x", ownerId: "alice", version: 1, deletedAt: null, state: engine.toJSONText() } as ClusterRow;
    const lease = { row, engine };
    noteReadLease(lease);
    engine.advance(1);
    c.put(lease);
    expect(leaseChecks.violations.splice(0)).toEqual(["cluster x (version 1) was changed after it was saved or read"]);
  });
});

describe("EngineCache", () => {
  const engine = Cluster.create({ seed: 1 });
  // (the state the engine holds: what a saved row of it would)
  const row = (id: string, version: number, ownerId = "alice", deletedAt: Date | null = null) =>
    ({ id, ownerId, version, deletedAt, courseId: null, name: id, labSlug: null, seed: 1, state: engine.toJSONText(), createdAt: new Date(0), updatedAt: new Date(0) }) as ClusterRow;

  it("hands an entry to its owner only, once, until it is given back", () => {
    const c = new EngineCache(10);
    c.put({ row: row("a", 2), engine });
    expect(c.take("a", "bob")).toBeUndefined();
    expect(c.take("a", "alice")?.row.version).toBe(2);
    expect(c.take("a", "alice")).toBeUndefined(); // taken: nobody else gets it meanwhile
    c.put({ row: row("a", 3), engine });
    expect(c.take("a", "alice")?.row.version).toBe(3);
    expect(c.stats).toEqual({ hits: 2, misses: 2, waited: 0, waitsFailed: 0 });
  });

  it("keeps the newest version: an older engine given back late is not kept", () => {
    const c = new EngineCache(10);
    c.saved("a", 5); // request B saved v5 while request A (which saved v4) still holds its engine
    c.put({ row: row("a", 4), engine });
    expect(c.take("a", "alice")).toBeUndefined();
    c.put({ row: row("a", 5), engine });
    c.put({ row: row("a", 4), engine });
    expect(c.take("a", "alice")?.row.version).toBe(5);
    c.put({ row: row("a", 5), engine });
    c.saved("a", 6); // saved elsewhere in this instance: the held v5 is stale now
    expect(c.take("a", "alice")).toBeUndefined();
  });

  it("holds at most its capacity (least recently given back go first), nothing deleted, nothing at capacity 0", () => {
    const c = new EngineCache(2);
    for (const id of ["a", "b", "c"]) c.put({ row: row(id, 1), engine });
    expect(c.size).toBe(2);
    expect(c.take("a", "alice")).toBeUndefined();
    expect(c.take("c", "alice")).toBeDefined();
    c.put({ row: row("d", 1, "alice", new Date()), engine });
    expect(c.take("d", "alice")).toBeUndefined();
    const off = new EngineCache(0);
    off.put({ row: row("a", 1), engine });
    expect(off.size).toBe(0);
  });
  it("a request that finds the cluster lent out waits for it; given back, it goes to the waiters in arrival order", async () => {
    const c = new EngineCache(10);
    c.put({ row: row("a", 1), engine });
    const held = c.take("a", "alice")!;
    expect(c.acquire("a", "bob")).toBeUndefined(); // not the owner: no wait, a miss
    const first = c.acquire("a", "alice");
    const second = c.acquire("a", "alice");
    expect(first).toBeInstanceOf(Promise);
    c.put({ row: row("a", 2), engine: held.engine });
    expect((await first)?.row.version).toBe(2);
    expect(c.take("a", "alice")).toBeUndefined(); // handed on, not back in the cache: the first waiter holds it
    c.put({ row: row("a", 3), engine: held.engine });
    expect((await second)?.row.version).toBe(3);
    c.put({ row: row("a", 3), engine: held.engine });
    expect(c.acquire("a", "alice")).toMatchObject({ row: { version: 3 } }); // nobody waits: back in the cache
    expect(c.stats).toMatchObject({ waited: 2, waitsFailed: 0 });
  });

  it("a holder that gives nothing back (a failed mutation) sends every waiter to the row", async () => {
    const c = new EngineCache(10);
    c.put({ row: row("a", 1), engine });
    c.take("a", "alice");
    const waiting = [c.acquire("a", "alice"), c.acquire("a", "alice")];
    c.abandon("a");
    expect(await Promise.all(waiting)).toEqual([undefined, undefined]);
    expect(c.acquire("a", "alice")).toBeUndefined(); // no longer lent: nobody waits for it
    expect(c.stats).toMatchObject({ waited: 0, waitsFailed: 2 });
  });

  it("waits are bounded: a full queue reads the row at once, and a holder that never gives back is waited for LEASE_WAIT_MS", async () => {
    vi.useFakeTimers();
    try {
      const c = new EngineCache(10);
      c.put({ row: row("a", 1), engine });
      c.take("a", "alice");
      const queue = Array.from({ length: MAX_WAITERS }, () => c.acquire("a", "alice"));
      expect(c.acquire("a", "alice")).toBeUndefined();
      vi.advanceTimersByTime(LEASE_WAIT_MS);
      expect(await Promise.all(queue)).toEqual(Array(MAX_WAITERS).fill(undefined));
      expect(c.stats.waitsFailed).toBe(MAX_WAITERS);
    } finally {
      vi.useRealTimers();
    }
  });
});
