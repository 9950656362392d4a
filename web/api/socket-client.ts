// A Client that sends its documents over one WebSocket to /graphql (graphql-ws's protocol, the token in the
// connection's parameters) while that socket is up, and over HTTP (the page's ordinary client) while it is not. A
// socket's round trip costs the browser ~2–4 ms less than a fetch() (bench/README.md, 2026-12-07), which is why the
// terminal's lines take it.
//
// What the terminal's guarantees need from it: an operation is sent once, on one route — never re-sent by the socket
// library after a reconnect (its own retries are off: a dropped socket fails the operations in flight as "network",
// and the transport then looks for the line in the command log before sending it again, as after a lost HTTP answer);
// and a socket that is down, refused or not yet open never holds a request back (it goes over HTTP at once). The
// socket is reopened after a drop with a growing delay, for as long as the client lives.
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

export function createSocketClient(opts: SocketClientOptions): SocketClient {
  let ws: WsClient | null = null;
  let open = false;
  let disposed = false;
  let drops = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

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
        connected: () => {
          if (ws !== client) return;
          open = true;
          drops = 0;
        },
        closed: () => {
          if (ws !== client) return;
          open = false;
          ws = null;
          quietly(client);
          if (disposed) return;
          timer = setTimeout(connect, (opts.reopenMs ?? reopenDelayMs)(drops++));
        },
      },
    });
    ws = client;
  };
  connect();

  const overSocket = <T>(client: WsClient, document: string, variables?: Record<string, unknown>) =>
    new Promise<Result<T>>((resolve) => {
      let settled = false;
      const settle = (r: Result<T>) => void (settled || ((settled = true), resolve(r)));
      // a query's or a mutation's one result settles it at once: the "complete" message after it is a frame more
      client.subscribe<T>(
        { query: document, variables },
        {
          next: (r) => settle(resultOf<T>(200, r as { data?: T | null }, opts.onAuthError)),
          error: (e) => {
            // an array: GraphQL errors for this operation (a refused token, a bad document); else the socket dropped
            if (Array.isArray(e)) settle(resultOf<T>(200, { errors: e }, opts.onAuthError));
            else settle({ ok: false, error: { kind: "network", message: "The connection to the lab server dropped." } });
          },
          complete: () => settle({ ok: false, error: { kind: "network", message: "The lab server gave no answer." } }),
        },
      );
    });

  return {
    get open() {
      return open;
    },
    request<T>(document: string, variables?: Record<string, unknown>): Promise<Result<T>> {
      if (open && ws) return overSocket<T>(ws, document, variables);
      return opts.http.request<T>(document, variables);
    },
    dispose() {
      disposed = true;
      clearTimeout(timer);
      open = false;
      const c = ws;
      ws = null;
      if (c) quietly(c);
    },
  };
}
