// clusterChanged over real HTTP on Node, where after the first event a stream is served by the app's shared loop
// (api/subscription-loop.ts) rather than by yoga's per-request machinery: events arrive, the bytes on the wire are
// yoga's (the same run with KUBELAB_SSE_LOOP=0 serves every stream through yoga; errors and a deleted cluster's end
// included), a client that goes away frees its entry, a change found by the poll is read with the caller's own rule
// (a caller who can no longer read the cluster gets what yoga's path gives).
import { createServer, request, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "./helpers/db-app.ts";
import { loopStreams } from "../api/subscription-loop.ts";

let t: TestApp;
let server: Server;
let port: number;
beforeAll(async () => {
  t = await createTestApp();
  server = createServer(t.app);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  await t?.close();
});

interface Stream {
  status: number;
  headers: IncomingHttpHeaders;
  /** Everything received so far. */
  text(): string;
  /** The events' data so far, parsed (`null` for `event: complete`'s empty data). */
  events(): any[];
  ended: Promise<void>;
  close(): void;
}

/** A subscription over HTTP, as graphql-sse's client sends it (POST, Accept: text/event-stream). */
function subscribe(token: string, query: string, variables: Record<string, unknown>): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ query, variables });
    const req = request(
      { host: "127.0.0.1", port, path: "/graphql", method: "POST", headers: { "content-type": "application/json", accept: "text/event-stream", authorization: `Bearer ${token}`, "content-length": Buffer.byteLength(body) } },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (d: string) => (text += d));
        const ended = new Promise<void>((r) => res.on("end", r).on("close", r));
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          text: () => text,
          events: () =>
            text
              .split("\n\n")
              .filter((m) => m.startsWith("event:"))
              .map((m) => m.split("\n").find((l) => l.startsWith("data:"))!.slice(5).trim())
              .map((d) => (d ? JSON.parse(d) : null)),
          ended,
          close: () => req.destroy(),
        });
      },
    );
    req.on("error", (e) => (String(e).includes("socket hang up") ? undefined : reject(e)));
    req.end(body);
  });
}

async function until(what: string, ok: () => boolean, ms = 8000, seen?: () => string): Promise<void> {
  const t0 = Date.now();
  while (!ok()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}${seen ? `; received: ${JSON.stringify(seen())}` : ""}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const advance = (token: string, id: string) => t.gql(token, `mutation($id: ID!) { advanceClock(input: { clusterId: $id, seconds: 10 }) { __typename } }`, { id });

async function newCluster(token: string, name: string): Promise<string> {
  const c = await t.gql(token, `mutation { createCluster(input: { name: "${name}", seed: 7 }) { ... on CreateClusterPayload { cluster { id } } } }`);
  return c.data.createCluster.cluster.id;
}

/** With the loop (default) or without (every stream yoga's, as before the loop existed). */
async function withLoop<T>(on: boolean, fn: () => Promise<T>): Promise<T> {
  const saved = process.env.KUBELAB_SSE_LOOP;
  if (!on) process.env.KUBELAB_SSE_LOOP = "0";
  try {
    return await fn();
  } finally {
    if (saved === undefined) delete process.env.KUBELAB_SSE_LOOP;
    else process.env.KUBELAB_SSE_LOOP = saved;
  }
}

// (with a field that fails on every event: an error's bytes — message, locations, path, extensions — are compared too)
const SELECTION = `subscription Watch($id: ID!) { clusterChanged(id: $id) { version nodes { name ready } bad: deployments(selector: "a in (") { name } } }`;
const PLAIN = `subscription Watch($id: ID!) { clusterChanged(id: $id) { version nodes { name ready } } }`;

describe("clusterChanged served by the shared loop (Node)", () => {
  it("delivers every change after the first event, from the loop", async () => {
    const alice = await t.token({ sub: "alice", role: "student" });
    const id = await newCluster(alice, "loop-1");
    const before = loopStreams();
    const s = await subscribe(alice, `subscription($id: ID!) { clusterChanged(id: $id) { id version } }`, { id });
    expect(s.headers["content-type"]).toContain("text/event-stream");
    await until("the first event", () => s.events().length === 1, 8000, s.text);
    await until("the handover", () => loopStreams() === before + 1);
    for (const v of [2, 3, 4]) {
      await advance(alice, id);
      await until(`version ${v}`, () => s.events().at(-1)?.data?.clusterChanged?.version === v);
    }
    expect(s.events()).toEqual([1, 2, 3, 4].map((version) => ({ data: { clusterChanged: { id, version } } })));
    s.close();
    await until("the entry freed", () => loopStreams() === before);
  });

  it("writes the bytes yoga writes: the same changes with the loop and without it", async () => {
    const alice = await t.token({ sub: "alice", role: "student" });
    const run = async (on: boolean) =>
      withLoop(on, async () => {
        const id = await newCluster(alice, `bytes-${on}`);
        const open = loopStreams();
        const s = await subscribe(alice, SELECTION, { id });
        await until("the first event", () => s.events().length === 1, 8000, s.text);
        await new Promise((r) => setTimeout(r, 100));
        expect(loopStreams() - open).toBe(on ? 1 : 0); // who serves it from here
        for (let v = 2; v <= 3; v++) {
          await advance(alice, id);
          await until(`version ${v}`, () => s.events().length === v);
        }
        await t.gql(alice, `mutation($id: ID!) { deleteCluster(input: { clusterId: $id }) { __typename } }`, { id });
        await s.ended;
        const { date: _d, "x-request-id": _r, ...headers } = s.headers;
        // the pings (":\n\n") come on a timer: their number depends on timing, not on who writes
        return { status: s.status, headers, body: s.text().split("\n\n").filter((m) => m !== ":").join("\n\n").split(id).join("<id>") };
      });
    const yoga = await run(false);
    const loop = await run(true);
    expect(yoga.body).toMatch(/^event: next\ndata: \{"errors":\[\{"message":.*"path":\["clusterChanged","bad"\].*"data":\{"clusterChanged":\{"version":1,/);
    expect(yoga.body.endsWith("event: complete\ndata:\n\n")).toBe(true);
    expect(loop).toEqual(yoga);
  });

  it("a client that goes away frees its entry, and later changes write nothing", async () => {
    const alice = await t.token({ sub: "alice", role: "student" });
    const id = await newCluster(alice, "loop-gone");
    const before = loopStreams();
    const streams = await Promise.all([1, 2, 3].map(() => subscribe(alice, `subscription($id: ID!) { clusterChanged(id: $id) { version } }`, { id })));
    await until("three handovers", () => loopStreams() === before + 3);
    streams[0].close();
    await until("one freed", () => loopStreams() === before + 2);
    await advance(alice, id);
    await until("the others' event", () => streams.slice(1).every((s) => s.events().length === 2));
    for (const s of streams.slice(1)) s.close();
    await until("all freed", () => loopStreams() === before);
    expect((await advance(alice, id)).data.advanceClock.__typename).toBe("AdvanceClockPayload");
  });

  it("a change made elsewhere is read with the caller's rule: shown while they may read the cluster, no cluster once they may not (as yoga's path)", async () => {
    // Who may read a cluster does not change while it exists through the API; here the row is moved to another owner
    // directly (as an administrator's SQL would), and another process's change is found by the poll.
    const alice = await t.token({ sub: "alice", role: "student" });
    const bob = await t.token({ sub: "bob", role: "student" });
    await t.gql(bob, `{ me { id } }`);
    const run = async (on: boolean) =>
      withLoop(on, async () => {
        const id = await newCluster(alice, `moved-${on}`);
        const s = await subscribe(alice, PLAIN, { id });
        await until("the first event", () => s.events().length === 1, 8000, s.text);
        // first a change of another process while alice may still read it: the poll finds it, her read rule passes
        await t.db.prisma.$executeRawUnsafe(`UPDATE "Cluster" SET version = version + 1 WHERE id = $1::uuid`, id);
        await until("the poll's first event", () => s.events().length === 2, 10_000);
        await t.db.prisma.$executeRawUnsafe(`UPDATE "Cluster" SET "ownerId" = 'bob', version = version + 1 WHERE id = $1::uuid`, id);
        await until("the poll's second event", () => s.events().length === 3, 10_000);
        const seen = s.events().slice(1);
        s.close();
        return seen;
      });
    const yoga = await run(false);
    const loop = await run(true);
    expect(yoga[0].data.clusterChanged).toMatchObject({ version: 2, nodes: [{ name: "master01" }, { name: "node01" }, { name: "node02" }] });
    expect(yoga[1]).toEqual({ data: { clusterChanged: null } });
    expect(loop).toEqual(yoga);
  }, 30_000);
});
