// A clusterChanged subscription over the socket (api/socket.ts) stops when it ends — the client's `complete`, or the
// socket's close — and not only once the cluster next changes. It used to sleep on until a change woke it (graphql-ws
// ends a stream by calling return(), which a generator waiting inside runs only when it wakes), keeping its poll, its
// version watch and its change listener, and the socket's close hook waited for it.
import { createServer, type RequestListener, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { createTestApp, type TestApp } from "./helpers/db-app.ts";
import { serveGraphQLSocket } from "../api/node/socket.ts";
import type { VersionWatch } from "../api/version-watch.ts";

let t: TestApp;
let server: Server;
let base: string;
let alice: string;
let id: string;
let socketOn: { close(): void } | undefined;
/** The app's one version watch: a subscription over the socket holds one watch of its cluster while it runs. */
let watch: VersionWatch;

beforeAll(async () => {
  t = await createTestApp();
  server = createServer(t.app as unknown as RequestListener);
  socketOn = serveGraphQLSocket(server, t.app);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `127.0.0.1:${(server.address() as { port: number }).port}`;
  alice = await t.token({ sub: "alice", role: "student", course: "c1" });
  const r = await t.gql(alice, `mutation { createCluster(input: { name: "s", labSlug: "clusterip-services", seed: 3 }) { ... on CreateClusterPayload { cluster { id } } } }`);
  id = r.data.createCluster.cluster.id;
  const enveloped = t.app.getEnveloped({ request: new Request(`http://${base}/graphql`, { method: "POST" }), params: { query: "{ __typename }" } });
  watch = ((await enveloped.contextFactory()) as unknown as { versionWatch: VersionWatch }).versionWatch;
});
afterAll(async () => {
  socketOn?.close();
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  await t?.close();
});

const until = async (f: () => boolean, ms = 1500) => {
  for (const t0 = Date.now(); !f(); ) {
    if (Date.now() - t0 > ms) throw new Error(`timed out after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

/** A raw graphql-transport-ws client: the frames it got, and a send. */
async function connect() {
  const ws = new WebSocket(`ws://${base}/graphql`, "graphql-transport-ws");
  const frames: { id?: string; type: string; payload?: unknown }[] = [];
  ws.on("message", (m) => frames.push(JSON.parse(String(m))));
  await new Promise((r) => ws.once("open", r));
  const send = (m: object) => ws.send(JSON.stringify(m));
  send({ type: "connection_init", payload: { token: alice } });
  await until(() => frames.some((f) => f.type === "connection_ack"));
  return { ws, frames, send };
}

const SUB = `subscription($id: ID!) { clusterChanged(id: $id) { id version } }`;

describe("a clusterChanged subscription over the socket ends when its stream ends", () => {
  // The 1.5 s bound of `until` is under the stream's 2 s poll: a stream that waited for its next wake-up (a change or
  // the poll) would miss it.
  it("the client's complete: its watch is gone at once, and a later change reaches nobody", async () => {
    const { ws, frames, send } = await connect();
    const before = watch.size;
    send({ id: "1", type: "subscribe", payload: { query: SUB, variables: { id } } });
    await until(() => frames.some((f) => f.id === "1" && f.type === "next"));
    expect(watch.size).toBe(before + 1);
    send({ id: "1", type: "complete" });
    await until(() => watch.size === before);
    // the cluster changes after: nothing more on that id
    const r = await t.gql(alice, `mutation($id: ID!) { exec(input: { clusterId: $id, command: "kubectl label node node01 a=b" }) { ... on ExecPayload { exitCode } } }`, { id });
    expect(r.data.exec.exitCode).toBe(0);
    await new Promise((r) => setTimeout(r, 200));
    expect(frames.filter((f) => f.id === "1" && f.type === "next")).toHaveLength(1);
    ws.close();
  });

  it("the socket's close: every stream on it stops at once", async () => {
    const { ws, frames, send } = await connect();
    const before = watch.size;
    for (const n of ["a", "b", "c"]) send({ id: n, type: "subscribe", payload: { query: SUB, variables: { id } } });
    await until(() => ["a", "b", "c"].every((n) => frames.some((f) => f.id === n && f.type === "next")));
    expect(watch.size).toBe(before + 1); // one watch per cluster, counted once per stream
    ws.close();
    await until(() => watch.size === before);
  });
});
