// The API as the bench serves it: createApp on DATABASE_URL as api/server.ts opens it (Prisma and the direct pg
// route on one pool), production settings (masked
// errors, no GraphiQL). Request logging is off (it would measure the terminal); warnings and errors go to stderr,
// and every "gave up after retries" warning is counted.
import { createApp, type AppEnv } from "../api/app.ts";
import { EngineCache } from "../api/engine-cache.ts";
import { DEFAULT_LIMITS } from "../api/limits.ts";
import { catalog as labCatalog } from "../api/labs-catalog.ts";
import { databaseForUrl } from "../api/db/node.ts";
import { DEFAULT_SAVE_BATCHING, SaveBatcher } from "../api/db/save-batcher.ts";
import type { SqlClient } from "../api/db/sql.ts";

/** The save batcher on `sql`: BENCH_SAVE_BATCH=n saves per statement at most (1: every save alone), BENCH_SAVE_INFLIGHT=n statements out. */
export function benchSaves(sql: SqlClient): SaveBatcher {
  const n = (v: string | undefined, d: number) => (v ? Number(v) : d);
  return new SaveBatcher(sql, { maxBatch: n(process.env.BENCH_SAVE_BATCH, DEFAULT_SAVE_BATCHING.maxBatch), maxInFlight: n(process.env.BENCH_SAVE_INFLIGHT, DEFAULT_SAVE_BATCHING.maxInFlight) });
}

export async function startApiForBench(url: string) {
  const secret = process.env.BENCH_JWT_SECRET;
  if (!secret) throw new Error("BENCH_JWT_SECRET is not set");
  const db = databaseForUrl(url, { max: Number(process.env.BENCH_POOL_MAX ?? 10) });
  // BENCH_ENGINE_CACHE=n: clusters kept hydrated (the class bench sizes it; default as in production).
  const engineCache = new EngineCache(Number(process.env.BENCH_ENGINE_CACHE ?? DEFAULT_LIMITS.engineCache));
  const env: AppEnv = {
    prisma: db.prisma,
    sql: db.sql,
    jwtSecret: secret,
    production: process.env.BENCH_API_DEV !== "1",
    saves: benchSaves(db.sql),
    engineCache,
    labs: labCatalog,
    logger: {
      info() {},
      warn: (m, f) => process.stderr.write(`WARN ${m} ${JSON.stringify(f ?? {})}\n`),
      error: (m, f) => process.stderr.write(`ERROR ${m} ${JSON.stringify(f ?? {})}\n`),
    },
  };
  const app = createApp(env);
  return { listener: app as never, close: () => db.close(), stats: () => ({ engineCache: { size: engineCache.size, ...engineCache.stats } }) };
}
