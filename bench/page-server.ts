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

export const CHROMIUM = process.env.KUBELAB_CHROMIUM || "/usr/bin/chromium";

export interface PageBench {
  base: string;
  token: string;
  browser: Browser;
  /** The HTTP server (a probe may listen to its requests or upgrades). */
  server: Server;
  /** The app it serves. */
  app: App;
  /** Closes the browser and the server, drops the database. */
  close(): Promise<void>;
}

export async function startPageBench(database: string, web: WebAssets): Promise<PageBench> {
  const dbh = await freshDatabase(database);
  const db = databaseForUrl(dbh.url, { max: 10 });
  const secret = randomBytes(32).toString("base64url");
  const app = createApp({ prisma: db.prisma, sql: db.sql, jwtSecret: secret, labs: catalog, web, production: true, logger: { info() {}, warn() {}, error() {} } });
  const server = createServer(app as unknown as RequestListener);
  // the terminal's socket, as api/server.ts serves it (BENCH_PAGE_SOCKET=0: none — the page's lines go over HTTP)
  if (process.env.BENCH_PAGE_SOCKET !== "0") serveGraphQLSocket(server, app);
  await new Promise<void>((r) => server.listen(Number(process.env.BENCH_PAGE_PORT ?? 0), "127.0.0.1", r));
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
  const token = await signToken({ secret, issuer: DEFAULT_ISSUER, audience: DEFAULT_AUDIENCE }, { sub: "bench", role: "student", course: "c1" });
  return {
    base,
    token,
    browser,
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
