// GraphQL over the web lab's WebSocket (/graphql, graphql-ws's `graphql-transport-ws`), for the tenancy table's
// socket doors (tests/tenancy/doors.ts): the test app served on a Node HTTP server with the socket listener the real
// server has (api/node/socket.ts), and a bare client that speaks the protocol itself, so a door sees every frame the
// server sent for an operation (`next`, `error`, `complete`, the socket closing), not a client library's reading of
// them.
//
// One socket per principal and kind of token, opened with `connectionParams.token` as the page does and kept for the
// run: a later token of the same principal, valid as well, names the same principal (the claims but for iat/exp), so
// it is not worth a socket of its own; an expired, forged or cluster token, or none, is a kind of its own.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocket } from "ws";
import { serveGraphQLSocket } from "../../api/node/socket.ts";
import { SOCKET_PROTOCOL } from "../../api/socket.ts";
import { DEFAULT_AUDIENCE, DEFAULT_ISSUER, verifyToken } from "../../api/auth.ts";
import { TEST_SECRET, type GqlResult, type TestApp } from "../helpers/db-app.ts";

/** A frame the server sent for one operation (its `id` left out), the socket closing under it, or no answer. */
export type Frame = { type: string; payload?: any } | { closed: number; reason: string } | { timeout: number };

const ANSWER_MS = 10_000;

class GraphQLSocket {
  private n = 0;
  private readonly ops = new Map<string, (f: Frame) => void>();
  closed = false;
  readonly acked: Promise<void>;

  constructor(private readonly ws: WebSocket, token: string | null) {
    this.acked = new Promise<void>((resolve, reject) => {
      ws.once("open", () => ws.send(JSON.stringify({ type: "connection_init", payload: token === null ? {} : { token } })));
      ws.on("message", (data) => {
        const m = JSON.parse(String(data)) as { id?: string; type: string; payload?: unknown };
        if (m.type === "connection_ack") return resolve();
        if (m.type === "ping") return ws.send(JSON.stringify({ type: "pong" }));
        const { id, ...frame } = m;
        if (id !== undefined) this.ops.get(id)?.(frame);
      });
      ws.on("error", reject);
      ws.on("close", (code, reason) => {
        this.closed = true;
        reject(new Error(`socket closed before its acknowledgement: ${code} ${String(reason)}`));
        for (const op of [...this.ops.values()]) op({ closed: code, reason: String(reason) });
      });
    });
  }

  /**
   * One operation: the frames the server sends for it until `complete` or `error` (or the socket closes); with
   * `firstNext` (a subscription), until its first `next`, after which the client completes it as the page does.
   */
  run(payload: { query: string; variables?: Record<string, unknown> }, opts: { firstNext?: boolean } = {}): Promise<Frame[]> {
    const id = String(++this.n);
    const frames: Frame[] = [];
    return new Promise<Frame[]>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.ops.delete(id);
        resolve(frames);
      };
      const timer = setTimeout(() => {
        frames.push({ timeout: ANSWER_MS });
        if (!this.closed) this.ws.send(JSON.stringify({ id, type: "complete" }));
        done();
      }, ANSWER_MS);
      this.ops.set(id, (f) => {
        frames.push(f);
        if (!("type" in f) || f.type === "complete" || f.type === "error") return done();
        if (opts.firstNext && f.type === "next") {
          this.ws.send(JSON.stringify({ id, type: "complete" }));
          done();
        }
      });
      if (this.closed) return this.ops.get(id)!({ closed: -1, reason: "closed before the operation was sent" });
      this.ws.send(JSON.stringify({ id, type: "subscribe", payload }));
    });
  }

  close(): void {
    this.ws.terminate();
  }
}

// ---- the server: the test app on 127.0.0.1 (a port of KUBELAB_TEST_PORTS when set), with the socket listener ----

interface Served {
  url: string;
  server: Server;
  off: { close(): void };
}
const servers = new WeakMap<TestApp, Promise<Served>>();
const opened: Served[] = [];

async function listen(server: Server): Promise<void> {
  const range = /^(\d+)-(\d+)$/.exec(process.env.KUBELAB_TEST_PORTS ?? "");
  const [lo, hi] = range ? [Number(range[1]), Number(range[2])] : [0, 0];
  for (let port = lo; ; port++) {
    try {
      return await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, "127.0.0.1", () => (server.off("error", reject), resolve()));
      });
    } catch (e) {
      if (port >= hi || (e as NodeJS.ErrnoException).code !== "EADDRINUSE") throw e;
    }
  }
}

function serverFor(t: TestApp): Promise<Served> {
  let s = servers.get(t);
  if (!s) {
    s = (async () => {
      const server = createServer(t.app);
      const off = serveGraphQLSocket(server, t.app);
      await listen(server);
      const served = { url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`, server, off };
      opened.push(served);
      return served;
    })();
    servers.set(t, s);
  }
  return s;
}

// ---- sockets, one per principal and kind of token ----

const AUTH = { secret: TEST_SECRET, issuer: DEFAULT_ISSUER, audience: DEFAULT_AUDIENCE };
const sockets = new Map<string, Promise<GraphQLSocket>>();

/** Who a token names and whether this server takes it ("ok", or its refusal): what a socket is kept per. */
async function kindOf(token: string | null): Promise<string> {
  if (token === null) return "no token";
  let verdict = "ok";
  await verifyToken(AUTH, token).catch((e: Error) => (verdict = e.message));
  let claims: Record<string, unknown> = { unreadable: token };
  try {
    const { iat: _i, exp: _e, ...rest } = JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString()) as Record<string, unknown>;
    claims = rest;
  } catch {
    // not a JWT: the token itself is the key
  }
  return JSON.stringify([verdict, claims]);
}

async function socketFor(t: TestApp, token: string | null): Promise<GraphQLSocket> {
  const { url } = await serverFor(t);
  const key = `${url} ${await kindOf(token)}`;
  let s = sockets.get(key);
  // a socket the server closed (a test's bug may do that) is opened again for the next operation
  if (s && (await s).closed) s = undefined;
  if (!s) {
    s = (async () => {
      const socket = new GraphQLSocket(new WebSocket(url, SOCKET_PROTOCOL), token);
      await socket.acked;
      return socket;
    })();
    sockets.set(key, s);
  }
  return s;
}

/** An operation over the socket, as `token` (null: a socket opened without one): every frame the server sent. */
export async function overSocket(t: TestApp, token: string | null, query: string, variables: Record<string, unknown>, opts: { firstNext?: boolean } = {}): Promise<Frame[]> {
  return (await socketFor(t, token)).run({ query, variables }, opts);
}

/**
 * `t` with its `gql` going over the socket: what a GraphQL door calls, as it would over HTTP. `data` and `errors` are
 * those of the operation's `next` (or the `error` frame's errors); `frames` is everything the server sent for it, so a
 * refusal is compared frame by frame with the one for a missing id.
 */
export function viaSocket(t: TestApp): TestApp {
  return {
    ...t,
    async gql(token, query, variables = {}) {
      const frames = await overSocket(t, token, query, variables);
      const next = frames.find((f) => "type" in f && f.type === "next") as { payload: GqlResult } | undefined;
      const error = frames.find((f) => "type" in f && f.type === "error") as { payload: GqlResult["errors"] } | undefined;
      return { status: 101, data: next?.payload.data ?? undefined, errors: next?.payload.errors ?? error?.payload, frames } as GqlResult;
    },
  };
}

/** Close every socket and server opened here (the test file's afterAll, before its database goes). */
export async function closeSockets(): Promise<void> {
  for (const s of sockets.values()) (await s.catch(() => null))?.close();
  sockets.clear();
  for (const s of opened.splice(0)) {
    s.off.close();
    s.server.closeAllConnections();
    await new Promise((r) => s.server.close(r));
  }
}
