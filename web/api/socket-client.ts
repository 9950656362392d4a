// A Client that sends its documents over one WebSocket to /graphql (graphql-ws's protocol, the token in the
// connection's parameters) while that socket is up, and over HTTP (the page's ordinary client) while it is not. A
// socket's round trip costs the browser ~2–4 ms less than a fetch() (bench/README.md, 2026-12-07), which is why the
// terminal's lines take it.
//
// What the terminal's guarantees need from it: an operation is sent once, on one route — never re-sent by the socket
// library after a reconnect (its own retries are off: a dropped socket fails the operations in flight as "network",
// and the transport then looks for the line in the command log before sending it again, as after a lost HTTP answer);
// and a socket that is down, refused or not yet open never holds a request back (it goes over HTTP at once). The
// socket is reopened after a drop with a growing delay, for as long as the client lives. graphql-ws keeps the
// connection (init with the token, ack, ping/pong, close); an operation's subscribe message is written on its socket
// by this module, in the caller's task (overSocket), and its answer found by id among the messages graphql-ws parsed.
import { createClient, type Client as WsClient } from "graphql-ws";
import { resultOf, type Client, type Result } from "./client.ts";

export interface SocketClientOptions {
  /** ws://…/graphql or wss://…/graphql */
  url: string;
  token: () => string | null;
  /** Where documents go while the socket is not open. */
  http: Client;
  onAuthError?: (message: string) => void;
  /** Makes the socket (tests pass their own). */
  webSocketImpl?: unknown;
  /** The wait before reopening after the n-th drop in a row. */
  reopenMs?: (n: number) => number;
}

export interface SocketClient extends Client {
  /** The socket is open and acknowledged (documents go over it). */
  readonly open: boolean;
  dispose(): void;
}

export const reopenDelayMs = (n: number) => Math.min(10_000, 250 * 2 ** Math.min(n, 6));

export function socketUrl(location: { protocol: string; host: string }, path = "/graphql"): string {
  return `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}${path}`;
}

/** graphql-ws's dispose() rejects when its socket never opened: that is known here already. */
const quietly = (c: WsClient) => void Promise.resolve(c.dispose()).catch(() => {});

/** What an operation waits for: its result, its errors, or the socket's end (graphql-ws's message types). */
type Settle = (message: { type: string; payload?: unknown } | null) => void;

/** Operation ids: unique for the page's life, so never one the server still holds on a connection. */
let nextId = 0;

export function createSocketClient(opts: SocketClientOptions): SocketClient {
  let ws: WsClient | null = null;
  /** The acknowledged connection's socket: operations are written on it directly (below). */
  let socket: WebSocket | null = null;
  let open = false;
  let disposed = false;
  let drops = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  /** Operations written on `socket` and not answered yet, by id. */
  const pending = new Map<string, Settle>();
  /** The socket is gone: what was out on it fails as "network" (the transport looks for it in the log). */
  const failPending = () => {
    const out = [...pending.values()];
    pending.clear();
    for (const settle of out) settle(null);
  };

  const connect = () => {
    if (disposed) return;
    const client = createClient({
      url: opts.url,
      lazy: false,
      // never re-sends an operation on its own (see the header); this module reopens the socket
      retryAttempts: 0,
      connectionParams: () => ({ token: opts.token() }),
      ...(opts.webSocketImpl ? { webSocketImpl: opts.webSocketImpl } : {}),
      onNonLazyError: () => {},
      on: {
        connected: (s) => {
          if (ws !== client) return;
          socket = s as WebSocket;
          open = true;
          drops = 0;
        },
        // the answers to the operations written on the socket (graphql-ws parsed and checked the message)
        message: (m) => {
          const id = "id" in m ? m.id : undefined;
          const settle = id === undefined ? undefined : pending.get(id);
          if (!settle) return;
          pending.delete(id!);
          settle(m as { type: string; payload?: unknown });
        },
        closed: () => {
          if (ws !== client) return;
          open = false;
          ws = null;
          socket = null;
          failPending();
          quietly(client);
          if (disposed) return;
          timer = setTimeout(connect, (opts.reopenMs ?? reopenDelayMs)(drops++));
        },
      },
    });
    ws = client;
  };
  connect();

  /**
   * An operation written on the socket at once, in the caller's task — graphql-ws's own subscribe() writes it a few
   * microtasks later, after whatever the caller does next (for the terminal: after xterm's keydown handling and the
   * status bar's work). graphql-ws still opens, acknowledges, keeps and closes the connection, and parses and checks
   * each message; the operation's messages come back here by id. A query's or a mutation's one result settles it at
   * once: the "complete" message after it is a frame more.
   */
  const overSocket = <T>(s: WebSocket, document: string, variables?: Record<string, unknown>) =>
    new Promise<Result<T>>((resolve) => {
      const id = `t${++nextId}`;
      pending.set(id, (m) => {
        if (m?.type === "next") resolve(resultOf<T>(200, m.payload as { data?: T | null }, opts.onAuthError));
        // GraphQL errors for this operation (a refused token, a bad document)
        else if (m?.type === "error") resolve(resultOf<T>(200, { errors: m.payload as never }, opts.onAuthError));
        else if (m) resolve({ ok: false, error: { kind: "network", message: "The lab server gave no answer." } });
        // the socket dropped
        else resolve({ ok: false, error: { kind: "network", message: "The connection to the lab server dropped." } });
      });
      try {
        s.send(JSON.stringify({ id, type: "subscribe", payload: { query: document, variables } }));
      } catch {
        pending.delete(id);
        resolve({ ok: false, error: { kind: "network", message: "The connection to the lab server dropped." } });
      }
    });

  return {
    get open() {
      return open;
    },
    request<T>(document: string, variables?: Record<string, unknown>): Promise<Result<T>> {
      if (open && socket && socket.readyState === 1) return overSocket<T>(socket, document, variables);
      return opts.http.request<T>(document, variables);
    },
    dispose() {
      disposed = true;
      clearTimeout(timer);
      open = false;
      const c = ws;
      ws = null;
      socket = null;
      failPending();
      if (c) quietly(c);
    },
  };
}
