// The rules of api/clusters.ts through the API and the module's exported functions, one by one (written for its
// mutation run: each rule here let a mutant through before):
//  - creating a cluster: the per-user limit (other users' and deleted clusters do not count), names unique per
//    owner among live clusters, an unknown lab, the course recorded; the first use of a user writes their User,
//    Course and Enrollment rows and keeps the enrollment's role up to date;
//  - ids that are no UUID, missing clusters and engine errors come back as typed errors;
//  - the objects-per-cluster limit, checked only by the changes that ask for it;
//  - what the command log records of a line (host, stdin, stdout, stderr), what the change notification says;
//  - which engine a request is served: engineOf / withEngine / servedFromCache, with the hydrated-cluster cache in
//    every state (holding that version, an older or a newer one, lent out, a deleted row) — counted in parses;
//  - mutations: a warm cache parses nothing, a document's engines all go back, a contended cluster is read under the
//    lock and not from the cache, retryable SQL errors are retried, and a mutation gives up after the attempts allowed.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestApp, type TestApp } from "./helpers/db-app.ts";
import { EngineCache, noteReadLease, type CachedCluster } from "../api/engine-cache.ts";
import { createSerializer, engineOf, findReadableCluster, servedFromCache, withEngine, type ClusterRow } from "../api/clusters.ts";
import { SaveBatcher } from "../api/db/save-batcher.ts";
import { DEFAULT_LIMITS } from "../api/limits.ts";
import { catalog } from "../api/labs-catalog.ts";
import { silentLogger } from "../api/app.ts";
import { clusterEvents } from "../api/events.ts";
import type { Context } from "../api/context.ts";
import type { SqlClient } from "../api/db/sql.ts";
import { Cluster } from "../engine/index.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t?.close());
afterEach(() => vi.restoreAllMocks());

const CREATE = `mutation($name: String!, $lab: String, $seed: Int) { createCluster(input: { name: $name, labSlug: $lab, seed: $seed }) {
  __typename ... on CreateClusterPayload { cluster { id version } } ... on Error { message } ... on ValidationError { issues { field message } } } }`;
const LABEL = `mutation($id: ID!, $k: String!) { label(input: { clusterId: $id, target: "node/node01", set: [{ key: $k, value: "yes" }], overwrite: true }) {
  __typename ... on LabelPayload { cluster { version } } ... on Error { message } } }`;
const EXEC = `mutation($id: ID!, $c: String!, $host: String, $stdin: String) { exec(input: { clusterId: $id, command: $c, host: $host, stdin: $stdin }) {
  __typename ... on ExecPayload { stdout stderr exitCode cluster { version } } ... on Error { message } ... on ValidationError { issues { field message } } } }`;
const DELETE = `mutation($id: ID!) { deleteCluster(input: { clusterId: $id }) { __typename ... on Error { message } } }`;

async function create(token: string, name: string, app = t.app, seed = 4): Promise<string> {
  const r = await t.gql(token, CREATE, { name, seed }, app);
  expect(r.data?.createCluster.__typename, JSON.stringify(r)).toBe("CreateClusterPayload");
  return r.data.createCluster.cluster.id;
}

async function label(token: string, id: string, k: string, app = t.app) {
  const r = await t.gql(token, LABEL, { id, k }, app);
  expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
  return r.data.label;
}

/** Count Cluster.fromJSON calls (parses of a stored state) from here on. */
function countParses(): { readonly n: number } {
  const spy = vi.spyOn(Cluster, "fromJSON");
  return {
    get n() {
      return spy.mock.calls.length;
    },
  };
}

/** A request's context as the app makes one (api/app.ts createContext), for calling the module's functions. */
function ctxOf(sub: string, cache: EngineCache): Context {
  return {
    prisma: t.db.prisma,
    sql: t.db.sql,
    saves: new SaveBatcher(t.db.sql),
    principal: { sub, role: "student" },
    requestId: "test",
    labs: catalog,
    limits: DEFAULT_LIMITS,
    log: silentLogger,
    engines: new WeakMap(),
    engineCache: cache,
    leases: [],
    serialize: createSerializer(),
  } as unknown as Context;
}

/** What the app does once a request is done: its leases go back to the cache. */
function release(ctx: Context): void {
  for (const l of ctx.leases.splice(0)) ctx.engineCache.put(l);
}

const labelsOf = (c: Cluster) => c.get("Node", "node01")?.metadata.labels ?? {};

describe("creating clusters", () => {
  it("at most clustersPerUser live clusters each: other users' and deleted ones do not count; the refusal names the limit", async () => {
    const app = t.restart({ limits: { clustersPerUser: 2 } });
    const ann = await t.token({ sub: "limit-ann", role: "student" });
    const ben = await t.token({ sub: "limit-ben", role: "student" });
    await create(ben, "b1", app);
    await create(ben, "b2", app);
    await create(ann, "one", app);
    const two = await create(ann, "two", app);
    const third = await t.gql(ann, CREATE, { name: "three", seed: 1 }, app);
    expect(third.data.createCluster).toEqual({
      __typename: "ValidationError",
      message: "you already have 2 clusters (the limit is 2): delete one first",
      issues: [{ field: "name", message: "too many clusters" }],
    });
    expect((await t.gql(ann, DELETE, { id: two }, app)).data.deleteCluster.__typename).toBe("DeleteClusterPayload");
    await create(ann, "two", app); // the deleted one neither counts nor clashes
  });

  it("names are unique per owner among live clusters; an unknown lab creates nothing", async () => {
    const cid = await t.token({ sub: "names-cid", role: "student" });
    const dan = await t.token({ sub: "names-dan", role: "student" });
    await create(cid, "web");
    const again = await t.gql(cid, CREATE, { name: "web", seed: 1 });
    expect(again.data.createCluster).toEqual({ __typename: "ConflictError", message: 'you already have a cluster named "web"' });
    await create(dan, "web"); // another owner's
    const lab = await t.gql(cid, CREATE, { name: "lab", lab: "no-such-lab", seed: 1 });
    expect(lab.data.createCluster).toEqual({ __typename: "NotFoundError", message: 'lab "no-such-lab" not found' });
    expect(await t.db.prisma.cluster.count({ where: { ownerId: "names-cid" } })).toBe(1);
  });

  it("a cluster belongs to the course in its creator's token (none without one)", async () => {
    const withCourse = await create(await t.token({ sub: "course-eve", role: "student", course: "course-c9" }), "c");
    const without = await create(await t.token({ sub: "course-fay", role: "student" }), "c");
    const rows = await t.db.prisma.cluster.findMany({ where: { id: { in: [withCourse, without] } }, select: { id: true, courseId: true } });
    expect(Object.fromEntries(rows.map((r) => [r.id, r.courseId]))).toEqual({ [withCourse]: "course-c9", [without]: null });
  });

  it("a user's first request writes their User, Course and Enrollment; a new role or course in the token updates or adds the enrollment, nobody else's", async () => {
    const ME = `{ me { id role course } }`;
    const enrollments = async () =>
      (await t.db.prisma.enrollment.findMany({ where: { userId: { in: ["enr-gus", "enr-hal"] } }, orderBy: [{ userId: "asc" }, { courseId: "asc" }] })).map((e) => [e.userId, e.courseId, e.role]);
    await t.gql(await t.token({ sub: "enr-hal", role: "student", course: "enr-cA" }), ME);
    const r = await t.gql(await t.token({ sub: "enr-gus", name: "Gus", role: "student", course: "enr-cA" }), ME);
    expect(r.data.me).toEqual({ id: "enr-gus", role: "student", course: "enr-cA" });
    expect(await t.db.prisma.user.findUnique({ where: { id: "enr-gus" }, select: { name: true } })).toEqual({ name: "Gus" });
    expect(await t.db.prisma.course.count({ where: { id: "enr-cA" } })).toBe(1);
    expect(await enrollments()).toEqual([
      ["enr-gus", "enr-cA", "student"],
      ["enr-hal", "enr-cA", "student"],
    ]);
    await t.gql(await t.token({ sub: "enr-gus", role: "grader", course: "enr-cA" }), ME);
    expect(await enrollments()).toEqual([
      ["enr-gus", "enr-cA", "grader"],
      ["enr-hal", "enr-cA", "student"],
    ]);
    await t.gql(await t.token({ sub: "enr-gus", role: "grader", course: "enr-cB" }), ME);
    expect(await enrollments()).toEqual([
      ["enr-gus", "enr-cA", "grader"],
      ["enr-gus", "enr-cB", "grader"],
      ["enr-hal", "enr-cA", "student"],
    ]);
    // no course in the token: a User, no enrollment
    await t.gql(await t.token({ sub: "enr-ivy", role: "student" }), ME);
    expect(await t.db.prisma.enrollment.count({ where: { userId: "enr-ivy" } })).toBe(0);
    expect(await t.db.prisma.user.count({ where: { id: "enr-ivy" } })).toBe(1);
  });
});

describe("ids, missing clusters and engine errors are typed answers", () => {
  it("an id that is no UUID reads as missing; a mutation on it, or on a missing UUID, is NotFoundError; a refused change is ValidationError", async () => {
    const jo = await t.token({ sub: "ids-jo", role: "student" });
    const read = await t.gql(jo, `query { cluster(id: "not-a-uuid") { id } }`);
    expect(read).toEqual({ status: 200, data: { cluster: null }, errors: undefined });
    expect((await t.gql(jo, LABEL, { id: "not-a-uuid", k: "a" })).data.label).toEqual({ __typename: "NotFoundError", message: 'cluster "not-a-uuid" not found' });
    const missing = "00000000-0000-4000-8000-000000000000";
    expect((await t.gql(jo, LABEL, { id: missing, k: "a" })).data.label).toEqual({ __typename: "NotFoundError", message: `cluster "${missing}" not found` });
    const id = await create(jo, "ids");
    const bad = await t.gql(jo, LABEL, { id, k: "bad key!" });
    expect(bad.data.label.__typename).toBe("ValidationError");
    expect(bad.data.label.message).toMatch(/bad key!/);
  });
});

describe("the objects-per-cluster limit", () => {
  it("a change that asks for the check may reach the limit, not pass it; a change that does not ask is not refused", async () => {
    const c = Cluster.create({ seed: 4 });
    const n = (["Pod", "Service", "Deployment", "ReplicaSet", "Endpoints"] as const).reduce((s, k) => s + c.count(k), 0);
    const app = t.restart({ limits: { objectsPerCluster: n + 1 } });
    const kim = await t.token({ sub: "objects-kim", role: "student" });
    const id = await create(kim, "objects", app);
    const first = await t.gql(kim, EXEC, { id, c: "kubectl run p1 --image=nginx" }, app);
    expect(first.data.exec).toMatchObject({ __typename: "ExecPayload", exitCode: 0, cluster: { version: 2 } });
    const second = await t.gql(kim, EXEC, { id, c: "kubectl run p2 --image=nginx" }, app);
    expect(second.data.exec).toEqual({
      __typename: "ValidationError",
      message: `the cluster would hold ${n + 2} objects; the limit is ${n + 1}`,
      issues: [{ field: "cluster", message: "too many objects" }],
    });
    // an instance with a lower limit: the cluster is over it, a label (no object added) still goes through
    const lower = t.restart({ limits: { objectsPerCluster: n } });
    expect(await label(kim, id, "still", lower)).toEqual({ __typename: "LabelPayload", cluster: { version: 3 } });
  });
});

describe("the command log and the change notification", () => {
  it("a line's host, stdin, stdout and stderr are logged; a typed mutation logs none of them", async () => {
    const lee = await t.token({ sub: "log-lee", role: "student" });
    const id = await create(lee, "log");
    const manifest = "apiVersion: v1\nkind: Pod\nmetadata: { name: p }\nspec: { containers: [{ name: c, image: nginx }] }\n";
    const ok = await t.gql(lee, EXEC, { id, c: "kubectl apply -f -", host: "master01", stdin: manifest });
    expect(ok.data.exec.stdout).toBe("pod/p created\n");
    const fail = await t.gql(lee, EXEC, { id, c: "kubectl get pod nope" });
    expect(fail.data.exec.exitCode).toBe(1);
    await label(lee, id, "x");
    const log = await t.db.prisma.commandLog.findMany({ where: { clusterId: id }, orderBy: { seq: "asc" }, select: { seq: true, host: true, stdin: true, stdout: true, stderr: true, exitCode: true } });
    expect(log).toEqual([
      { seq: 2, host: "master01", stdin: manifest, stdout: "pod/p created\n", stderr: "", exitCode: 0 },
      { seq: 3, host: "master01", stdin: null, stdout: "", stderr: fail.data.exec.stderr, exitCode: 1 },
      { seq: 4, host: null, stdin: null, stdout: "node/node01 labeled\n", stderr: "", exitCode: 0 },
    ]);
    expect(fail.data.exec.stderr).toMatch(/NotFound/);
  });

  it("each saved change is announced with its version, and a deletion as one", async () => {
    const max = await t.token({ sub: "events-max", role: "student" });
    const id = await create(max, "events");
    const it = clusterEvents.subscribe("cluster:changed", id)[Symbol.asyncIterator]();
    const next = it.next();
    await label(max, id, "e");
    expect((await next).value).toEqual({ version: 2, deleted: false });
    const after = it.next();
    await t.gql(max, DELETE, { id });
    expect((await after).value).toEqual({ version: 3, deleted: true });
    await it.return?.();
  });
});

describe("which engine a request is served (engineOf, withEngine, servedFromCache)", () => {
  const owner = "engines-owner";
  let x1: ClusterRow; // cluster X at version 1
  let x2: ClusterRow; // X at version 2: labelled "v2"
  let y2: ClusterRow; // cluster Y at version 2
  beforeAll(async () => {
    const tok = await t.token({ sub: owner, role: "student" });
    const x = await create(tok, "x", t.app, 1);
    const y = await create(tok, "y", t.app, 2);
    const read = (id: string) => findReadableCluster(ctxOf(owner, new EngineCache(0)), id).then((r) => r!);
    x1 = await read(x);
    await label(tok, x, "v2");
    await label(tok, y, "y");
    x2 = await read(x);
    y2 = await read(y);
    expect([x1.version, x2.version, y2.version]).toEqual([1, 2, 2]);
  });
  const fresh = (row: ClusterRow) => {
    const e = { row, engine: Cluster.fromJSON(row.state) };
    noteReadLease(e); // as read: the give-back self-check compares it with this
    return e;
  };
  /** A request gives back what it took (and only read). */
  const putBack = (cache: EngineCache, e: CachedCluster) => {
    noteReadLease(e);
    cache.put(e);
  };
  const cacheWith = (...rows: ClusterRow[]) => {
    const cache = new EngineCache(10);
    for (const r of rows) cache.put(fresh(r));
    return cache;
  };

  it("engineOf: one parse per cluster and version in a request, the newest held version serves a second read, never another cluster's", async () => {
    const ctx = ctxOf(owner, new EngineCache(10));
    const parses = countParses();
    const a = engineOf(ctx, x2);
    expect(engineOf(ctx, { ...x2 })).toBe(a);
    const y = engineOf(ctx, y2); // same version, other cluster
    expect(y).not.toBe(a);
    expect(labelsOf(y)).toHaveProperty("y");
    expect(labelsOf(a)).toHaveProperty("v2");
    const old = engineOf(ctx, x1); // another version of X: its own engine
    expect(labelsOf(old)).not.toHaveProperty("v2");
    expect(parses.n).toBe(3);
    // held now: X at 2, then at 1; a third read of version 2 is served the newest the request holds
    expect(engineOf(ctx, { ...x2 })).toBe(a);
    expect(parses.n).toBe(3);
    // the other order: X at 1, then at 2
    const ctx2 = ctxOf(owner, new EngineCache(10));
    engineOf(ctx2, x1);
    const a2 = engineOf(ctx2, x2);
    expect(engineOf(ctx2, { ...x2 })).toBe(a2);
    expect(parses.n).toBe(5);
    expect(ctx2.leases.length).toBe(2);
  });

  it("engineOf with the cache: that version is taken (no parse) and goes back with the request; an older one is dropped, a newer one kept", async () => {
    // holding that version
    const same = cacheWith(x2);
    const kept = same.take(x2.id, owner)!;
    putBack(same, kept);
    const ctx = ctxOf(owner, same);
    const parses = countParses();
    expect(engineOf(ctx, x2)).toBe(kept.engine);
    expect(parses.n).toBe(0);
    release(ctx);
    expect(same.take(x2.id, owner)?.engine).toBe(kept.engine);
    // holding an older version: parsed, the old one dropped (not given back, not lent)
    const older = cacheWith(x1);
    const parses1 = parses.n;
    expect(labelsOf(engineOf(ctxOf(owner, older), x2))).toHaveProperty("v2");
    expect(parses.n).toBe(parses1 + 1);
    expect(older.holds(x2.id)).toBe(false);
    // holding a newer version than the row read: parsed, the newer one stays for the next request
    const newer = cacheWith(x2);
    expect(labelsOf(engineOf(ctxOf(owner, newer), x1))).not.toHaveProperty("v2");
    expect(newer.take(x1.id, owner)?.row.version).toBe(2);
  });

  it("engineOf of a deleted row: parsed, never the cached engine, not given back; the cached one is dropped", async () => {
    const deleted = { ...x2, deletedAt: new Date() };
    const cache = cacheWith(x2);
    const cached = cache.take(x2.id, owner)!;
    putBack(cache, cached);
    const ctx = ctxOf(owner, cache);
    const e = engineOf(ctx, deleted);
    expect(e).not.toBe(cached.engine);
    expect(labelsOf(e)).toHaveProperty("v2");
    expect(ctx.leases).toEqual([]);
    expect(cache.holds(x2.id)).toBe(false);
    // and withEngine on it in the same request reads the engine the request has
    expect(await withEngine(ctx, deleted, (c) => c)).toBe(e);
  });

  it("engineOf leaves a cluster another request holds to that request and its waiters", async () => {
    const cache = cacheWith(x2);
    const holder = cache.take(x2.id, owner)!;
    let woken: unknown = "waiting";
    void Promise.resolve(cache.acquire(x2.id, owner)).then((e) => (woken = e));
    expect(labelsOf(engineOf(ctxOf(owner, cache), x2))).toHaveProperty("v2"); // parsed: the cached one is lent out
    await new Promise((r) => setTimeout(r, 10));
    expect(woken).toBe("waiting");
    putBack(cache, holder);
    await new Promise((r) => setTimeout(r, 0));
    expect(woken).toBe(holder);
  });

  it("withEngine: the engine the request holds, else the cached one of that version (given back at once), else a parse", async () => {
    const parses = countParses();
    // held by the request (read by engineOf first), also through another row object of the same version
    const ctx = ctxOf(owner, new EngineCache(10));
    const p00 = parses.n;
    const held = engineOf(ctx, x2);
    expect(await withEngine(ctx, x2, (c) => c)).toBe(held);
    expect(await withEngine(ctx, { ...x2 }, (c) => c)).toBe(held);
    expect(parses.n).toBe(p00 + 1);
    // nothing held, nothing cached: parsed, and the engine is kept for the next request
    const empty = new EngineCache(10);
    const e = await withEngine(ctxOf(owner, empty), x2, (c) => c);
    expect(labelsOf(e)).toHaveProperty("v2");
    expect(empty.take(x2.id, owner)?.engine).toBe(e);
    // cached at that version: that engine, given back when read returns
    const cache = cacheWith(x2);
    const c = cache.take(x2.id, owner)!;
    putBack(cache, c);
    const p0 = parses.n;
    expect(await withEngine(ctxOf(owner, cache), x2, (en) => [en, en.get("Node", "node01")?.metadata.name])).toEqual([c.engine, "node01"]);
    expect(parses.n).toBe(p0);
    expect(cache.take(x2.id, owner)?.engine).toBe(c.engine);
  });

  it("withEngine with another version cached: reads the row's version; a newer cached one is kept, an older one replaced", async () => {
    const older = cacheWith(x1);
    expect(labelsOf(await withEngine(ctxOf(owner, older), x2, (c) => c))).toHaveProperty("v2");
    expect(older.take(x2.id, owner)?.row.version).toBe(2);
    const newer = cacheWith(x2);
    expect(labelsOf(await withEngine(ctxOf(owner, newer), x1, (c) => c))).not.toHaveProperty("v2");
    expect(newer.take(x1.id, owner)?.row.version).toBe(2);
    // a deleted row the request does not hold: parsed
    expect(labelsOf(await withEngine(ctxOf(owner, new EngineCache(10)), { ...x2, deletedAt: new Date() }, (c) => c))).toHaveProperty("v2");
  });

  it("servedFromCache: the request's own engine at that version or later, else the cache's, else null (counting no miss for a cluster it does not hold)", async () => {
    // the request's own
    const own = new EngineCache(10);
    const ctx = ctxOf(owner, own);
    const e = engineOf(ctx, x2);
    expect(await servedFromCache(ctx, x2.id, owner, 2)).toBe(x2);
    expect(await servedFromCache(ctx, x2.id, owner, 1)).toBe(x2);
    expect(await servedFromCache(ctx, x2.id, owner, 3)).toBeNull();
    expect(own.stats.misses).toBe(1); // engineOf's take; servedFromCache asked nothing of a cache that does not hold it
    expect(ctx.engines.get(x2)).toBe(e);
    // the cache's, at that version or later
    const cache = cacheWith(x2);
    const c2 = ctxOf(owner, cache);
    const row = await servedFromCache(c2, x2.id, owner, 2);
    expect(row?.version).toBe(2);
    expect(labelsOf(c2.engines.get(row!)!)).toHaveProperty("v2");
    expect(c2.leases.map((l) => l.row.version)).toEqual([2]);
    release(c2);
    expect((await servedFromCache(ctxOf(owner, cache), x2.id, owner, 1))?.version).toBe(2);
    // the cache holds an older one than asked: null, and it stays cached
    const old = cacheWith(x1);
    expect(await servedFromCache(ctxOf(owner, old), x1.id, owner, 2)).toBeNull();
    expect(old.take(x1.id, owner)?.row.version).toBe(1);
    // held for another owner: null
    expect(await servedFromCache(ctxOf("someone-else", cacheWith(x2)), x2.id, "someone-else", 1)).toBeNull();
  });
});

describe("mutations and the engines they use", () => {
  it("on a warm cache a command parses nothing, nor do commands sent at once, nor two clusters' commands in one document", async () => {
    const cache = new EngineCache(10);
    const app = t.restart({ engineCache: cache });
    const ned = await t.token({ sub: "warm-ned", role: "student" });
    const a = await create(ned, "a", app);
    const b = await create(ned, "b", app);
    const parses = countParses();
    await label(ned, a, "one", app);
    const both = await Promise.all([label(ned, a, "two", app), label(ned, a, "three", app)]);
    expect(both.map((m) => m.cluster.version).sort()).toEqual([3, 4]);
    const doc = await t.gql(
      ned,
      `mutation($a: ID!, $b: ID!) { x: label(input: { clusterId: $a, target: "node/node01", set: [{ key: "d", value: "1" }] }) { __typename }
         y: label(input: { clusterId: $b, target: "node/node01", set: [{ key: "d", value: "1" }] }) { __typename }
         z: label(input: { clusterId: $a, target: "node/node01", set: [{ key: "e", value: "1" }] }) { __typename } }`,
      { a, b },
      app,
    );
    expect(doc.data).toEqual({ x: { __typename: "LabelPayload" }, y: { __typename: "LabelPayload" }, z: { __typename: "LabelPayload" } });
    const read = await t.gql(ned, `query($a: ID!, $b: ID!) { a: cluster(id: $a) { version nodes { name } } b: cluster(id: $b) { version } }`, { a, b }, app);
    expect([read.data.a.version, read.data.b.version]).toEqual([6, 2]);
    expect(parses.n).toBe(0);
  });

  it("a contended cluster's mutation reads the row under the lock, not the engine this instance cached; a lost race with no attempts left is a ConflictError", async () => {
    const warnings: { msg: string; fields?: Record<string, unknown> }[] = [];
    const logger = { ...silentLogger, warn: (msg: string, fields?: Record<string, unknown>) => warnings.push({ msg, fields }) };
    const a = t.restart({ engineCache: new EngineCache(10), limits: { mutationAttempts: 1 }, logger });
    const b = t.restart();
    const oz = await t.token({ sub: "race-oz", role: "student" });
    const id = await create(oz, "race", a);
    expect(await label(oz, id, "a1", a)).toMatchObject({ cluster: { version: 2 } }); // a caches version 2
    await label(oz, id, "b1", b); // 3
    // a starts from its stale engine, loses the save, and has no attempt left
    expect(await label(oz, id, "a2", a)).toEqual({ __typename: "ConflictError", message: `cluster "${id}" is changing too fast: try again` });
    expect(warnings.filter((w) => w.msg === "cluster mutation gave up after retries").map((w) => w.fields)).toEqual([
      expect.objectContaining({ clusterId: id, operation: "label", attempts: 1 }),
    ]);
    // now contended: a reads the row under the lock (4), caches it; b writes again (5); a must not start from its 4
    expect(await label(oz, id, "a3", a)).toMatchObject({ cluster: { version: 4 } });
    await label(oz, id, "b2", b);
    expect(await label(oz, id, "a4", a)).toMatchObject({ cluster: { version: 6 } });
    const labels = (await t.gql(oz, `query($id: ID!) { cluster(id: $id) { nodes { name labels } } }`, { id }, b)).data.cluster.nodes.find((n: { name: string }) => n.name === "node01").labels;
    expect(Object.keys(labels).filter((k) => /^[ab]\d$/.test(k)).sort()).toEqual(["a1", "a3", "a4", "b1", "b2"]);
  });

  /** The test database's SQL route, with a retryable error (Prisma's write conflict) thrown where `fail` says. */
  function flaky(fail: { transaction?: number; save?: number }): { sql: SqlClient; transactions: number } {
    const base = t.db.sql;
    const conflict = () => Object.assign(new Error("write conflict"), { code: "P2034" });
    const out = {
      transactions: 0,
      sql: {
        query: (text: string, params: readonly unknown[]) => (/INSERT INTO "CommandLog"/.test(text) && (fail.save ?? 0) > 0 && fail.save!-- ? Promise.reject(conflict()) : base.query(text, params)),
        execute: (text: string, params: readonly unknown[]) => (/INSERT INTO "CommandLog"/.test(text) && (fail.save ?? 0) > 0 && fail.save!-- ? Promise.reject(conflict()) : base.execute(text, params)),
        transaction: (fn, opts) => {
          out.transactions++;
          return (fail.transaction ?? 0) > 0 && fail.transaction!-- ? Promise.reject(conflict()) : base.transaction(fn, opts);
        },
      } as SqlClient,
    };
    return out;
  }

  it("a retryable SQL error is tried again, under the row lock; after mutationAttempts it is a ConflictError", async () => {
    const pat = await t.token({ sub: "retry-pat", role: "student" });
    // the save of an unlocked first attempt fails: the second attempt runs under the lock
    const once = flaky({ save: 1 });
    const app1 = t.restart({ sql: once.sql });
    const id = await create(pat, "retry", app1);
    expect(await label(pat, id, "r1", app1)).toMatchObject({ cluster: { version: 2 } });
    expect(once.transactions).toBe(1);
    // the same, and the locked second attempt's transaction fails too: a third attempt, under the lock again
    const twice = flaky({ save: 1, transaction: 1 });
    const app2 = t.restart({ sql: twice.sql });
    expect(await label(pat, id, "r2", app2)).toMatchObject({ cluster: { version: 3 } });
    expect(twice.transactions).toBe(2);
    // always failing: exactly mutationAttempts attempts, then ConflictError
    const never = flaky({ save: 1, transaction: 1_000 });
    const app3 = t.restart({ sql: never.sql, limits: { mutationAttempts: 3 } });
    expect(await label(pat, id, "r3", app3)).toEqual({ __typename: "ConflictError", message: `cluster "${id}" is changing too fast: try again` });
    expect(never.transactions).toBe(2);
  });
});
