// One fresh, migrated database per test file, on whichever path the environment picks:
//   DATABASE_URL set -> CREATE DATABASE <unique> on that server as a copy of a migrated template database (built
//                       once per migrations folder, its name carrying their hash), dropped afterwards.
//   unset            -> an in-memory PGlite cloned from a migrated template (built once, cached in the OS temp dir).
import { createHash, randomBytes } from "node:crypto";
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { PGlite } from "@electric-sql/pglite";
import { readMigrations } from "../../api/db/migrate.ts";
import { databaseForUrl, migratePglite, migrateUrl, prismaForPglite, type NodeDatabase, type PrismaClient } from "../../api/db/node.ts";
import { prismaSql, type SqlClient } from "../../api/db/sql.ts";

export interface TestDatabase {
  kind: "postgres" | "pglite";
  prisma: PrismaClient;
  /** The hot statements' route to the same database, as the servers open it: straight on pg (PostgreSQL) or through Prisma (PGlite). */
  sql: SqlClient;
  /** The server URL of this database (postgres path only). */
  url?: string;
  pglite?: PGlite;
  /** A second, independent client on the same database (a "restarted" server); its hot statements go through Prisma. */
  newClient(): PrismaClient;
  /** A second, independent connection as a server opens it: Prisma and the direct route (on PostgreSQL) on one pool. */
  newConnection(): { prisma: PrismaClient; sql: SqlClient };
  close(): Promise<void>;
}

async function migrationsHash(): Promise<string> {
  const list = await readMigrations();
  const h = createHash("sha256");
  for (const m of list.migrationDirectories) h.update(m.path).update(m.migrationFile.content.tag === "ok" ? m.migrationFile.content.value : "");
  return h.digest("hex").slice(0, 16);
}

async function templatePath(): Promise<string> {
  return join(tmpdir(), `kubelab-pglite-template-${await migrationsHash()}.tar.gz`);
}

// Serializes building the server's template and copying it (a database being copied must have no other session).
const TEMPLATE_LOCK = 72_610_018;

/**
 * A new database on the server at `base`, copied from the migrated template: running the migrations once per test
 * file took seconds each (the schema engine is loaded and every migration applied); a copy takes a fraction of that.
 */
async function createFromTemplate(base: string, name: string): Promise<void> {
  const template = `kubelab_tpl_${await migrationsHash()}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  try {
    await admin.query("SELECT pg_advisory_lock($1)", [TEMPLATE_LOCK]);
    const { rowCount } = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [template]);
    if (!rowCount) {
      const building = `${template}_${randomBytes(4).toString("hex")}`;
      await admin.query(`CREATE DATABASE "${building}"`);
      await migrateUrl(serverUrlFor(base, building));
      await admin.query(`ALTER DATABASE "${building}" RENAME TO "${template}"`);
    }
    await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
  } finally {
    await admin.query("SELECT pg_advisory_unlock($1)", [TEMPLATE_LOCK]).catch(() => {});
    await admin.end();
  }
}

async function pgliteFromTemplate(): Promise<PGlite> {
  const file = await templatePath();
  if (!existsSync(file)) {
    const db = await PGlite.create();
    await migratePglite(db);
    const dump = await db.dumpDataDir("gzip");
    await db.close();
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}`;
    writeFileSync(tmp, Buffer.from(await dump.arrayBuffer()));
    renameSync(tmp, file); // atomic: parallel test files may race to build it
  }
  const db = await PGlite.create({ loadDataDir: new Blob([readFileSync(file)]) });
  return db;
}

export function serverUrlFor(base: string, database: string): string {
  const u = new URL(base);
  u.pathname = `/${database}`;
  return u.toString();
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const base = process.env.DATABASE_URL;
  if (base) {
    const name = `kubelab_t_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
    await createFromTemplate(base, name);
    const url = serverUrlFor(base, name);
    const opened: NodeDatabase[] = [];
    const open = () => {
      const d = databaseForUrl(url);
      opened.push(d);
      return d;
    };
    const main = open();
    return {
      kind: "postgres",
      prisma: main.prisma,
      sql: main.sql,
      url,
      newClient: () => open().prisma,
      newConnection: open,
      async close() {
        await Promise.all(opened.map((d) => d.close().catch(() => {})));
        const a = new pg.Client({ connectionString: base });
        await a.connect();
        await a.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await a.end();
      },
    };
  }
  const db = await pgliteFromTemplate();
  const clients: PrismaClient[] = [];
  const make = () => {
    const c = prismaForPglite(db);
    clients.push(c);
    return c;
  };
  const prisma = make();
  return {
    kind: "pglite",
    prisma,
    sql: prismaSql(prisma),
    pglite: db,
    newClient: make,
    newConnection: () => {
      const p = make();
      return { prisma: p, sql: prismaSql(p) };
    },
    async close() {
      await Promise.all(clients.map((c) => c.$disconnect().catch(() => {})));
      await db.close();
    },
  };
}
