// What the page benches (page.ts, page-trace.ts) stand on: the app on a fresh PostgreSQL database of its own, serving
// the given web lab on 127.0.0.1 (BENCH_PAGE_PORT, else any port), a student's token for it, and the system Chromium.
import { createServer, type RequestListener, type Server } from "node:http";
import { randomBytes } from "node:crypto";
import { chromium, type Browser } from "playwright-core";
import { createApp, type App } from "../api/app.ts";
import { serveGraphQLSocket } from "../api/node/socket.ts";
import { signToken, DEFAULT_AUDIENCE, DEFAULT_ISSUER } from "../api/auth.ts";
import { databaseForUrl } from "../api/db/node.ts";
import { catalog } from "../api/labs-catalog.ts";
import type { WebAssets } from "../api/web-assets.ts";
import { freshDatabase } from "./db.ts";
import { startServer } from "./spawn.ts";

export const CHROMIUM = process.env.KUBELAB_CHROMIUM || "/usr/bin/chromium";

export interface PageBench {
  base: string;
  token: string;
  browser: Browser;
  /** The server's process (its CPU is read from /proc): a child's, or this one's with BENCH_PAGE_SERVER=inline. */
  serverPid: number;
  /** The HTTP server and the app it serves, when they run in this process (BENCH_PAGE_SERVER=inline). */
  server?: Server;
  app?: App;
  /** Closes the browser and the server, drops the database. */
  close(): Promise<void>;
}

/**
 * The server runs in a process of its own, as in production (bench/page-server-main.ts): every client — Chromium, and
 * the bench's own HTTP client that gives the baseline — then reaches it across processes, as a student's browser and a
 * pipeline do. Until 2026-12-07 it ran in the bench's process (BENCH_PAGE_SERVER=inline still does): the baseline's
 * requests then came from inside the server's own event loop, with no process to wake, and the driver's CDP traffic
 * shared that loop.
 */
/**
 * The app as api/server.ts serves it in production — the web lab, the API and the terminal's socket (BENCH_PAGE_SOCKET=0:
 * none, the page's lines go over HTTP) — on database `url`, not listening yet. Here (inline) or in its own process.
 */
export function pageServer(url: string, secret: string, web: WebAssets) {
  const db = databaseForUrl(url, { max: 10 });
  const app = createApp({ prisma: db.prisma, sql: db.sql, jwtSecret: secret, labs: catalog, web, production: true, logger: { info() {}, warn() {}, error() {} } });
  const server = createServer(app as unknown as RequestListener);
  if (process.env.BENCH_PAGE_SOCKET !== "0") serveGraphQLSocket(server, app);
  return { db, app, server };
}

export async function startPageBench(database: string, web: WebAssets, opts: { inline?: boolean } = {}): Promise<PageBench> {
  const dbh = await freshDatabase(database);
  const secret = randomBytes(32).toString("base64url");
  const token = await signToken({ secret, issuer: DEFAULT_ISSUER, audience: DEFAULT_AUDIENCE }, { sub: "bench", role: "student", course: "c1" });
  if (!opts.inline && process.env.BENCH_PAGE_SERVER !== "inline") {
    // (a node option makes spawn run the script in the node it starts — tsx's CLI would start a second one — so the
    // pid is the server's own, for its CPU; BENCH_PAGE_NODE_ARGS: more options for it, e.g. --perf-basic-prof for a
    // `perf record -p` of the server with its JavaScript frames named)
    const nodeArgs = ["--no-deprecation", ...(process.env.BENCH_PAGE_NODE_ARGS ?? "").split(" ").filter(Boolean)];
    const proc = await startServer([], { BENCH_PAGE_DB: dbh.url, BENCH_PAGE_SECRET: secret }, nodeArgs, "page-server-main.ts");
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
    return {
      base: proc.url,
      token,
      browser,
      serverPid: proc.child.pid!,
      async close() {
        await browser.close();
        await proc.stop();
        await dbh.drop().catch(() => {});
      },
    };
  }
  const { db, app, server } = pageServer(dbh.url, secret, web);
  await new Promise<void>((r) => server.listen(Number(process.env.BENCH_PAGE_PORT ?? 0), "127.0.0.1", r));
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
  return {
    base,
    token,
    browser,
    serverPid: process.pid,
    server,
    app,
    async close() {
      await browser.close();
      server.close();
      await db.close().catch(() => {});
      await dbh.drop().catch(() => {});
    },
  };
}
