// A server process for the HTTP benchmarks, so the load generator and the server do not share one event loop.
//   npx tsx bench/server.ts trivial            graphql-yoga answering `{ ping }`: the framework's ceiling
//   npx tsx bench/server.ts api <DATABASE_URL> the real API (createApp) against PostgreSQL
// Prints `LISTENING <port>` on stdout once ready, then serves until killed (SIGTERM closes the pool cleanly).
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createSchema, createYoga } from "graphql-yoga";

const mode = process.argv[2];

async function handler(): Promise<{ listener: Parameters<typeof createServer>[1]; close: () => Promise<void> }> {
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
const server = createServer(h.listener);
server.keepAliveTimeout = 60_000;
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
