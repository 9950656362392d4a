// api/request-caches.ts: what the schema's plugins keep per request goes when the operation ends — after a query's or
// a mutation's answer, after each event of a subscription — and is made again (not reused, not lost) by a later
// operation on the same context.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { RequestCache } from "@pothos/plugin-scope-auth";
import { builder } from "../api/builder.ts";
import { forgetRequestCaches } from "../api/request-caches.ts";
import { createTestApp, type TestApp } from "./helpers/db-app.ts";

describe("forgetRequestCaches", () => {
  it("drops the context's scope-auth cache: the next read of it starts a new one, another context's stays", () => {
    const a = { principal: { sub: "u1", role: "student" } };
    const b = { principal: { sub: "u2", role: "student" } };
    const b1 = RequestCache.fromContext(b, builder as never);
    const first = RequestCache.fromContext(a, builder as never);
    expect(RequestCache.fromContext(a, builder as never)).toBe(first); // one per context while it lasts
    forgetRequestCaches(a);
    const again = RequestCache.fromContext(a, builder as never);
    expect(again).not.toBe(first);
    expect(RequestCache.fromContext(b, builder as never)).toBe(b1);
  });
});

describe("the app drops each operation's scope-auth cache when it is done", () => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await createTestApp();
    token = await t.token({ sub: "rc-student", role: "student" });
  });
  afterAll(() => t?.close());

  /** The contexts cleared while `run` ran (the spy lets each clear happen). */
  async function cleared(run: () => Promise<unknown>): Promise<{ principal?: { sub: string } }[]> {
    const spy = vi.spyOn(RequestCache, "clearForContext");
    try {
      await run();
      return spy.mock.calls.map((c) => c[0] as { principal?: { sub: string } });
    } finally {
      spy.mockRestore();
    }
  }

  it("after a query's answer and after a mutation's, the context of that request", async () => {
    const q = await cleared(() => t.gql(token, "{ me { id } }"));
    expect(q.map((c) => c.principal?.sub)).toEqual(["rc-student"]);
    let id = "";
    const m = await cleared(async () => {
      const r = await t.gql(token, `mutation { createCluster(input: { name: "rc", labSlug: "clusterip-services", seed: 3 }) { ... on CreateClusterPayload { cluster { id } } } }`);
      id = r.data.createCluster.cluster.id;
    });
    expect(id).not.toBe("");
    expect(m.map((c) => c.principal?.sub)).toEqual(["rc-student"]);
    // and the next operation still passes its auth checks (the scopes are worked out again)
    expect((await t.gql(token, `query($id: ID!) { cluster(id: $id) { id } }`, { id })).data.cluster.id).toBe(id);
  });

  it("after a subscription's event (yoga's stream)", async () => {
    const r = await t.gql(token, `mutation { createCluster(input: { name: "rc-sub", labSlug: "clusterip-services", seed: 4 }) { ... on CreateClusterPayload { cluster { id } } } }`);
    const id = r.data.createCluster.cluster.id as string;
    const calls = await cleared(async () => {
      const ctl = new AbortController();
      const res = await t.app.fetch("http://kubelab.test/graphql", {
        method: "POST",
        signal: ctl.signal,
        headers: { "content-type": "application/json", accept: "text/event-stream", authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: `subscription($id: ID!) { clusterChanged(id: $id) { version } }`, variables: { id } }),
      });
      const reader = res.body!.getReader();
      let text = "";
      while (!text.includes("event: next")) text += new TextDecoder().decode((await reader.read()).value);
      ctl.abort();
      await reader.cancel().catch(() => {});
    });
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.every((c) => c.principal?.sub === "rc-student")).toBe(true);
  });
});
