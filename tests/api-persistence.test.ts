// The mutation path's persistence (api/db/cluster-store.ts) on whichever database the environment picks
// (DATABASE_URL -> PostgreSQL, unset -> PGlite), on every route the servers use to it (through Prisma everywhere;
// straight on pg for a PostgreSQL server): the state travels as JSON text both ways, the state + version +
// log entry are written by one statement that writes nothing at all when the version moved on, and a soft delete
// hides the row from the next load; the row lock queues a second writer behind the first. Then, through the API:
// many app instances (each its own in-process queue, two database clients) racing on one cluster with ONE retry
// allowed all apply exactly once, because a lost race is retried holding the row lock, where it cannot lose again.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "./helpers/db.ts";
import { deferred } from "./helpers/deferred.ts";
import { createTestApp, TEST_SECRET } from "./helpers/db-app.ts";
import { createApp, silentLogger } from "../api/app.ts";
import { loadOwnCluster, saveMutation } from "../api/db/cluster-store.ts";
import { prismaSql, type SqlClient } from "../api/db/sql.ts";
import type { CommandLog } from "../api/generated/prisma/client.ts";

let db: TestDatabase;
const STATE = { now: 1638720000, objects: { pods: [{ name: "web-1", labels: { app: "web", "x/y": "é ünïcode" } }] }, list: [1, 2.5, null, true, "s"] };

beforeAll(async () => {
  db = await createTestDatabase();
  await db.prisma.user.create({ data: { id: "alice" } });
  await db.prisma.user.create({ data: { id: "bob" } });
});
afterAll(() => db?.close());

function baseEntry(seq: number, input: string, at = new Date()): Omit<CommandLog, "clusterId"> {
  return { seq, at, virtualTime: "2021-12-05T16:00:00Z", actorId: "alice", operation: "label", host: null, input, stdin: null, stdout: "ok\n", stderr: "", exitCode: 0, replay: null };
}

async function seqsOf(clusterId: string): Promise<number[]> {
  return (await db.prisma.commandLog.findMany({ where: { clusterId }, select: { seq: true }, orderBy: { seq: "asc" } })).map((l) => l.seq);
}

// Each route gets its own cluster row, so the sequence of tests below runs the same on both.
const ROUTES: [string, () => SqlClient][] = [["through Prisma", () => prismaSql(db.prisma)]];
if (process.env.DATABASE_URL) ROUTES.push(["straight on pg", () => db.sql]);

describe.each(ROUTES)("cluster store, %s", (_route, route) => {
  let sql: SqlClient;
  let clusterId: string;
  const logEntry = (seq: number, input: string, at = new Date()): CommandLog => ({ ...baseEntry(seq, input, at), clusterId });
  const logSeqs = () => seqsOf(clusterId);
  beforeAll(async () => {
    sql = route();
    clusterId = (await db.prisma.cluster.create({ data: { ownerId: "alice", name: `p-${_route}`, seed: 3, state: JSON.stringify(STATE), version: 1 } })).id;
  });

  it("loads the owner's row with the state as JSON text, and nobody else's", async () => {
    const row = await loadOwnCluster(sql, clusterId, "alice");
    expect(row).not.toBeNull();
    expect(typeof row!.state).toBe("string");
    expect(JSON.parse(row!.state)).toEqual(STATE);
    expect(row).toMatchObject({ id: clusterId, ownerId: "alice", name: `p-${_route}`, seed: 3, version: 1, deletedAt: null, courseId: null, labSlug: null });
    expect(row!.createdAt).toBeInstanceOf(Date);
    expect(await loadOwnCluster(sql, clusterId, "bob")).toBeNull();
    expect(await loadOwnCluster(sql, "00000000-0000-4000-8000-000000000000", "alice")).toBeNull();
  });

  it("writes state, version, updatedAt and the log entry in one statement", async () => {
    const next = { ...STATE, now: STATE.now + 60, extra: "a".repeat(20_000) };
    const at = new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678));
    const ok = await saveMutation(sql, { fromVersion: 1, stateText: JSON.stringify(next), log: logEntry(2, "first", at) });
    expect(ok).toBe(true);
    const row = await db.prisma.cluster.findUniqueOrThrow({ where: { id: clusterId } });
    // byte for byte: the text column keeps what was written
    expect(row.state).toBe(JSON.stringify(next));
    expect(row.version).toBe(2);
    expect(row.updatedAt.toISOString()).toBe(at.toISOString());
    const log = await db.prisma.commandLog.findUniqueOrThrow({ where: { clusterId_seq: { clusterId, seq: 2 } } });
    expect(log).toEqual(logEntry(2, "first", at));
  });

  it("a stale version writes nothing: neither the state nor a log row", async () => {
    const before = await db.prisma.cluster.findUniqueOrThrow({ where: { id: clusterId } });
    const seqs = await logSeqs();
    // read at version 1, but the row is at 2 now; the log seq it would take (2) is taken, and 3 is free
    expect(await saveMutation(sql, { fromVersion: 1, stateText: JSON.stringify({ lost: true }), log: logEntry(3, "lost race") })).toBe(false);
    expect(await db.prisma.cluster.findUniqueOrThrow({ where: { id: clusterId } })).toEqual(before);
    expect(await logSeqs()).toEqual(seqs);
  });

  it("inside an interactive transaction, with the row locked; a rolled-back transaction leaves nothing", async () => {
    await expect(
      sql.transaction(
        async (tx) => {
          const row = await loadOwnCluster(tx, clusterId, "alice", { lock: true });
          expect(row!.version).toBe(2);
          expect(await saveMutation(tx, { fromVersion: 2, stateText: JSON.stringify({ rolled: "back" }), log: logEntry(3, "rolled back") })).toBe(true);
          throw new Error("typed error after the write");
        },
        { maxWait: 5000, timeout: 5000 },
      ),
    ).rejects.toThrow("typed error after the write");
    expect((await db.prisma.cluster.findUniqueOrThrow({ where: { id: clusterId } })).version).toBe(2);
    expect(await logSeqs()).toEqual([2]);
  });

  it("a soft delete stamps deletedAt and hides the row from the next load", async () => {
    const at = new Date();
    expect(await saveMutation(sql, { fromVersion: 2, stateText: JSON.stringify(STATE), markDeleted: true, log: logEntry(3, "deleteCluster", at) })).toBe(true);
    const row = await db.prisma.cluster.findUniqueOrThrow({ where: { id: clusterId } });
    expect(row.deletedAt?.toISOString()).toBe(at.toISOString());
    expect(await loadOwnCluster(sql, clusterId, "alice")).toBeNull();
    // and a deleted row takes no more writes, whatever version the writer read
    expect(await saveMutation(sql, { fromVersion: 3, stateText: "{}", log: logEntry(4, "after delete") })).toBe(false);
    expect(await logSeqs()).toEqual([2, 3]);
  });
});

describe("row lock", () => {
  it("a second locking transaction waits for the first and then sees its write", async () => {
    const other = db.newClient(); // another pool on PostgreSQL; the same single connection on PGlite
    await db.prisma.user.createMany({ data: [{ id: "carol" }], skipDuplicates: true });
    const { id } = await db.prisma.cluster.create({ data: { ownerId: "carol", name: "lock", seed: 1, state: JSON.stringify({ n: 0 }), version: 1 } });
    const entry = (seq: number, input: string): CommandLog => ({ ...baseEntry(seq, input), clusterId: id, actorId: "carol" });
    const order: string[] = [];
    const holdA = deferred();
    const aHasLock = deferred();
    // a: the route the servers take (straight on pg on PostgreSQL); b: through Prisma on another client
    const a = db.sql.transaction(
      async (tx) => {
        const row = await loadOwnCluster(tx, id, "carol", { lock: true });
        aHasLock.resolve();
        await holdA.promise;
        expect(await saveMutation(tx, { fromVersion: row!.version, stateText: JSON.stringify({ n: 1 }), log: entry(row!.version + 1, "a") })).toBe(true);
        order.push("a committed");
      },
      { maxWait: 10_000, timeout: 10_000 },
    );
    await aHasLock.promise;
    const b = other.$transaction(
      async (tx) => {
        const row = await loadOwnCluster(prismaSql(tx), id, "carol", { lock: true });
        order.push(`b read v${row!.version} ${row!.state}`);
        expect(await saveMutation(prismaSql(tx), { fromVersion: row!.version, stateText: JSON.stringify({ n: JSON.parse(row!.state).n + 1 }), log: entry(row!.version + 1, "b") })).toBe(true);
      },
      { maxWait: 10_000, timeout: 10_000 },
    );
    await new Promise((r) => setTimeout(r, 150)); // b is now waiting (PostgreSQL: on the row; PGlite: on the connection)
    order.push("a released");
    holdA.resolve();
    await Promise.all([a, b]);
    expect(order).toEqual(["a released", "a committed", 'b read v2 {"n":1}']);
    const row = await db.prisma.cluster.findUniqueOrThrow({ where: { id } });
    expect(row.state).toBe(JSON.stringify({ n: 2 }));
    expect(row.version).toBe(3);
    const log = await db.prisma.commandLog.findMany({ where: { clusterId: id }, orderBy: { seq: "asc" } });
    expect(log.map((l) => [l.seq, l.input])).toEqual([
      [2, "a"],
      [3, "b"],
    ]);
  });
});

describe("contended mutations through the API", () => {
  it("8 app instances on two database clients, 48 concurrent labels on one cluster, one retry allowed: all applied once, contiguous seqs", async () => {
    const t = await createTestApp();
    try {
      const alice = await t.token({ sub: "alice", role: "student" });
      const c = await t.gql(alice, `mutation { createCluster(input: { name: "race", seed: 9 }) { ... on CreateClusterPayload { cluster { id version } } } }`);
      const { id, version: v0 } = c.data.createCluster.cluster;
      const second = t.db.newClient();
      // mutationAttempts 2: the optimistic try and ONE more. Without the row lock, racing writers that lost once could
      // lose again and give up with ConflictError.
      // half on the first client by the servers' route (straight on pg on PostgreSQL), half through Prisma on the second
      const apps = Array.from({ length: 8 }, (_, i) =>
        createApp({ prisma: i % 2 ? second : t.db.prisma, sql: i % 2 ? undefined : t.db.sql, jwtSecret: TEST_SECRET, logger: silentLogger, limits: { mutationAttempts: 2 } }),
      );
      const LABEL = `mutation($id: ID!, $k: String!) { label(input: { clusterId: $id, target: "node/node01", set: [{ key: $k, value: "x" }] }) {
        __typename ... on LabelPayload { cluster { version } } ... on Error { message } } }`;
      const rs = await Promise.all(Array.from({ length: 48 }, (_, i) => t.gql(alice, LABEL, { id, k: `race-${i}` }, apps[i % apps.length])));
      for (const r of rs) {
        expect(r.errors).toBeUndefined();
        expect(r.data.label.__typename).toBe("LabelPayload");
      }
      // every payload saw its own version: 48 distinct, exactly the next 48
      expect(rs.map((r) => r.data.label.cluster.version).sort((a: number, b: number) => a - b)).toEqual(Array.from({ length: 48 }, (_, i) => v0 + 1 + i));
      const log = await t.db.prisma.commandLog.findMany({ where: { clusterId: id }, orderBy: { seq: "asc" } });
      expect(log.map((l) => l.seq)).toEqual(Array.from({ length: 48 }, (_, i) => v0 + 1 + i));
      expect(new Set(log.map((l) => l.input)).size).toBe(48);
      const q = await t.gql(alice, `query($id: ID!) { cluster(id: $id) { version nodes { name labels } } }`, { id });
      expect(q.data.cluster.version).toBe(v0 + 48);
      const labels = q.data.cluster.nodes.find((n: { name: string }) => n.name === "node01").labels;
      for (let i = 0; i < 48; i++) expect(labels[`race-${i}`]).toBe("x");
    } finally {
      await t.close();
    }
  });
});
