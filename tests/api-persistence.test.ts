// The mutation path's persistence (api/db/cluster-store.ts) on whichever database the environment picks
// (DATABASE_URL -> PostgreSQL, unset -> PGlite): the state travels as JSON text both ways, the state + version +
// log entry are written by one statement that writes nothing at all when the version moved on, and a soft delete
// hides the row from the next load.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "./helpers/db.ts";
import { loadOwnCluster, saveMutation } from "../api/db/cluster-store.ts";
import type { CommandLog } from "../api/generated/prisma/client.ts";

let db: TestDatabase;
let clusterId: string;
const STATE = { now: 1638720000, objects: { pods: [{ name: "web-1", labels: { app: "web", "x/y": "é ünïcode" } }] }, list: [1, 2.5, null, true, "s"] };

beforeAll(async () => {
  db = await createTestDatabase();
  await db.prisma.user.create({ data: { id: "alice" } });
  await db.prisma.user.create({ data: { id: "bob" } });
  const row = await db.prisma.cluster.create({ data: { ownerId: "alice", name: "p", seed: 3, state: STATE, version: 1 } });
  clusterId = row.id;
});
afterAll(() => db?.close());

function logEntry(seq: number, input: string, at = new Date()): CommandLog {
  return { clusterId, seq, at, virtualTime: "2021-12-05T16:00:00Z", actorId: "alice", operation: "label", host: null, input, stdin: null, stdout: "ok\n", stderr: "", exitCode: 0 };
}

async function logSeqs(): Promise<number[]> {
  return (await db.prisma.commandLog.findMany({ where: { clusterId }, select: { seq: true }, orderBy: { seq: "asc" } })).map((l) => l.seq);
}

describe("cluster store", () => {
  it("loads the owner's row with the state as JSON text, and nobody else's", async () => {
    const row = await loadOwnCluster(db.prisma, clusterId, "alice");
    expect(row).not.toBeNull();
    expect(typeof row!.state).toBe("string");
    expect(JSON.parse(row!.state)).toEqual(STATE);
    expect(row).toMatchObject({ id: clusterId, ownerId: "alice", name: "p", seed: 3, version: 1, deletedAt: null, courseId: null, labSlug: null });
    expect(row!.createdAt).toBeInstanceOf(Date);
    expect(await loadOwnCluster(db.prisma, clusterId, "bob")).toBeNull();
    expect(await loadOwnCluster(db.prisma, "00000000-0000-4000-8000-000000000000", "alice")).toBeNull();
  });

  it("writes state, version, updatedAt and the log entry in one statement", async () => {
    const next = { ...STATE, now: STATE.now + 60, extra: "a".repeat(20_000) };
    const at = new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678));
    const ok = await saveMutation(db.prisma, { fromVersion: 1, stateText: JSON.stringify(next), log: logEntry(2, "first", at) });
    expect(ok).toBe(true);
    const row = await db.prisma.cluster.findUniqueOrThrow({ where: { id: clusterId } });
    expect(row.state).toEqual(next);
    expect(row.version).toBe(2);
    expect(row.updatedAt.toISOString()).toBe(at.toISOString());
    const log = await db.prisma.commandLog.findUniqueOrThrow({ where: { clusterId_seq: { clusterId, seq: 2 } } });
    expect(log).toEqual(logEntry(2, "first", at));
  });

  it("a stale version writes nothing: neither the state nor a log row", async () => {
    const before = await db.prisma.cluster.findUniqueOrThrow({ where: { id: clusterId } });
    const seqs = await logSeqs();
    // read at version 1, but the row is at 2 now; the log seq it would take (2) is taken, and 3 is free
    expect(await saveMutation(db.prisma, { fromVersion: 1, stateText: JSON.stringify({ lost: true }), log: logEntry(3, "lost race") })).toBe(false);
    expect(await db.prisma.cluster.findUniqueOrThrow({ where: { id: clusterId } })).toEqual(before);
    expect(await logSeqs()).toEqual(seqs);
  });

  it("inside an interactive transaction, with the row locked; a rolled-back transaction leaves nothing", async () => {
    await expect(
      db.prisma.$transaction(async (tx) => {
        const row = await loadOwnCluster(tx, clusterId, "alice", { lock: true });
        expect(row!.version).toBe(2);
        expect(await saveMutation(tx, { fromVersion: 2, stateText: JSON.stringify({ rolled: "back" }), log: logEntry(3, "rolled back") })).toBe(true);
        throw new Error("typed error after the write");
      }),
    ).rejects.toThrow("typed error after the write");
    expect((await db.prisma.cluster.findUniqueOrThrow({ where: { id: clusterId } })).version).toBe(2);
    expect(await logSeqs()).toEqual([2]);
  });

  it("a soft delete stamps deletedAt and hides the row from the next load", async () => {
    const at = new Date();
    expect(await saveMutation(db.prisma, { fromVersion: 2, stateText: JSON.stringify(STATE), markDeleted: true, log: logEntry(3, "deleteCluster", at) })).toBe(true);
    const row = await db.prisma.cluster.findUniqueOrThrow({ where: { id: clusterId } });
    expect(row.deletedAt?.toISOString()).toBe(at.toISOString());
    expect(await loadOwnCluster(db.prisma, clusterId, "alice")).toBeNull();
    // and a deleted row takes no more writes, whatever version the writer read
    expect(await saveMutation(db.prisma, { fromVersion: 3, stateText: "{}", log: logEntry(4, "after delete") })).toBe(false);
    expect(await logSeqs()).toEqual([2, 3]);
  });
});
