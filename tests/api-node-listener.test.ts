// The Node listener's short way in for plain JSON POSTs (api/node/graphql-listener.ts) against the adapter's whole
// way (yoga's own Node listener), over real HTTP: for a table of requests — answers, GraphQL errors, bad JSON, a body
// over the limit, no or a bad token, a batch, GET, other content types and Accept headers, pipelined requests on one
// connection — the raw bytes of each answer (status line, headers in order, body) are the same from both; the
// request id is sent so it is not random, and the Date header's value is the one thing compared apart.
import { createServer, type RequestListener, type Server } from "node:http";
import { connect, type AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "./helpers/db-app.ts";
import { nodeListener, type NodeListener } from "../api/node/graphql-listener.ts";
import { DEFAULT_LIMITS } from "../api/limits.ts";

let t: TestApp;
const servers: Server[] = [];
let nativePort: number;
let adapterPort: number;
let listener: NodeListener;
let alice: string;
let clusterId: string;

async function listen(handler: RequestListener): Promise<number> {
  const s = createServer(handler);
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  return (s.address() as AddressInfo).port;
}

beforeAll(async () => {
  t = await createTestApp();
  alice = await t.token({ sub: "alice", role: "student", name: "Alice" });
  listener = nodeListener(t.app, { maxBodyBytes: DEFAULT_LIMITS.requestBytes, native: true });
  nativePort = await listen(listener);
  adapterPort = await listen(t.app as never);
  const made = await t.gql(alice, `mutation { createCluster(input: { name: "l1", labSlug: "clusterip-services", seed: 3 }) { ... on CreateClusterPayload { cluster { id } } } }`);
  clusterId = made.data.createCluster.cluster.id;
});
afterAll(async () => {
  for (const s of servers) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
  await t?.close();
});

/**
 * Sends `raw` on a new connection and returns every byte the server wrote until it closed the connection (the last
 * request says `connection: close`; the client does not half-close: Node's server drops a half-closed connection's
 * pending answers on either way in).
 */
function exchange(port: number, raw: Buffer, until?: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => socket.write(raw));
    const chunks: Buffer[] = [];
    const text = () => Buffer.concat(chunks).toString("latin1");
    socket.on("data", (d: Buffer) => {
      chunks.push(d);
      // a stream: what came until `until` matched, then the client goes away
      if (until?.test(text())) socket.destroy();
    });
    socket.on("error", reject);
    socket.on("close", () => resolve(text()));
  });
}

const DATE = /^Date: [^\r]*\r\n/gm;

/** One HTTP/1.1 request's bytes; Content-Length from the body unless `headers` says otherwise (null: none). */
function httpRequest(o: { method?: string; path?: string; headers?: Record<string, string | null>; body?: string | Buffer; id: string }): Buffer {
  const body = typeof o.body === "string" ? Buffer.from(o.body) : (o.body ?? Buffer.alloc(0));
  const headers: Record<string, string | null> = {
    host: "kubelab.test",
    "x-request-id": o.id,
    ...(o.method === "GET" ? {} : { "content-type": "application/json", "content-length": String(body.length) }),
    ...o.headers,
  };
  const head = Object.entries(headers)
    .filter(([, v]) => v !== null)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join("");
  return Buffer.concat([Buffer.from(`${o.method ?? "POST"} ${o.path ?? "/graphql"} HTTP/1.1\r\n${head}\r\n`), body]);
}

const gqlBody = (query: string, variables?: Record<string, unknown>) => JSON.stringify({ query, ...(variables ? { variables } : {}) });
const EXEC = `mutation($id: ID!, $command: String!) { exec(input: { clusterId: $id, command: $command }) { __typename ... on ExecPayload { stdout stderr exitCode cwd } ... on Error { message } } }`;

/** Each case: the request bytes, sent once to each server (a state-changing one must answer the same twice). */
const CASES: { name: string; native: boolean | "neither"; raw: () => Buffer; until?: RegExp }[] = [
  { name: "a query", native: true, raw: () => httpRequest({ id: "q1", headers: { authorization: `Bearer ${alice}`, connection: "close" }, body: gqlBody("{ me { id name role course } }") }) },
  {
    name: "exec, a command that changes nothing",
    native: true,
    raw: () => httpRequest({ id: "e1", headers: { authorization: `Bearer ${alice}`, connection: "close" }, body: gqlBody(EXEC, { id: clusterId, command: "kubectl get ns -o name" }) }),
  },
  {
    name: "exec on a cluster that is not there (a typed error)",
    native: true,
    raw: () => httpRequest({ id: "e2", headers: { authorization: `Bearer ${alice}`, connection: "close" }, body: gqlBody(EXEC, { id: "00000000-0000-0000-0000-000000000000", command: "kubectl get pods" }) }),
  },
  { name: "exec without a token", native: true, raw: () => httpRequest({ id: "e3", headers: { connection: "close" }, body: gqlBody(EXEC, { id: clusterId, command: "kubectl get pods" }) }) },
  { name: "a bad token", native: true, raw: () => httpRequest({ id: "a1", headers: { authorization: "Bearer not.a.token", connection: "close" }, body: gqlBody("{ me { id } }") }) },
  { name: "a malformed Authorization header", native: true, raw: () => httpRequest({ id: "a2", headers: { authorization: "Basic abc", connection: "close" }, body: gqlBody("{ me { id } }") }) },
  { name: "a syntax error", native: true, raw: () => httpRequest({ id: "g1", headers: { authorization: `Bearer ${alice}`, connection: "close" }, body: gqlBody("{ me { id }") }) },
  { name: "a validation error", native: true, raw: () => httpRequest({ id: "g2", headers: { authorization: `Bearer ${alice}`, connection: "close" }, body: gqlBody("{ nope }") }) },
  { name: "a missing variable", native: true, raw: () => httpRequest({ id: "g3", headers: { authorization: `Bearer ${alice}`, connection: "close" }, body: gqlBody(EXEC, { id: clusterId }) }) },
  { name: "too deep for graphql-armor", native: true, raw: () => httpRequest({ id: "g4", headers: { authorization: `Bearer ${alice}`, connection: "close" }, body: gqlBody(`{ ${"__schema { types { fields { type { ofType { ofType { ofType { ofType { ofType { ofType { ofType { name } } } } } } } } } }"} }`) }) },
  { name: "bad JSON", native: true, raw: () => httpRequest({ id: "j1", headers: { connection: "close" }, body: `{"query": "{ me { id } }"` }) },
  { name: "JSON that is not an object", native: true, raw: () => httpRequest({ id: "j2", headers: { connection: "close" }, body: `"hello"` }) },
  { name: "no query", native: true, raw: () => httpRequest({ id: "j3", headers: { connection: "close" }, body: `{"variables":{}}` }) },
  { name: "an empty body", native: true, raw: () => httpRequest({ id: "j4", headers: { connection: "close" }, body: "" }) },
  { name: "a body that is not UTF-8", native: true, raw: () => httpRequest({ id: "j5", headers: { connection: "close" }, body: Buffer.from([0x7b, 0x22, 0x71, 0xff, 0xfe, 0x22, 0x7d]) }) },
  { name: "a batch", native: true, raw: () => httpRequest({ id: "b1", headers: { authorization: `Bearer ${alice}`, connection: "close" }, body: `[${gqlBody("{ me { id } }")},${gqlBody("{ __typename }")}]` }) },
  {
    name: "Accept: application/graphql-response+json (another status for errors)",
    native: true,
    raw: () => httpRequest({ id: "h1", headers: { accept: "application/graphql-response+json", connection: "close" }, body: gqlBody("{ nope }") }),
  },
  { name: "Accept: text/html only", native: true, raw: () => httpRequest({ id: "h2", headers: { accept: "text/html", connection: "close" }, body: gqlBody("{ __typename }") }) },
  { name: "content-type with a charset", native: true, raw: () => httpRequest({ id: "h3", headers: { "content-type": "application/json; charset=utf-8", connection: "close" }, body: gqlBody("{ __typename }") }) },
  { name: "a CORS preflight's origin", native: true, raw: () => httpRequest({ id: "h4", headers: { origin: "http://elsewhere.example", connection: "close" }, body: gqlBody("{ __typename }") }) },
  {
    name: "a subscription, Accept: application/json (not acceptable)",
    native: true,
    raw: () =>
      httpRequest({ id: "s1", headers: { authorization: `Bearer ${alice}`, accept: "application/json", connection: "close" }, body: gqlBody(`subscription($id: ID!) { clusterChanged(id: $id) { version } }`, { id: clusterId }) }),
  },
  {
    name: "a subscription without Accept (yoga streams it), up to its first event",
    native: true,
    raw: () => httpRequest({ id: "s2", headers: { authorization: `Bearer ${alice}` }, body: gqlBody(`subscription($id: ID!) { clusterChanged(id: $id) { version } }`, { id: clusterId }) }),
    until: /event: next\ndata: .*\n\n/,
  },
  // the adapter's whole way on both servers
  { name: "a body declared over the limit", native: false, raw: () => httpRequest({ id: "l1", headers: { connection: "close", "content-length": String(2 * 1024 * 1024) }, body: gqlBody("{ __typename }") }) },
  // (Node's HTTP parser answers this one itself: 400, before any listener)
  { name: "a malformed Content-Length", native: "neither", raw: () => httpRequest({ id: "l2", headers: { connection: "close", "content-length": "12abc" }, body: gqlBody("{ __typename }") }) },
  {
    name: "a chunked body",
    native: false,
    raw: () => {
      const b = gqlBody("{ __typename }");
      return httpRequest({ id: "l3", headers: { connection: "close", "content-length": null, "transfer-encoding": "chunked" }, body: `${b.length.toString(16)}\r\n${b}\r\n0\r\n\r\n` });
    },
  },
  { name: "GET with a query string", native: false, raw: () => httpRequest({ id: "m1", method: "GET", path: `/graphql?query=${encodeURIComponent("{ __typename }")}`, headers: { connection: "close" } }) },
  { name: "a form-encoded POST", native: false, raw: () => httpRequest({ id: "m2", headers: { "content-type": "application/x-www-form-urlencoded", connection: "close" }, body: "query=%7B__typename%7D" }) },
  { name: "application/graphql", native: false, raw: () => httpRequest({ id: "m3", headers: { "content-type": "application/graphql", connection: "close" }, body: "{ __typename }" }) },
  { name: "another path", native: false, raw: () => httpRequest({ id: "m4", path: "/graphql/", headers: { connection: "close" }, body: gqlBody("{ __typename }") }) },
  { name: "PUT", native: false, raw: () => httpRequest({ id: "m5", method: "PUT", headers: { connection: "close" }, body: gqlBody("{ __typename }") }) },
];

describe("the Node listener's short way in", () => {
  it.each(CASES)("$name: the same bytes as the adapter's whole way", async ({ native, raw, until }) => {
    const before = { ...listener.served };
    const fast = await exchange(nativePort, raw(), until);
    const whole = await exchange(adapterPort, raw(), until);
    expect(listener.served.native - before.native).toBe(native === true ? 1 : 0);
    expect(listener.served.adapter - before.adapter).toBe(native === false ? 1 : 0);
    expect(fast).toMatch(/^HTTP\/1\.1 \d{3} /);
    expect((fast.match(DATE) ?? []).length).toBe(native === "neither" ? 0 : 1);
    expect(fast.replace(DATE, "")).toBe(whole.replace(DATE, ""));
  });

  it("answers pipelined requests on one kept-alive connection, in order, as the adapter does", async () => {
    const raw = () =>
      Buffer.concat([
        httpRequest({ id: "p1", headers: { authorization: `Bearer ${alice}` }, body: gqlBody("{ me { id } }") }),
        httpRequest({ id: "p2", body: gqlBody("{ nope }") }),
        httpRequest({ id: "p3", headers: { authorization: `Bearer ${alice}`, connection: "close" }, body: gqlBody(EXEC, { id: clusterId, command: "echo hi" }) }),
      ]);
    const before = listener.served.native;
    const fast = await exchange(nativePort, raw());
    const whole = await exchange(adapterPort, raw());
    expect(listener.served.native - before).toBe(3);
    expect(fast.match(/HTTP\/1\.1 200 OK\r\n/g)).toHaveLength(3);
    expect(fast.replace(DATE, "")).toBe(whole.replace(DATE, ""));
    expect(fast).toContain('{"data":{"me":{"id":"alice"}}}');
    expect(fast).toContain('"stdout":"hi\\n"');
  });

  it("KUBELAB_NATIVE_HTTP=0 sends everything the adapter's way", async () => {
    const saved = process.env.KUBELAB_NATIVE_HTTP;
    process.env.KUBELAB_NATIVE_HTTP = "0";
    try {
      const off = nodeListener(t.app, { maxBodyBytes: DEFAULT_LIMITS.requestBytes });
      const port = await listen(off);
      const answer = await exchange(port, httpRequest({ id: "o1", headers: { connection: "close" }, body: gqlBody("{ __typename }") }));
      expect(answer).toContain('{"data":{"__typename":"Query"}}');
      expect(off.served).toEqual({ native: 0, adapter: 1 });
    } finally {
      if (saved === undefined) delete process.env.KUBELAB_NATIVE_HTTP;
      else process.env.KUBELAB_NATIVE_HTTP = saved;
    }
  });
});
