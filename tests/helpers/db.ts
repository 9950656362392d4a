// One fresh, migrated database per test file, on whichever path the environment picks:
//   DATABASE_URL set -> CREATE DATABASE <unique> on that server, migrated, dropped afterwards.
//   unset            -> an in-memory PGlite cloned from a migrated template (built once, cached in the OS temp dir).
import { createHash, randomBytes } from "node:crypto";
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { PGlite } from "@electric-sql/pglite";
import { readMigrations } from "../../api/db/migrate.ts";
import { migratePglite, migrateUrl, prismaForPglite, prismaForUrl, type PrismaClient } from "../../api/db/node.ts";

export interface TestDatabase {
  kind: "postgres" | "pglite";
  prisma: PrismaClient;
  /** The server URL of this database (postgres path only). */
  url?: string;
  pglite?: PGlite;
  /** A second, independent client on the same database (a "restarted" server). */
  newClient(): PrismaClient;
  close(): Promise<void>;
}

async function templatePath(): Promise<string> {
  const list = await readMigrations();
  const h = createHash("sha256");
  for (const m of list.migrationDirectories) h.update(m.path).update(m.migrationFile.content.tag === "ok" ? m.migrationFile.content.value : "");
  return join(tmpdir(), `kubelab-pglite-template-${h.digest("hex").slice(0, 16)}.tar.gz`);
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
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    const url = serverUrlFor(base, name);
    await migrateUrl(url);
    const clients: PrismaClient[] = [];
    const make = () => {
      const c = prismaForUrl(url);
      clients.push(c);
      return c;
    };
    const prisma = make();
    return {
      kind: "postgres",
      prisma,
      url,
      newClient: make,
      async close() {
        await Promise.all(clients.map((c) => c.$disconnect().catch(() => {})));
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
  return {
    kind: "pglite",
    prisma: make(),
    pglite: db,
    newClient: make,
    async close() {
      await Promise.all(clients.map((c) => c.$disconnect().catch(() => {})));
      await db.close();
    },
  };
}
