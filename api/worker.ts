// Cloudflare Workers entry: the same createApp handler, PostgreSQL through a Hyperdrive binding. The Prisma client is
// the workerd build (the Node one crashes in workerd) and is created per request (Hyperdrive pools for us), with
// `max: 1`, and disconnected after the response via waitUntil. yoga is created once per isolate.
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma-workerd/client.ts";
import type { PrismaClient as NodePrismaClient } from "./generated/prisma/client.ts";
import { createApp, type App } from "./app.ts";
import { DEFAULT_LIMITS } from "./limits.ts";
import { forwardedHeaders, socketServer, SOCKET_PROTOCOL } from "./socket.ts";
import { catalog as labCatalog } from "./labs-catalog.ts";
// The web lab's files (scripts/build-web.mjs; npm run worker:build/dev/smoke build them first), bundled in.
import webAssets from "../web/dist/assets.json";

export interface Env {
  HYPERDRIVE: { connectionString: string };
  JWT_SECRET?: string;
  JWT_ISSUER?: string;
  JWT_AUDIENCE?: string;
  /** "development" turns GraphiQL and detailed errors on (wrangler dev sets it through .dev.vars). */
  ENVIRONMENT?: string;
}

interface ExecutionContext {
  waitUntil(p: Promise<unknown>): void;
}

/** workerd's server-side WebSocket (the runtime's types are not this project's: the little used here). */
interface WorkerSocket {
  accept(): void;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: "message", fn: (e: { data: string | ArrayBuffer }) => void): void;
  addEventListener(type: "close", fn: (e: { code: number; reason: string }) => void): void;
}
declare const WebSocketPair: { new (): { 0: WorkerSocket; 1: WorkerSocket } };

let app: App | undefined;
let sockets: ReturnType<typeof socketServer> | undefined;
const clients = new WeakMap<Request, NodePrismaClient>();

const prismaFor = (env: Env) => new PrismaClient({ adapter: new PrismaPg({ connectionString: env.HYPERDRIVE.connectionString, max: 1 }) }) as unknown as NodePrismaClient;

/**
 * The web lab's terminal socket on /graphql (api/socket.ts, as api/node/socket.ts serves it under Node): each
 * operation gets a database client of its own, as a request does, closed when the operation is done. A message over
 * the request limit closes the socket (1009).
 */
function acceptSocket(request: Request, app: App, env: Env): Response {
  if (new URL(request.url).pathname !== "/graphql") return new Response("Not found\n", { status: 404 });
  const offered = (request.headers.get("sec-websocket-protocol") ?? "").split(",").map((p) => p.trim());
  if (!offered.includes(SOCKET_PROTOCOL)) return new Response(`WebSocket subprotocol ${SOCKET_PROTOCOL} required\n`, { status: 400 });
  const pair = new WebSocketPair();
  const [client, server] = [pair[0], pair[1]];
  server.accept();
  sockets ??= socketServer(app);
  const closed = sockets.opened(
    {
      protocol: SOCKET_PROTOCOL,
      send: (data) => server.send(data),
      close: (code, reason) => server.close(code, reason),
      onMessage: (cb) =>
        server.addEventListener("message", (e) => {
          const text = typeof e.data === "string" ? e.data : new TextDecoder().decode(e.data);
          if (text.length > DEFAULT_LIMITS.requestBytes) return server.close(1009, "Message too big");
          cb(text).catch(() => server.close(1011, "Internal error"));
        }),
    },
    {
      url: request.url,
      headers: forwardedHeaders((h) => request.headers.get(h)),
      begin: (req) => {
        const prisma = prismaFor(env);
        clients.set(req, prisma);
        const end = () => {
          open.delete(end);
          void prisma.$disconnect().catch(() => {});
        };
        open.add(end);
        return end;
      },
    },
  );
  // an operation still running when the socket closes is not completed by graphql-ws: its client is closed here
  const open = new Set<() => void>();
  server.addEventListener("close", (e) => {
    void closed(e.code, e.reason);
    for (const end of [...open]) end();
  });
  return new Response(null, { status: 101, webSocket: client, headers: { "sec-websocket-protocol": SOCKET_PROTOCOL } } as ResponseInit);
}

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    if (!env.JWT_SECRET) {
      return new Response(JSON.stringify({ errors: [{ message: "The server is not configured: JWT_SECRET is missing (wrangler secret put JWT_SECRET)" }] }), {
        status: 500,
        headers: { "content-type": "application/json" },
      });
    }
    app ??= createApp({
      prisma: (req) => clients.get(req)!,
      jwtSecret: env.JWT_SECRET,
      jwtIssuer: env.JWT_ISSUER,
      jwtAudience: env.JWT_AUDIENCE,
      production: env.ENVIRONMENT !== "development",
      labs: labCatalog,
      web: webAssets,
      // An isolate has 128 MB: keep fewer clusters hydrated than a Node server does.
      limits: { engineCache: 32 },
    });
    if (request.headers.get("upgrade")?.toLowerCase() === "websocket") return acceptSocket(request, app, env);
    const prisma = prismaFor(env);
    clients.set(request, prisma);
    try {
      return await (app.fetch as (r: Request, ...rest: unknown[]) => Promise<Response>)(request, env, ctx);
    } finally {
      ctx.waitUntil(prisma.$disconnect());
    }
  },
};
