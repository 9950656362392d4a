// A fresh, migrated PostgreSQL database for one bench run on the server DATABASE_URL points at (the database
// named in that URL is only used to CREATE/DROP the bench's own). Dropped afterwards unless KEEP_BENCH_DB=1.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { migrateUrl } from "../api/db/node.ts";

export const DEFAULT_URL = "postgresql://root@127.0.0.1:5432/postgres";

export interface BenchDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

function withDatabase(base: string, database: string): string {
  const u = new URL(base);
  u.pathname = `/${database}`;
  return u.toString();
}

export async function freshDatabase(prefix = "kubelab_bench"): Promise<BenchDatabase> {
  const base = process.env.DATABASE_URL ?? DEFAULT_URL;
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = withDatabase(base, name);
  await migrateUrl(url);
  return {
    url,
    name,
    async drop() {
      if (process.env.KEEP_BENCH_DB === "1") return;
      const a = new pg.Client({ connectionString: base });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await a.end();
    },
  };
}

/** The server's version and settings that matter for a write-heavy benchmark. */
export async function serverInfo(url: string): Promise<string> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const v = (await c.query("SHOW server_version")).rows[0].server_version;
    const sc = (await c.query("SHOW synchronous_commit")).rows[0].synchronous_commit;
    const fs = (await c.query("SHOW fsync")).rows[0].fsync;
    return `PostgreSQL ${v} (synchronous_commit=${sc}, fsync=${fs})`;
  } finally {
    await c.end();
  }
}
