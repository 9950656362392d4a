// The GraphQL socket (api/socket.ts) on a Node HTTP server: WebSocket upgrades of /graphql speaking
// `graphql-transport-ws` are accepted (the `ws` package), others refused. Messages over the app's request limit close
// the socket (1009), as a body over it gets a 413.
import { STATUS_CODES, type IncomingMessage, type Server } from "node:http";
import type { Duplex } from "node:stream";
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
    // any other upgrade (kubectl exec's or port-forward's SPDY, a socket elsewhere) gets the answer the same request
    // gets without the upgrade, as it did before this listener existed
    const protocols = String(req.headers["sec-websocket-protocol"] ?? "").split(",").map((p) => p.trim());
    if (url.pathname !== "/graphql" || String(req.headers.upgrade).toLowerCase() !== "websocket" || !protocols.includes(SOCKET_PROTOCOL))
      return void answerWithoutUpgrade(app, url, req, socket);
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

/**
 * An upgrade request this server does not take: the app's answer to it as a plain request (body-less: an upgrade
 * carries none), written on the socket, which is then closed.
 */
async function answerWithoutUpgrade(app: App, url: URL, req: IncomingMessage, socket: Duplex): Promise<void> {
  socket.on("error", () => {});
  try {
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) {
      if (v === undefined || k === "connection" || k === "upgrade") continue;
      for (const one of Array.isArray(v) ? v : [v]) headers.append(k, one);
    }
    const r = await app.fetch(new Request(url, { method: req.method, headers }));
    const body = Buffer.from(await r.arrayBuffer());
    let head = `HTTP/1.1 ${r.status} ${STATUS_CODES[r.status] ?? ""}\r\n`;
    r.headers.forEach((v, k) => {
      if (k !== "content-length" && k !== "connection" && k !== "transfer-encoding") head += `${k}: ${v}\r\n`;
    });
    socket.end(Buffer.concat([Buffer.from(`${head}content-length: ${body.length}\r\nconnection: close\r\n\r\n`), body]));
  } catch {
    socket.destroy();
  }
}
