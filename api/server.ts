// `npm run dev`: the API on Node with GraphiQL. Nothing is required: without DATABASE_URL an embedded PostgreSQL
// (PGlite) lives in .data/ and is migrated on start; without JWT_SECRET a dev secret is generated into .data/.
// In production (NODE_ENV=production) JWT_SECRET and DATABASE_URL are required, and migrations are applied with
// `npm run db:migrate`, not here.
import { createServer } from "node:http";
import { createServer as createTlsServer } from "node:https";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { createApp, jsonLogger } from "./app.ts";
import { signToken, DEFAULT_AUDIENCE, DEFAULT_ISSUER } from "./auth.ts";
import { devDataDir, isProduction, jwtSecret } from "./config.ts";
import { databaseForUrl, migratePglite, migrateUrl } from "./db/node.ts";
import { SaveBatcher } from "./db/save-batcher.ts";
import { catalog as labCatalog } from "./labs-catalog.ts";
import { WorkerGradePool } from "./node/grade-pool.ts";
import { loadWebAssets } from "./node/web-build.ts";
import { serveGraphQLSocket } from "./node/socket.ts";
import { applyHeapPolicy } from "./node/heap.ts";

function fail(message: string): never {
  console.error(`kubelab: ${message}`);
  process.exit(1);
}

async function main() {
  try {
    applyHeapPolicy();
  } catch (e) {
    fail((e as Error).message);
  }
  const production = isProduction();
  let secret: string;
  try {
    secret = jwtSecret();
  } catch (e) {
    fail((e as Error).message);
  }
  if (production && secret.length < 32) fail("JWT_SECRET must be at least 32 characters in production");
  const port = Number(process.env.PORT ?? 4000);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) fail(`PORT must be a TCP port number, not "${process.env.PORT}"`);

  // Started now, awaited once the database is up (esbuild builds in its own process meanwhile):
  // the web lab, rebuilt at a development start when web/ changed, read from postinstall's build in production;
  const webLoading = loadWebAssets({ rebuild: production ? false : "if-stale" });
  // GraphiQL from the package, not a CDN: it works on a classroom network without internet.
  const graphiqlLoading = production ? undefined : import("@graphql-yoga/render-graphiql");
  webLoading.catch(() => {});
  graphiqlLoading?.catch(() => {});
  let databaseUrl = process.env.DATABASE_URL;
  let closeDb = async () => {};
  if (databaseUrl) {
    if (!production) {
      const applied = await migrateUrl(databaseUrl);
      if (applied.length) console.log(`migrations applied: ${applied.join(", ")}`);
    }
  } else {
    if (production) fail("DATABASE_URL is not set: production needs a PostgreSQL database (the embedded one is for development)");
    // Embedded PostgreSQL in .data/, reachable by URL (pglite-socket) so `npm run worker:dev` can share it.
    const dataDir = join(devDataDir(), "pglite");
    const t0 = Date.now();
    const db = await PGlite.create({ dataDir });
    const applied = await migratePglite(db);
    if (applied.length) console.log(`embedded database: migrations applied: ${applied.join(", ")}`);
    const pgPort = Number(process.env.KUBELAB_PGLITE_PORT ?? 5499);
    const socket = new PGLiteSocketServer({ db, port: pgPort, host: "127.0.0.1" });
    await socket.start();
    // One connection: PGlite has one session, and pglite-socket would interleave concurrent connections' messages.
    databaseUrl = `postgresql://postgres:postgres@127.0.0.1:${pgPort}/postgres`;
    console.log(`embedded database: ${dataDir} (ready in ${Date.now() - t0} ms), serving ${databaseUrl}`);
    closeDb = async () => {
      await socket.stop();
      await db.close();
    };
  }
  const web = await webLoading;
  const renderGraphiQL = (await graphiqlLoading)?.renderGraphiQL;
  const gradePool = new WorkerGradePool();
  // Prisma and the hot statements' direct route share one pool (of one connection for the embedded database).
  const db = databaseForUrl(databaseUrl, { max: process.env.DATABASE_URL ? 10 : 1 });
  const app = createApp({
    prisma: db.prisma,
    sql: db.sql,
    // A PostgreSQL server: the mutations' saves on connections of their own, never queued behind the shared pool's
    // reads (api/db/node.ts). The embedded database serves one connection: there they share it.
    ...(process.env.DATABASE_URL ? { saves: new SaveBatcher(db.saveSql) } : {}),
    // regradeLab grades on one thread per core (started on first use)
    gradePool,
    jwtSecret: secret,
    jwtIssuer: process.env.JWT_ISSUER,
    jwtAudience: process.env.JWT_AUDIENCE,
    production,
    labs: labCatalog,
    logger: jsonLogger,
    web,
    renderGraphiQL,
  });
  // KUBELAB_TLS_CERT/KEY (PEM files): serve HTTPS, which kubectl needs to send its token (README: Use your own kubectl)
  const tls = process.env.KUBELAB_TLS_CERT && process.env.KUBELAB_TLS_KEY ? { cert: readFileSync(process.env.KUBELAB_TLS_CERT), key: readFileSync(process.env.KUBELAB_TLS_KEY) } : undefined;
  const server = tls ? createTlsServer(tls, app) : createServer(app);
  // the web lab's terminal sends its lines over a WebSocket on /graphql (api/node/socket.ts)
  serveGraphQLSocket(server, app);
  server.listen(port, () => {
    const scheme = tls ? "https" : "http";
    console.log(`kubelab API on ${scheme}://localhost:${port}/graphql${production ? "" : " (GraphiQL: open it in a browser)"}; the web lab on ${scheme}://localhost:${port}/`);
  });
  if (!production) {
    const cfg = { secret, issuer: process.env.JWT_ISSUER ?? DEFAULT_ISSUER, audience: process.env.JWT_AUDIENCE ?? DEFAULT_AUDIENCE };
    const student = await signToken(cfg, { sub: "alice", role: "student", course: "c1", name: "Alice" });
    const instructor = await signToken(cfg, { sub: "teacher", role: "instructor", course: "c1", name: "Teacher" });
    console.log("\nDevelopment tokens (12 h). In GraphiQL's Headers tab:");
    console.log(`  student alice:      {"Authorization": "Bearer ${student}"}`);
    console.log(`  instructor teacher: {"Authorization": "Bearer ${instructor}"}`);
    console.log("The web lab, signed in (the token travels in the URL fragment, never to the server's logs):");
    console.log(`  student alice:      http://localhost:${port}/#token=${student}`);
    console.log(`  instructor teacher: http://localhost:${port}/teach#token=${instructor}`);
    console.log("More: npm run token -- --role student --sub bob --course c1\n");
  }
  const stop = async () => {
    server.close();
    await db.close().catch(() => {});
    await gradePool.close().catch(() => {});
    await closeDb().catch(() => {});
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((e) => fail(e instanceof Error ? (e.stack ?? e.message) : String(e)));
