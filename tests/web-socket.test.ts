// The terminal's socket: GraphQL over a WebSocket on /graphql (api/socket.ts, api/node/socket.ts) with the page's
// client for it (web/api/socket-client.ts) and the terminal's transport on top — the same answers as over HTTP, the
// token checked per operation, HTTP while the socket is down, and a line that runs once when the socket drops under it.
import { createServer, type RequestListener, type Server } from "node:http";
import type { Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { createTestApp, type TestApp } from "./helpers/db-app.ts";
import { serveGraphQLSocket } from "../api/node/socket.ts";
import { createHttpClient } from "../web/api/client.ts";
import { createSocketClient, type SocketClient } from "../web/api/socket-client.ts";
import { createGraphQLTransport, EXEC } from "../web/terminal/transport.ts";

let t: TestApp;
let server: Server;
let base: string;
let alice: string;
let id: string;
const sockets = new Set<Socket>();
/** The app the socket serves: the test app, with the onArrival hook. */
let socketApp: TestApp["app"];
/** Runs once, when the server has the next operation's message (before it runs it). */
let onArrival: (() => void) | undefined;
let socketOn: { close(): void } | undefined;

beforeAll(async () => {
  t = await createTestApp();
  server = createServer(t.app as unknown as RequestListener);
  server.on("connection", (s) => (sockets.add(s), s.on("close", () => sockets.delete(s))));
  // the app the socket serves, with a hook that runs when an operation's message has arrived (onArrival)
  socketApp = new Proxy(t.app, {
    get(target, prop) {
      if (prop !== "getEnveloped") return Reflect.get(target, prop);
      return (...args: Parameters<typeof target.getEnveloped>) => {
        const enveloped = target.getEnveloped(...args);
        const hook = onArrival;
        onArrival = undefined;
        hook?.();
        return enveloped;
      };
    },
  });
  socketOn = serveGraphQLSocket(server, socketApp);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `127.0.0.1:${(server.address() as { port: number }).port}`;
  alice = await t.token({ sub: "alice", role: "student", course: "c1" });
  const r = await t.gql(alice, `mutation { createCluster(input: { name: "s", labSlug: "clusterip-services", seed: 3 }) { ... on CreateClusterPayload { cluster { id } } } }`);
  id = r.data.createCluster.cluster.id;
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((r) => server?.close(r));
  await t?.close();
});

const clients: SocketClient[] = [];
afterAll(() => clients.forEach((c) => c.dispose()));

function clientsFor(token: string, opts: { onAuthError?: (m: string) => void; reopenMs?: (n: number) => number } = {}) {
  let httpCalls = 0;
  const http = createHttpClient({ endpoint: `http://${base}/graphql`, token: () => token, onAuthError: opts.onAuthError });
  const counted = { request: ((d: string, v?: Record<string, unknown>) => (httpCalls++, http.request(d, v))) as typeof http.request };
  const sock = createSocketClient({ url: `ws://${base}/graphql`, token: () => token, http: counted, webSocketImpl: WebSocket, onAuthError: opts.onAuthError, reopenMs: opts.reopenMs });
  clients.push(sock);
  return { sock, http, httpCalls: () => httpCalls };
}

const until = async (f: () => boolean, ms = 5000) => {
  for (const t0 = Date.now(); !f(); ) {
    if (Date.now() - t0 > ms) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 10));
  }
};

const LOG = `query($id: ID!) { cluster(id: $id) { commandLog(last: 50) { edges { node { input } } } } }`;
const logged = async (line: string) => ((await t.gql(alice, LOG, { id })).data.cluster.commandLog.edges as { node: { input: string } }[]).filter((e) => e.node.input === line).length;

describe("exec over the terminal's socket", () => {
  it("answers what HTTP answers, over the socket once it is open", async () => {
    const { sock, http, httpCalls } = clientsFor(alice);
    await until(() => sock.open);
    const vars = { id, command: "kubectl get svc kubernetes" };
    const a = await sock.request<{ exec: { stdout: string; exitCode: number } }>(EXEC, vars);
    expect(httpCalls()).toBe(0);
    const b = await http.request<{ exec: { stdout: string; exitCode: number } }>(EXEC, vars);
    expect(a.ok && b.ok).toBe(true);
    if (!a.ok || !b.ok) return;
    expect(a.data.exec.exitCode).toBe(0);
    expect(a.data.exec.stdout.replace(/\d+[smhd]\b/g, "AGE")).toBe(b.data.exec.stdout.replace(/\d+[smhd]\b/g, "AGE"));
    // a typed error comes back as the same union member
    const missing = await sock.request<{ exec: { __typename: string; message: string } }>(EXEC.replace("__typename", "__typename"), { id: "nope", command: "true" });
    expect(missing.ok && missing.data.exec.__typename).toBe("NotFoundError");
  });

  it("checks the token on each operation: a bad one is refused as over HTTP, the socket stays", async () => {
    const refused: string[] = [];
    const { sock, httpCalls } = clientsFor("not-a-token", { onAuthError: (m) => refused.push(m) });
    await until(() => sock.open);
    const r = await sock.request(`{ myClusters { id } }`);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.kind).toBe("auth");
    expect(refused).toHaveLength(1);
    expect(httpCalls()).toBe(0);
    expect(sock.open).toBe(true);
  });

  it("a refused operation's errors are the HTTP answer's, word for word (no transport detail in them)", async () => {
    // the protocol's messages by hand: the page's client turns errors into its own kinds, the wire is what is compared
    const over = async (token: string, query: string) => {
      const ws = new WebSocket(`ws://${base}/graphql`, "graphql-transport-ws");
      const messages: { type: string; payload?: unknown }[] = [];
      ws.on("message", (d) => messages.push(JSON.parse(String(d))));
      await new Promise((r) => ws.once("open", r));
      ws.send(JSON.stringify({ type: "connection_init", payload: { token } }));
      await until(() => messages.some((m) => m.type === "connection_ack"));
      ws.send(JSON.stringify({ id: "1", type: "subscribe", payload: { query } }));
      await until(() => messages.some((m) => m.type === "error" || m.type === "next"));
      ws.close();
      return messages.find((m) => m.type === "error" || m.type === "next")!;
    };
    const overHttp = async (token: string, query: string) => {
      const r = await fetch(`http://${base}/graphql`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body: JSON.stringify({ query }) });
      return ((await r.json()) as { errors: unknown[] }).errors;
    };
    for (const [token, query, code] of [
      ["not-a-token", `{ myClusters { id } }`, "UNAUTHENTICATED"],
      [alice, `{ myClusters { id }`, "GRAPHQL_PARSE_FAILED"],
    ] as const) {
      const m = await over(token, query);
      expect(m.type).toBe("error");
      const viaHttp = await overHttp(token, query);
      expect((viaHttp[0] as { extensions: { code: string } }).extensions.code).toBe(code);
      expect(m.payload).toEqual(viaHttp);
    }
    // a token no header could carry: an error answer, the one HTTP gives a bad token (not a closed socket)
    const m = await over("not\na-token", `{ myClusters { id } }`);
    expect(m).toMatchObject({ type: "error" });
    expect(m.payload).toEqual(await overHttp("not-a-token", `{ myClusters { id } }`));
  });

  it("goes over HTTP while the socket is down, and back to the socket once it reopens", async () => {
    socketOn?.close();
    const { sock, httpCalls } = clientsFor(alice, { reopenMs: () => 50 });
    await new Promise((r) => setTimeout(r, 200));
    expect(sock.open).toBe(false);
    const r = await sock.request<{ cluster: { id: string } }>(`query($id: ID!) { cluster(id: $id) { id } }`, { id });
    expect(r.ok && r.data.cluster.id).toBe(id);
    expect(httpCalls()).toBe(1);
    socketOn = serveGraphQLSocket(server, socketApp);
    await until(() => sock.open);
    await sock.request(`query($id: ID!) { cluster(id: $id) { id } }`, { id });
    expect(httpCalls()).toBe(1);
  });

  it("a line whose socket drops under it runs once: the transport finds it in the log", async () => {
    const { sock } = clientsFor(alice, { reopenMs: () => 50 });
    await until(() => sock.open);
    const version = (await t.gql(alice, `query($id: ID!) { cluster(id: $id) { version } }`, { id })).data.cluster.version as number;
    const transport = createGraphQLTransport(sock, id, { version, sleep: () => new Promise((r) => setTimeout(r, 20)) });
    const line = "kubectl create deployment once --image=nginx";
    // the socket is cut once the server has the line's message, before its answer can go out (the server still runs it)
    onArrival = () => {
      for (const s of sockets) s.destroy();
    };
    const states: string[] = [];
    const stop = transport.connection.subscribe((c) => states.push(c.kind));
    const running = transport.run(line, { host: "master01", cwd: "/root", env: {} });
    const r = await running;
    stop();
    // the drop was seen (the answer was lost), and the line's output came back all the same
    expect(states).toContain("lost");
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.result.stdout).toBe("deployment.apps/once created\n");
    expect(await logged(line)).toBe(1);
    // and it is not sent again by the socket once it reopens
    await until(() => sock.open);
    await new Promise((r) => setTimeout(r, 100));
    expect(await logged(line)).toBe(1);
  });
});

describe("upgrades the socket does not take", () => {
  /** A raw request with its headers; the whole answer as text (the server closes the connection). */
  async function raw(head: string): Promise<string> {
    const { connect } = await import("node:net");
    const [host, port] = base.split(":");
    return new Promise((resolve, reject) => {
      const c = connect(Number(port), host, () => c.write(head));
      let got = "";
      c.on("data", (d) => (got += d));
      c.on("end", () => resolve(got));
      c.on("error", reject);
    });
  }
  const statusLine = (answer: string) => answer.split("\r\n")[0];
  const body = (answer: string) => answer.slice(answer.indexOf("\r\n\r\n") + 4);

  it("kubectl exec's SPDY upgrade gets the API's plain answer, as without the upgrade", async () => {
    const path = "/api/v1/namespaces/default/pods/demoapp/exec?command=sh&stdin=true";
    const plain = await t.app.fetch(new Request(`http://${base}${path}`, { method: "POST", headers: { authorization: `Bearer ${alice}` } }));
    const answer = await raw(`POST ${path} HTTP/1.1\r\nHost: ${base}\r\nAuthorization: Bearer ${alice}\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: v4.channel.k8s.io\r\n\r\n`);
    expect(statusLine(answer)).toBe(`HTTP/1.1 ${plain.status} ${(await import("node:http")).STATUS_CODES[plain.status]}`);
    expect(plain.status).toBeGreaterThanOrEqual(400);
    expect(body(answer)).toBe(await plain.text());
  });

  it("a WebSocket upgrade of /graphql without the graphql-transport-ws protocol is answered as a plain request, not taken", async () => {
    const answer = await raw(`GET /graphql?query=%7Bping%7D HTTP/1.1\r\nHost: ${base}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`);
    expect(statusLine(answer)).not.toMatch(/ 101 /);
    expect(answer.toLowerCase()).toContain("connection: close");
  });
});
