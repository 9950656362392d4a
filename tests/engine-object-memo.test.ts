// The per-object memos every save consults (engine/object-memo.ts) live on the objects themselves, not in WeakMaps
// (whose entries V8 marks in its full GC's pause): they must stay invisible to everything that reads the state as
// data, copies carry none, and an object that cannot take a property still gets its entries.
import { describe, expect, it } from "vitest";
import { ObjectMemo } from "../engine/object-memo.ts";
import { Cluster } from "../engine/index.ts";
import { labCatalog } from "../labs/catalog.ts";

describe("ObjectMemo", () => {
  it("answers what was set for the object, and nothing for another object or a copy", () => {
    const m = new ObjectMemo<{ n: number }>("t");
    const a = { x: 1 };
    const b = { x: 1 };
    expect(m.get(a)).toBeUndefined();
    m.set(a, { n: 1 });
    expect(m.get(a)).toEqual({ n: 1 });
    expect(m.get(b)).toBeUndefined();
    expect(m.get({ ...a })).toBeUndefined();
    expect(m.get(Object.assign({}, a))).toBeUndefined();
    m.set(a, { n: 2 });
    expect(m.get(a)).toEqual({ n: 2 });
  });

  it("is invisible to keys, for…in, JSON, equality and copies", () => {
    const m = new ObjectMemo<string>("t");
    const a = { x: 1, y: { z: [1, 2] } };
    const before = JSON.stringify(a);
    m.set(a, "memo");
    expect(Object.keys(a)).toEqual(["x", "y"]);
    const seen: string[] = [];
    for (const k in a) seen.push(k);
    expect(seen).toEqual(["x", "y"]);
    expect(JSON.stringify(a)).toBe(before);
    expect(a).toEqual({ x: 1, y: { z: [1, 2] } });
    expect({ x: 1, y: { z: [1, 2] } }).toStrictEqual(a);
    expect(Object.getOwnPropertySymbols({ ...a })).toEqual([]);
  });

  it("keeps a frozen object's entries beside it, also when it was frozen after its first entry", () => {
    const m = new ObjectMemo<number>("t");
    const f = Object.freeze({ x: 1 });
    m.set(f, 1);
    expect(m.get(f)).toBe(1);
    m.set(f, 2);
    expect(m.get(f)).toBe(2);
    const later = { x: 2 };
    m.set(later, 1);
    Object.freeze(later);
    m.set(later, 3);
    expect(m.get(later)).toBe(3);
    // the other objects are unaffected
    const plain = { x: 3 };
    m.set(plain, 4);
    expect(m.get(plain)).toBe(4);
  });

  it("a lab cluster saved with the memos on its objects serialises, restores and compares as before", () => {
    const c = labCatalog.createCluster("clusterip-services", 5000);
    const first = c.toJSONText();
    // every object the memos keyed now carries them: the second save is answered from them, byte for byte
    expect(c.toJSONText()).toBe(first);
    const back = Cluster.fromJSON(first);
    expect(back.toJSONText()).toBe(first);
    expect(back.state).toEqual(Cluster.fromJSON(first).state);
    for (const table of ["pods", "services", "deployments", "replicasets", "nodes"] as const)
      for (const v of Object.values(c.state[table] as Record<string, object>)) expect(JSON.parse(JSON.stringify(v))).toEqual(v);
  });
});
