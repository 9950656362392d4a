// The API as the bench serves it: createApp on DATABASE_URL as api/server.ts opens it (Prisma and the direct pg
// route on one pool), production settings (masked
// errors, no GraphiQL). Request logging is off (it would measure the terminal); warnings and errors go to stderr,
// and every "gave up after retries" warning is counted.
import { constants as perfConstants, monitorEventLoopDelay, performance, PerformanceObserver } from "node:perf_hooks";
import { createApp, type AppEnv } from "../api/app.ts";
import { EngineCache } from "../api/engine-cache.ts";
import { DEFAULT_LIMITS } from "../api/limits.ts";
import { catalog as labCatalog } from "../api/labs-catalog.ts";
import { databaseForUrl } from "../api/db/node.ts";
import { applyHeapPolicy } from "../api/node/heap.ts";
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
  // the heap policy api/server.ts applies (KUBELAB_HEAP_GROWING_PERCENT=0: V8's own, for an A/B)
  applyHeapPolicy();
  const db = databaseForUrl(url, { max: Number(process.env.BENCH_POOL_MAX ?? 10) });
  // BENCH_ENGINE_CACHE=n: clusters kept hydrated (the class bench sizes it; default as in production).
  const engineCache = new EngineCache(Number(process.env.BENCH_ENGINE_CACHE ?? DEFAULT_LIMITS.engineCache));
  const env: AppEnv = {
    prisma: db.prisma,
    sql: db.sql,
    jwtSecret: secret,
    production: process.env.BENCH_API_DEV !== "1",
    // the saves on connections of their own, as api/server.ts runs them (BENCH_SAVE_POOL=shared: on the shared pool, A/B)
    saves: benchSaves(process.env.BENCH_SAVE_POOL === "shared" ? db.sql : db.saveSql),
    engineCache,
    labs: labCatalog,
    logger: {
      info() {},
      warn: (m, f) => process.stderr.write(`WARN ${m} ${JSON.stringify(f ?? {})}\n`),
      error: (m, f) => process.stderr.write(`ERROR ${m} ${JSON.stringify(f ?? {})}\n`),
    },
  };
  const app = createApp(env);
  // The event loop's delay and the pool's queue, between two reads of the stats: what a slow answer waited for.
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  // The full (mark-compact) GCs since the last read: when (epoch ms) and their pause — what a class's tail lines up with.
  const majorGcs: { at: number; ms: number }[] = [];
  new PerformanceObserver((l) => {
    for (const e of l.getEntries()) {
      const kind = (e as unknown as { detail?: { kind?: number } }).detail?.kind;
      if (kind === perfConstants.NODE_PERFORMANCE_GC_MAJOR) majorGcs.push({ at: performance.timeOrigin + e.startTime, ms: e.duration });
    }
  }).observe({ entryTypes: ["gc"] });
  let poolWaitMax = 0;
  const poolTimer = setInterval(() => (poolWaitMax = Math.max(poolWaitMax, db.pool.waitingCount)), 50);
  poolTimer.unref();
  // BENCH_POOL_TRACE=1: how long each kind of statement holds a pooled connection (from asking for it to giving it
  // back), summed — which callers the pool's queue is waiting for.
  const held = new Map<string, { n: number; ms: number }>();
  if (process.env.BENCH_POOL_TRACE) traceHolds(db.pool, held);
  const stats = () => {
    const out = {
      engineCache: { size: engineCache.size, ...engineCache.stats },
      pool: { total: db.pool.totalCount, idle: db.pool.idleCount, waiting: db.pool.waitingCount, waitingMax: poolWaitMax, saveWaiting: db.savePool.waitingCount },
      eventLoopDelayMs: { p50: loop.percentile(50) / 1e6, p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 },
      saves: env.saves?.stats,
      majorGcs: majorGcs.splice(0),
      ...(held.size ? { held: [...held].sort((a, b) => b[1].ms - a[1].ms).slice(0, 12).map(([k, v]) => `${v.ms.toFixed(0)} ms / ${v.n}: ${k}`) } : {}),
    };
    held.clear();
    loop.reset();
    poolWaitMax = 0;
    return out;
  };
  return { listener: app as never, app, close: () => db.close(), stats };
}

/** Sums, per statement text (its start), the time from asking the pool for a connection to releasing it. */
function traceHolds(pool: import("pg").Pool, held: Map<string, { n: number; ms: number }>): void {
  const add = (key: string, ms: number) => {
    const h = held.get(key) ?? { n: 0, ms: 0 };
    h.n++;
    h.ms += ms;
    held.set(key, h);
  };
  const keyOf = (q: unknown) => {
    const text = typeof q === "string" ? q : (q as { text?: string })?.text ?? "?";
    return text.replace(/\s+/g, " ").slice(0, 90);
  };
  const query = pool.query.bind(pool) as (...a: unknown[]) => Promise<unknown>;
  (pool as unknown as { query: unknown }).query = (...a: unknown[]) => {
    const t = performance.now();
    const key = keyOf(a[0]);
    return query(...a).finally(() => add(key, performance.now() - t));
  };
  // pg's own pool.query calls connect with a callback: the traced connect serves both forms.
  const connect = pool.connect.bind(pool) as (cb?: (err: Error | undefined, c?: import("pg").PoolClient, done?: unknown) => void) => Promise<import("pg").PoolClient>;
  const traced = (c: import("pg").PoolClient, t: number) => {
    const release = c.release.bind(c);
    const q = c.query.bind(c) as (...a: unknown[]) => Promise<unknown>;
    let first = "";
    (c as unknown as { query: unknown }).query = (...a: unknown[]) => {
      const k = keyOf(a[0]);
      if (!first && !/^BEGIN/.test(k)) first = k;
      return q(...a);
    };
    c.release = (err?: Error | boolean) => {
      add(`[tx] ${first}`, performance.now() - t);
      (c as unknown as { query: unknown }).query = q;
      c.release = release;
      return release(err);
    };
    return c;
  };
  (pool as unknown as { connect: unknown }).connect = (cb?: (err: Error | undefined, c?: import("pg").PoolClient, done?: unknown) => void) => {
    const t = performance.now();
    if (cb) return connect((err, c, done) => cb(err, c, done)); // pool.query's own: counted by the query wrapper
    return connect().then((c) => traced(c, t));
  };
}
