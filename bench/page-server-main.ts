// The page benches' server in a process of its own (bench/page-server.ts starts it): the app as api/server.ts serves
// it in production — the web lab, the API, the terminal's socket — on the database BENCH_PAGE_DB with the token secret
// BENCH_PAGE_SECRET, on 127.0.0.1 (BENCH_PAGE_PORT, else any port). Prints `LISTENING <port>` once it listens.
import { createServer, type RequestListener } from "node:http";
import { createApp } from "../api/app.ts";
import { serveGraphQLSocket } from "../api/node/socket.ts";
import { databaseForUrl } from "../api/db/node.ts";
import { catalog } from "../api/labs-catalog.ts";
import { loadWebAssets } from "../api/node/web-build.ts";

const url = process.env.BENCH_PAGE_DB;
const secret = process.env.BENCH_PAGE_SECRET;
if (!url || !secret) throw new Error("BENCH_PAGE_DB and BENCH_PAGE_SECRET are required");
const web = await loadWebAssets({ rebuild: true, write: false });
const db = databaseForUrl(url, { max: 10 });
const app = createApp({ prisma: db.prisma, sql: db.sql, jwtSecret: secret, labs: catalog, web, production: true, logger: { info() {}, warn() {}, error() {} } });
const server = createServer(app as unknown as RequestListener);
// the terminal's socket, as api/server.ts serves it (BENCH_PAGE_SOCKET=0: none — the page's lines go over HTTP)
if (process.env.BENCH_PAGE_SOCKET !== "0") serveGraphQLSocket(server, app);
server.listen(Number(process.env.BENCH_PAGE_PORT ?? 0), "127.0.0.1", () => console.log(`LISTENING ${(server.address() as { port: number }).port}`));
process.once("SIGTERM", () => {
  server.close();
  server.closeAllConnections();
  void db.close().finally(() => process.exit(0));
});
