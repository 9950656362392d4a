// The subscriptions' shared poll (api/version-watch.ts): one read answers every watched cluster for half a poll
// period; a cluster watched after a read, a failed read and an unwatched cluster are each handled on their own.
import { describe, expect, it } from "vitest";
import { VersionWatch, type ReadVersions } from "../api/version-watch.ts";

function reader(stored: Map<string, number>) {
  const calls: string[][] = [];
  const read: ReadVersions = async (ids) => {
    calls.push([...ids].sort());
    return new Map(ids.filter((id) => stored.has(id)).map((id) => [id, stored.get(id)!]));
  };
  return { calls, read };
}

describe("VersionWatch", () => {
  it("reads every watched cluster in one statement and answers the others from it while it is fresh", async () => {
    let now = 0;
    const w = new VersionWatch(1000, () => now);
    const stored = new Map([["a", 3], ["b", 7], ["c", 1]]);
    const r = reader(stored);
    w.watch("a");
    w.watch("b");
    w.watch("c");
    expect(await w.current("a", r.read)).toBe(3);
    now = 999;
    expect(await w.current("b", r.read)).toBe(7);
    expect(await w.current("c", r.read)).toBe(1);
    expect(r.calls).toEqual([["a", "b", "c"]]);
    stored.set("b", 8);
    now = 1000; // the read is a half period old: read again
    expect(await w.current("b", r.read)).toBe(8);
    expect(r.calls).toHaveLength(2);
  });

  it("shares a read that is still under way", async () => {
    const w = new VersionWatch(1000, () => 0);
    let release!: () => void;
    let calls = 0;
    const read: ReadVersions = async (ids) => {
      calls++;
      await new Promise<void>((r) => (release = r));
      return new Map(ids.map((id) => [id, 5]));
    };
    w.watch("a");
    w.watch("b");
    const both = Promise.all([w.current("a", read), w.current("b", read)]);
    release();
    expect(await both).toEqual([5, 5]);
    expect(calls).toBe(1);
  });

  it("reads again for a cluster the last read did not include, and says null for one that is gone", async () => {
    const w = new VersionWatch(1000, () => 0);
    const stored = new Map([["a", 2]]);
    const r = reader(stored);
    w.watch("a");
    expect(await w.current("a", r.read)).toBe(2);
    w.watch("late");
    expect(await w.current("late", r.read)).toBeNull(); // not stored: deleted
    expect(r.calls).toEqual([["a"], ["a", "late"]]);
  });

  it("does not keep a failed read", async () => {
    const w = new VersionWatch(1000, () => 0);
    w.watch("a");
    let fail = true;
    const read: ReadVersions = async (ids) => {
      if (fail) throw new Error("connection lost");
      return new Map(ids.map((id) => [id, 1]));
    };
    await expect(w.current("a", read)).rejects.toThrow("connection lost");
    fail = false;
    expect(await w.current("a", read)).toBe(1);
  });

  it("stops reading a cluster once its last subscription has gone", async () => {
    let now = 0;
    const w = new VersionWatch(1000, () => now);
    const r = reader(new Map([["a", 1], ["b", 1]]));
    const stopA1 = w.watch("a");
    const stopA2 = w.watch("a");
    w.watch("b");
    stopA1();
    stopA1(); // twice is once
    await w.current("b", r.read);
    stopA2();
    now = 5000;
    await w.current("b", r.read);
    expect(r.calls).toEqual([["a", "b"], ["b"]]);
    expect(w.size).toBe(1);
  });
});
