// What every resolver gets. `prisma` is per request in the Worker and shared in Node; both are the same generated
// client shape (the Node and workerd builds of one schema).
import type { PrismaClient } from "./generated/prisma/client.ts";
import type { Principal } from "./auth.ts";
import type { LabCatalog } from "./labs.ts";
import type { Limits } from "./limits.ts";
import type { Cluster } from "../engine/index.ts";
import type { SqlClient } from "./db/sql.ts";
import type { SaveBatcher } from "./db/save-batcher.ts";
import type { CachedCluster, EngineCache } from "./engine-cache.ts";
import type { GradePool } from "./grade-jobs.ts";

export interface Logger {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export interface Context {
  prisma: PrismaClient;
  /** The hot statements' route to the same database (api/db/sql.ts): straight on pg in Node, else through Prisma. */
  sql: SqlClient;
  /** Mutation saves on `sql`, batched across the requests of this app instance when the database is shared. */
  saves: SaveBatcher;
  principal: Principal | null;
  requestId: string;
  labs: LabCatalog;
  limits: Limits;
  log: Logger;
  /** Hydrated engines by the row object they came from, so one request parses a cluster's state once. */
  engines: WeakMap<object, Cluster>;
  /** Clusters this app instance keeps hydrated between requests. */
  engineCache: EngineCache;
  /** Clusters this request took from (or made for) the cache: given back once its response is complete. */
  leases: CachedCluster[];
  /** Grades batches in parallel (worker threads under Node), for the catalog it was made for. */
  gradePool?: GradePool;
  /** Runs one cluster's mutations one at a time within this app instance. */
  serialize: <T>(key: string, fn: () => Promise<T>) => Promise<T>;
  /** How tokens are signed and checked (the kubeconfig field signs cluster tokens with it). */
  auth?: import("./auth.ts").AuthConfig;
  /** The origin clients reach this server at (X-Forwarded-Proto/Host when a proxy sets them). */
  origin?: string;
  /** Set once the principal's User (and course enrollment) rows exist. */
  userEnsured?: Promise<void>;
}
