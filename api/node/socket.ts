// The GraphQL socket (api/socket.ts) on a Node HTTP server: WebSocket upgrades of /graphql speaking
// `graphql-transport-ws` are accepted (the `ws` package), others refused. Messages over the app's request limit close
// the socket (1009), as a body over it gets a 413.
import type { Server } from "node:http";
import { WebSocketServer } from "ws";
import type { App } from "../app.ts";
import { DEFAULT_LIMITS } from "../limits.ts";
import { forwardedHeaders, socketServer, SOCKET_PROTOCOL } from "../socket.ts";

export function serveGraphQLSocket(server: Server | import("node:https").Server, app: App, opts: { maxBytes?: number } = {}): { close(): void } {
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: opts.maxBytes ?? DEFAULT_LIMITS.requestBytes,
    handleProtocols: (protocols) => (protocols.has(SOCKET_PROTOCOL) ? SOCKET_PROTOCOL : false),
  });
  const gql = socketServer(app);
  const onUpgrade = (req: import("node:http").IncomingMessage, socket: import("node:stream").Duplex, head: Buffer) => {
    const url = new URL(req.url ?? "/", `http://${req.headers.host ?? "localhost"}`);
    if (url.pathname !== "/graphql") return void socket.destroy();
    wss.handleUpgrade(req, socket, head, (ws) => {
      const closed = gql.opened(
        {
          protocol: ws.protocol,
          send: (data) => new Promise<void>((resolve, reject) => ws.send(data, (e) => (e ? reject(e) : resolve()))),
          close: (code, reason) => ws.close(code, reason),
          onMessage: (cb) =>
            ws.on("message", (data) => {
              cb(String(data)).catch(() => ws.close(1011, "Internal error"));
            }),
        },
        { url: url.toString(), headers: forwardedHeaders((h) => req.headers[h] as string | undefined) },
      );
      ws.once("close", (code, reason) => void closed(code, String(reason)));
    });
  };
  server.on("upgrade", onUpgrade);
  return {
    close() {
      server.off("upgrade", onUpgrade);
      for (const c of wss.clients) c.terminate();
      wss.close();
    },
  };
}
