// The page benches' server in a process of its own (bench/page-server.ts starts it): the app as api/server.ts serves
// it in production — the web lab, the API, the terminal's socket — on the database BENCH_PAGE_DB with the token secret
// BENCH_PAGE_SECRET, on 127.0.0.1 (BENCH_PAGE_PORT, else any port). Prints `LISTENING <port>` once it listens.
import { loadWebAssets } from "../api/node/web-build.ts";
import { pageServer } from "./page-server.ts";
import { logSocketTimes } from "./socket-times.ts";

const url = process.env.BENCH_PAGE_DB;
const secret = process.env.BENCH_PAGE_SECRET;
if (!url || !secret) throw new Error("BENCH_PAGE_DB and BENCH_PAGE_SECRET are required");
const socketTimes = process.env.BENCH_PAGE_SOCKET_LOG ? logSocketTimes(process.env.BENCH_PAGE_SOCKET_LOG) : undefined;
const { db, server } = pageServer(url, secret, await loadWebAssets({ rebuild: true, write: false }));
server.listen(Number(process.env.BENCH_PAGE_PORT ?? 0), "127.0.0.1", () => console.log(`LISTENING ${(server.address() as { port: number }).port}`));
process.once("SIGTERM", () => {
  socketTimes?.write();
  server.close();
  server.closeAllConnections();
  void db.close().finally(() => process.exit(0));
});
