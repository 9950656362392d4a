// The rules of api/clusters.ts that need no database: how a new cluster's engine is made (seed, lab, unknown lab),
// what counts toward the objects-per-cluster limit, the per-cluster serializer, the record of contended clusters, and
// that a failed first-use write of a user is reported and tried again. (Written for the mutation run of clusters.ts:
// each rule here let a mutant through before.)
import { describe, expect, it } from "vitest";
import { ContendedClusters, countObjects, createSerializer, ensureUser, newEngine, requirePrincipal } from "../api/clusters.ts";
import { NotFoundError } from "../api/errors.ts";
import { catalog } from "../api/labs-catalog.ts";
import { EMPTY_CATALOG } from "../api/labs.ts";
import type { Context } from "../api/context.ts";
import { Cluster } from "../engine/index.ts";
import { deferred } from "./helpers/deferred.ts";

const withLabs = (labs: Context["labs"]) => ({ labs }) as unknown as Context;

describe("requirePrincipal", () => {
  it("no principal: the GraphQL error asking for a token, coded UNAUTHENTICATED; else the principal", () => {
    let err: unknown;
    try {
      requirePrincipal({ principal: null } as Context);
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ message: "Not authenticated: send 'Authorization: Bearer <token>'", extensions: { code: "UNAUTHENTICATED" } });
    const p = { sub: "u", role: "student" as const };
    expect(requirePrincipal({ principal: p } as unknown as Context)).toBe(p);
  });
});

describe("newEngine", () => {
  it("a plain cluster is the engine's cluster of that seed, and the seed matters", () => {
    const a = newEngine(withLabs(catalog), 5, null).toJSONText();
    expect(a).toBe(Cluster.create({ seed: 5 }).toJSONText());
    // two seeds give two clusters once something random is made (pod names)
    const run = (seed: number) => {
      const c = newEngine(withLabs(catalog), seed, null);
      c.exec("kubectl create deployment web --image=ikubernetes/demoapp:v1.0 --replicas=2");
      return c.list("Pod", { namespace: "default" }).map((p) => p.metadata.name);
    };
    expect(run(5)).toEqual(run(5));
    expect(run(5)).not.toEqual(run(6));
  });

  it("a lab cluster is the lab's start for that seed, not a plain cluster", () => {
    const slug = "readiness-endpoints";
    const lab = newEngine(withLabs(catalog), 7, slug).toJSONText();
    expect(lab).toBe(catalog.createCluster!(slug, 7).toJSONText());
    expect(lab).not.toBe(Cluster.create({ seed: 7 }).toJSONText());
    // a second one of the same lab and seed is the same start
    expect(newEngine(withLabs(catalog), 7, slug).toJSONText()).toBe(lab);
  });

  it("an unknown lab is a NotFoundError naming it; a catalog that builds no clusters starts labs from a plain cluster", () => {
    let err: unknown;
    try {
      newEngine(withLabs(catalog), 1, "no-such-lab");
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(NotFoundError);
    expect((err as Error).message).toBe('lab "no-such-lab" not found');
    const bare = { ...EMPTY_CATALOG, get: (s: string) => (s === "x" ? catalog.get("readiness-endpoints") : undefined) };
    expect(newEngine(withLabs(bare), 3, "x").toJSONText()).toBe(Cluster.create({ seed: 3 }).toJSONText());
  });
});

describe("countObjects", () => {
  it("counts the Pods, Services, Deployments, ReplicaSets and Endpoints of every namespace", () => {
    const c = catalog.createCluster!("readiness-endpoints", 1);
    c.exec("kubectl create deployment web --image=ikubernetes/demoapp:v1.0 --replicas=3");
    const kinds = ["Pod", "Service", "Deployment", "ReplicaSet", "Endpoints"] as const;
    const sum = kinds.reduce((n, k) => n + c.count(k), 0);
    expect(c.count("Pod")).toBeGreaterThan(3);
    expect(countObjects(c)).toBe(sum);
  });
});

describe("createSerializer", () => {
  it("runs one key's calls one at a time in order, also a call made after the queue went idle and busy again", async () => {
    const s = createSerializer();
    const log: string[] = [];
    const step = (name: string, gate?: Promise<void>) => async () => {
      log.push(`${name} start`);
      await gate;
      log.push(`${name} end`);
      return name;
    };
    // a first call runs and finishes alone
    expect(await s("k", step("a"))).toBe("a");
    // then b holds the key; c queues behind it (a's clean-up must not forget b's place in the queue)
    const gateB = deferred();
    const b = s("k", step("b", gateB.promise));
    await new Promise((r) => setTimeout(r, 5));
    const c = s("k", step("c"));
    await new Promise((r) => setTimeout(r, 5));
    expect(log).toEqual(["a start", "a end", "b start"]);
    gateB.resolve();
    expect(await Promise.all([b, c])).toEqual(["b", "c"]);
    expect(log).toEqual(["a start", "a end", "b start", "b end", "c start", "c end"]);
  });

  it("a failed call does not stop the next; other keys do not wait", async () => {
    const s = createSerializer();
    const gate = deferred();
    const held = s("k", async () => {
      await gate.promise;
      throw new Error("boom");
    });
    expect(await s("other", async () => "free")).toBe("free");
    const next = s("k", async () => "next");
    gate.resolve();
    await expect(held).rejects.toThrow("boom");
    expect(await next).toBe("next");
  });
});

describe("ContendedClusters", () => {
  it("a cluster is contended from its mark until exactly `ms` later, then forgotten", () => {
    let t = 1_000;
    const c = new ContendedClusters(100, 10, () => t);
    expect(c.has("a")).toBe(false);
    c.mark("a");
    expect(c.has("a")).toBe(true);
    expect(c.has("b")).toBe(false);
    t += 99;
    expect(c.has("a")).toBe(true);
    t += 1;
    expect(c.has("a")).toBe(false);
    expect(c.size).toBe(0);
    // a mark again starts a new period
    c.mark("a");
    t += 50;
    expect(c.has("a")).toBe(true);
  });

  it("defaults: 10 s on the wall clock", () => {
    const c = new ContendedClusters();
    c.mark("x");
    expect(c.has("x")).toBe(true);
    expect([c.ms, c.max]).toEqual([10_000, 10_000]);
  });

  it("remembers at most `max`: when full the expired ones (expiring now included) are swept first, the live ones kept", () => {
    let t = 0;
    const c = new ContendedClusters(100, 2, () => t);
    c.mark("a");
    t = 50;
    c.mark("b");
    // full, "a" expired at 100: swept, and "c" fits
    t = 120;
    c.mark("c");
    expect(c.size).toBe(2);
    expect([c.has("b"), c.has("c")]).toEqual([true, true]);
    // full of live entries: a new one is not remembered, the others stay
    c.mark("d");
    expect(c.has("d")).toBe(false);
    expect([c.has("b"), c.has("c")]).toEqual([true, true]);
    // at the very instant "b" expires (150) the record is full: "b" is swept and "e" fits
    t = 150;
    c.mark("e");
    expect(c.has("e")).toBe(true);
    expect(c.has("c")).toBe(true);
    expect(c.size).toBe(2);
  });

  it("an expired entry stays until a sweep or a look-up (not full: marks do not sweep)", () => {
    let t = 0;
    const c = new ContendedClusters(100, 3, () => t);
    c.mark("a");
    t = 200;
    c.mark("b");
    expect(c.size).toBe(2);
    expect(c.has("a")).toBe(false);
    expect(c.size).toBe(1);
  });
});

describe("ensureUser", () => {
  it("a failed first-use write is the request's error, and the next call writes again", async () => {
    const calls: string[] = [];
    let fail = true;
    const createMany = (what: string) => async () => {
      calls.push(what);
      if (fail && what === "user") throw new Error("database down");
      return { count: 1 };
    };
    const ctx = {
      principal: { sub: "units-ensure", role: "student", course: "units-course" },
      prisma: {
        user: { createMany: createMany("user") },
        course: { createMany: createMany("course") },
        enrollment: { createMany: createMany("enrollment"), updateMany: createMany("enrollment role") },
      },
    } as unknown as Context;
    await expect(ensureUser(ctx)).rejects.toThrow("database down");
    expect(ctx.userEnsured).toBeUndefined();
    fail = false;
    await ensureUser(ctx);
    expect(calls).toEqual(["user", "user", "course", "enrollment", "enrollment role"]);
    // ensured now: no more writes for this user, course and role in this process
    await ensureUser({ ...ctx, userEnsured: undefined } as Context);
    expect(calls).toHaveLength(5);
  });
});
