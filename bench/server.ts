// A server process for the HTTP benchmarks, so the load generator and the server do not share one event loop.
//   npx tsx bench/server.ts trivial            graphql-yoga answering `{ ping }`: the framework's ceiling
//   npx tsx bench/server.ts api <DATABASE_URL> the real API (createApp) against PostgreSQL
// Prints `LISTENING <port>` on stdout once ready, then serves until killed (SIGTERM closes the pool cleanly).
import { createServer } from "node:http";
import { writeHeapSnapshot } from "node:v8";
import type { AddressInfo } from "node:net";
import { createSchema, createYoga } from "graphql-yoga";
import type { App } from "../api/app.ts";
import { serveGraphQLSocket } from "../api/node/socket.ts";

const mode = process.argv[2];

type Listener = NonNullable<Parameters<typeof createServer>[1]>;

async function handler(): Promise<{ listener: Listener; app?: App; close: () => Promise<void>; stats?: () => Record<string, unknown> }> {
  if (mode === "trivial") {
    const yoga = createYoga({
      schema: createSchema({ typeDefs: "type Query { ping: String! }", resolvers: { Query: { ping: () => "pong" } } }),
      logging: false,
      landingPage: false,
      graphqlEndpoint: "/graphql",
    });
    return { listener: yoga as never, close: async () => {} };
  }
  if (mode === "api") {
    const url = process.argv[3];
    if (!url) throw new Error("usage: bench/server.ts api <DATABASE_URL>");
    const { startApiForBench } = await import("./api-app.ts");
    return startApiForBench(url);
  }
  throw new Error(`unknown mode ${mode}`);
}

const h = await handler();
// GET /__bench/stats: this process's memory (after a full GC when started with --expose-gc) and the app's own
// counters — what the class bench reads between its phases. Not part of the product: this file is the bench's server.
const gc = (globalThis as { gc?: () => void }).gc;
const server = createServer((req, res) => {
  if (req.url?.startsWith("/__bench/heapsnapshot?file=")) {
    // a heap snapshot into the given file (after a full GC): what the memory phase's figures are made of
    gc?.();
    const file = writeHeapSnapshot(decodeURIComponent(req.url.slice("/__bench/heapsnapshot?file=".length)));
    res.end(file);
    return;
  }
  if (req.url === "/__bench/stats" || req.url === "/__bench/stats?nogc") {
    if (req.url === "/__bench/stats") gc?.();
    const m = process.memoryUsage();
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ gc: !!gc, heapUsed: m.heapUsed, rss: m.rss, external: m.external, arrayBuffers: m.arrayBuffers, ...h.stats?.() }));
    return;
  }
  h.listener(req, res);
});
server.keepAliveTimeout = 60_000;
// the page's socket (its terminal's lines), as api/server.ts serves it
if (h.app) serveGraphQLSocket(server, h.app);
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`LISTENING ${(server.address() as AddressInfo).port}\n`);
});
const stop = () => {
  server.close();
  server.closeAllConnections();
  void h.close().finally(() => process.exit(0));
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
