// clusterChanged over SSE (yoga.fetch): the cluster now, then after each mutation; a stranger gets "not found".
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "./helpers/db-app.ts";
import { EngineCache } from "../api/engine-cache.ts";
import type { SqlClient } from "../api/db/sql.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t?.close());

async function* sse(res: Response): AsyncGenerator<any> {
  const reader = res.body!.getReader();
  const dec = new TextDecoder();
  let buf = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buf += dec.decode(value, { stream: true });
    let i: number;
    while ((i = buf.indexOf("\n\n")) >= 0) {
      const chunk = buf.slice(0, i);
      buf = buf.slice(i + 2);
      const data = chunk.split("\n").filter((l) => l.startsWith("data:")).map((l) => l.slice(5).trim()).join("\n");
      if (data) yield JSON.parse(data);
    }
  }
}

describe("clusterChanged", () => {
  it("streams the cluster after each change", async () => {
    const alice = await t.token({ sub: "alice", role: "student" });
    const c = await t.gql(alice, `mutation { createCluster(input: { name: "w", seed: 1 }) { ... on CreateClusterPayload { cluster { id } } } }`);
    const id = c.data.createCluster.cluster.id;
    const ac = new AbortController();
    const res = await t.app.fetch("http://x/graphql", {
      method: "POST",
      headers: { "content-type": "application/json", accept: "text/event-stream", authorization: `Bearer ${alice}` },
      body: JSON.stringify({ query: `subscription($id: ID!) { clusterChanged(id: $id) { version now } }`, variables: { id } }),
      signal: ac.signal,
    });
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const events = sse(res);
    expect((await events.next()).value.data.clusterChanged.version).toBe(1);
    await t.gql(alice, `mutation($id: ID!) { advanceClock(input: { clusterId: $id, seconds: 10 }) { __typename } }`, { id });
    const second = (await events.next()).value.data.clusterChanged;
    expect(second.version).toBe(2);
    ac.abort();

    const bob = await t.token({ sub: "bob", role: "student" });
    const other = await t.app.fetch("http://x/graphql", {
      method: "POST",
      headers: { "content-type": "application/json", accept: "text/event-stream", authorization: `Bearer ${bob}` },
      body: JSON.stringify({ query: `subscription($id: ID!) { clusterChanged(id: $id) { version } }`, variables: { id } }),
    });
    const first = (await sse(other).next()).value;
    expect(first.errors[0].message).toBe(`cluster "${id}" not found`);
  });

  it("answers relations of the cluster (its log, its open attempt) in each event as cluster(id) does", async () => {
    const carol = await t.token({ sub: "carol", role: "student" });
    const c = await t.gql(carol, `mutation { createCluster(input: { name: "rel", seed: 3, labSlug: "clusterip-services" }) { ... on CreateClusterPayload { cluster { id } } } }`);
    const id = c.data.createCluster.cluster.id;
    await t.gql(carol, `mutation($id: ID!) { checkProgress(input: { clusterId: $id }) { __typename } }`, { id });
    const selection = `{ version commandLog(last: 2) { totalCount edges { node { seq input } } } openAttempt { checks labSlug } }`;
    const ac = new AbortController();
    const res = await t.app.fetch("http://x/graphql", {
      method: "POST",
      headers: { "content-type": "application/json", accept: "text/event-stream", authorization: `Bearer ${carol}` },
      body: JSON.stringify({ query: `subscription($id: ID!) { clusterChanged(id: $id) ${selection} }`, variables: { id } }),
      signal: ac.signal,
    });
    const events = sse(res);
    const read = async () => (await t.gql(carol, `query($id: ID!) { cluster(id: $id) ${selection} }`, { id })).data.cluster;
    expect((await events.next()).value.data.clusterChanged).toEqual(await read());
    for (const command of ["kubectl get pods", "kubectl create deployment web --image=nginx"]) {
      await t.gql(carol, `mutation($id: ID!, $c: String!) { exec(input: { clusterId: $id, command: $c }) { __typename } }`, { id, c: command });
      const event = (await events.next()).value.data.clusterChanged;
      expect(event).toEqual(await read());
      expect(event.commandLog.edges.at(-1).node.input).toBe(command);
    }
    ac.abort();
  });

  it("gives the engine it read back to the hydrated-cluster cache after each event", async () => {
    const cache = new EngineCache(10);
    const app = t.restart({ engineCache: cache });
    const alice = await t.token({ sub: "alice", role: "student" });
    const c = await t.gql(alice, `mutation { createCluster(input: { name: "w2", seed: 2 }) { ... on CreateClusterPayload { cluster { id } } } }`, {}, app);
    const id = c.data.createCluster.cluster.id;
    const ac = new AbortController();
    const res = await app.fetch("http://x/graphql", {
      method: "POST",
      headers: { "content-type": "application/json", accept: "text/event-stream", authorization: `Bearer ${alice}` },
      body: JSON.stringify({ query: `subscription($id: ID!) { clusterChanged(id: $id) { version nodes { name } } }`, variables: { id } }),
      signal: ac.signal,
    });
    const events = sse(res);
    const advance = () => t.gql(alice, `mutation($id: ID!) { advanceClock(input: { clusterId: $id, seconds: 10 }) { __typename } }`, { id }, app);
    expect((await events.next()).value.data.clusterChanged.version).toBe(1);
    for (const v of [2, 3, 4]) {
      const misses = cache.stats.misses;
      await advance(); // starts from the engine the last event gave back
      expect(cache.stats.misses).toBe(misses);
      expect((await events.next()).value.data.clusterChanged).toMatchObject({ version: v, nodes: [{ name: "master01" }, { name: "node01" }, { name: "node02" }] });
    }
    ac.abort();
    expect(cache.take(id, "alice")?.row.version).toBe(4);
  });

  it("a command sent as soon as the previous one answered: the page's event waits for the engine, shows each version at most once, parses nothing", async () => {
    const cache = new EngineCache(10);
    const app = t.restart({ engineCache: cache });
    const alice = await t.token({ sub: "alice", role: "student" });
    const c = await t.gql(alice, `mutation { createCluster(input: { name: "w3", seed: 3 }) { ... on CreateClusterPayload { cluster { id } } } }`, {}, app);
    const id = c.data.createCluster.cluster.id;
    const ac = new AbortController();
    const res = await app.fetch("http://x/graphql", {
      method: "POST",
      headers: { "content-type": "application/json", accept: "text/event-stream", authorization: `Bearer ${alice}` },
      body: JSON.stringify({ query: `subscription($id: ID!) { clusterChanged(id: $id) { version now nodes { name } } }`, variables: { id } }),
      signal: ac.signal,
    });
    const events = sse(res);
    expect((await events.next()).value.data.clusterChanged.version).toBe(1);
    const misses = cache.stats.misses;
    // back to back, as a pasted block of lines: each next one is sent before the page's event for the last is resolved
    for (let i = 0; i < 5; i++) await t.gql(alice, `mutation($id: ID!) { advanceClock(input: { clusterId: $id, seconds: 10 }) { __typename } }`, { id }, app);
    const seen: { version: number; now: string }[] = [];
    while (seen.at(-1)?.version !== 6) seen.push((await events.next()).value.data.clusterChanged);
    ac.abort();
    const versions = seen.map((e) => e.version);
    expect(versions).toEqual([...new Set(versions)].sort((a, b) => a - b)); // increasing, none twice
    // each event shows the cluster at the version it names (its clock: 10 s per version)
    const t0 = Date.parse((await t.gql(alice, `query($id: ID!) { cluster(id: $id) { now } }`, { id }, app)).data.cluster.now) - 50_000;
    for (const e of seen) expect(Date.parse(e.now) - t0).toBe((e.version - 1) * 10_000);
    expect(cache.stats.misses).toBe(misses);
  });

  it("sees changes another server made with one read of every watched cluster per poll, and ends when one is deleted", async () => {
    // The subscribing app counts its reads of many clusters' versions (the shared poll). The changes are written to the
    // rows directly, as a second Node process or a Worker isolate would: no in-process event carries them.
    let polls = 0;
    const db = t.db.newConnection();
    const counted: SqlClient = { ...db.sql, query: (text, params) => (/^SELECT id, version FROM "Cluster"/.test(text) && polls++, db.sql.query(text, params)) };
    const watcher = t.restart({ prisma: db.prisma, sql: counted });
    const writer = t.restart();
    const alice = await t.token({ sub: "alice", role: "student" });
    const ids: string[] = [];
    for (const k of [1, 2, 3]) {
      const c = await t.gql(alice, `mutation { createCluster(input: { name: "poll-${k}", seed: ${k} }) { ... on CreateClusterPayload { cluster { id } } } }`, {}, writer);
      ids.push(c.data.createCluster.cluster.id);
    }
    const ac = new AbortController();
    const streams = await Promise.all(
      ids.map(async (id) => {
        const res = await watcher.fetch("http://x/graphql", {
          method: "POST",
          headers: { "content-type": "application/json", accept: "text/event-stream", authorization: `Bearer ${alice}` },
          body: JSON.stringify({ query: `subscription($id: ID!) { clusterChanged(id: $id) { version } }`, variables: { id } }),
          signal: ac.signal,
        });
        const events = sse(res);
        expect((await events.next()).value.data.clusterChanged.version).toBe(1);
        return events;
      }),
    );
    const pollsBefore = polls;
    for (const id of ids) await t.db.prisma.$executeRawUnsafe(`UPDATE "Cluster" SET version = version + 1 WHERE id = $1::uuid`, id);
    const seen = await Promise.all(streams.map(async (e) => (await e.next()).value.data.clusterChanged.version));
    expect(seen).toEqual([2, 2, 2]);
    // Three subscriptions polled together: far fewer reads than one per subscription per period.
    expect(polls - pollsBefore).toBeGreaterThan(0);
    expect(polls - pollsBefore).toBeLessThanOrEqual(2);

    await t.db.prisma.$executeRawUnsafe(`UPDATE "Cluster" SET "deletedAt" = now() WHERE id = $1::uuid`, ids[0]);
    expect((await streams[0].next()).done).toBe(true);
    ac.abort();
  }, 20_000);
});
