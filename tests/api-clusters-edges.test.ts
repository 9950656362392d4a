// More rules of api/clusters.ts that need no database (the second mutation run of clusters.ts left them unnamed):
// lab starts are kept per lab and seed, one keeper per catalog; a deleted row read twice in one request is parsed
// once; the back-off between attempts under the row lock.
import { describe, expect, it, vi } from "vitest";
import { backoffMs, engineOf, freshStatesOf, newEngine, type ClusterRow } from "../api/clusters.ts";
import { EngineCache } from "../api/engine-cache.ts";
import { catalog } from "../api/labs-catalog.ts";
import type { Context } from "../api/context.ts";
import { Cluster } from "../engine/index.ts";

describe("lab starts", () => {
  it("one keeper per catalog, and each lab and seed its own start", () => {
    expect(freshStatesOf(catalog)).toBe(freshStatesOf(catalog));
    expect(freshStatesOf({})).not.toBe(freshStatesOf(catalog));
    const ctx = { labs: catalog } as unknown as Context;
    const starts = [
      ["readiness-endpoints", 21],
      ["readiness-endpoints", 22],
      ["label-selectors", 21],
    ] as const;
    // each asked twice (built, then served from the keeper): always the lab's own start for that seed
    for (let round = 0; round < 2; round++)
      for (const [slug, seed] of starts) expect(newEngine(ctx, seed, slug).toJSONText(), `${slug}@${seed}`).toBe(catalog.createCluster!(slug, seed).toJSONText());
  });
});

describe("engineOf of a deleted row", () => {
  it("a second read of the same row in the request gets the engine of the first, parsed once", () => {
    const state = Cluster.create({ seed: 9 }).toJSONText();
    const row = { id: "6d7c1d3e-0000-4000-8000-000000000009", ownerId: "o", version: 3, state, deletedAt: new Date() } as unknown as ClusterRow;
    const ctx = { engines: new WeakMap(), leases: [], engineCache: new EngineCache(10) } as unknown as Context;
    const parse = vi.spyOn(Cluster, "fromJSON");
    const e = engineOf(ctx, row);
    expect(engineOf(ctx, row)).toBe(e);
    expect(parse).toHaveBeenCalledTimes(1);
    expect(ctx.leases).toEqual([]);
    parse.mockRestore();
  });
});

describe("backoffMs", () => {
  it("2^attempt ms, at most 128, times 0.5 + random", () => {
    expect(backoffMs(1, 0)).toBe(1);
    expect(backoffMs(2, 0.25)).toBe(3);
    expect(backoffMs(3, 0.5)).toBe(8);
    expect(backoffMs(7, 0)).toBe(64);
    expect(backoffMs(10, 0)).toBe(64);
    expect(backoffMs(10, 0.999)).toBeCloseTo(191.872);
  });
});
