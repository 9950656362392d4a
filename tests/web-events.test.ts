// web/api/events.ts: clusterChanged over SSE as the page receives it (graphql-sse's client against the API), and
// its reconnection when the connection drops.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "./helpers/db-app.ts";
import { backoffMs, watchCluster } from "../web/api/events.ts";

let t: TestApp;
let token: string;
let id: string;
beforeAll(async () => {
  t = await createTestApp();
  token = await t.token({ sub: "ev", role: "student", course: "c1" });
  id = (await t.gql(token, `mutation { createCluster(input: { name: "ev" }) { ... on CreateClusterPayload { cluster { id } } } }`)).data.createCluster.cluster.id;
});
afterAll(() => t?.close());

const advance = () => t.gql(token, `mutation($id: ID!) { advanceClock(input: { clusterId: $id, seconds: 5 }) { __typename } }`, { id });

describe("watchCluster", () => {
  it("gives the cluster now and after each change", async () => {
    const seen: number[] = [];
    const w = watchCluster<{ version: number }>({
      token: () => token,
      clusterId: id,
      selection: "{ version }",
      endpoint: "http://kubelab.test/graphql",
      fetchFn: (async (i: RequestInfo | URL, init?: RequestInit) => t.app.fetch(String(i), init ?? {})) as typeof fetch,
      onData: (c) => c && seen.push(c.version),
    });
    await expect.poll(() => seen.length, { timeout: 10_000 }).toBe(1);
    expect(w.state.value).toBe("live");
    await advance();
    await expect.poll(() => seen.at(-1), { timeout: 10_000 }).toBe(seen[0] + 1);
    w.dispose();
  });

  it("reconnects after the connection fails, and says so meanwhile", async () => {
    let failures = 2;
    const states: string[] = [];
    const seen: number[] = [];
    const w = watchCluster<{ version: number }>({
      token: () => token,
      clusterId: id,
      selection: "{ version }",
      endpoint: "http://kubelab.test/graphql",
      fetchFn: (async (i: RequestInfo | URL, init?: RequestInit) => {
        states.push(w?.state.peek() ?? "connecting");
        if (failures-- > 0) throw new TypeError("Failed to fetch");
        return t.app.fetch(String(i), init ?? {});
      }) as typeof fetch,
      onData: (c) => c && seen.push(c.version),
    });
    await expect.poll(() => seen.length, { timeout: 15_000 }).toBe(1);
    expect(states).toContain("reconnecting");
    expect(w.state.value).toBe("live");
    w.dispose();
    expect([0, 1, 2, 5, 9].map(backoffMs)).toEqual([500, 1000, 2000, 10000, 10000]);
  });
});
