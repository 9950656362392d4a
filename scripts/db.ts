// Database maintenance without Prisma's native schema engine (see api/db/migrate.ts).
//   npm run db:migrate            apply pending migrations (DATABASE_URL, or the embedded database in .data/)
//   npm run db:diff -- <name>     write prisma/migrations/<timestamp>_<name>/migration.sql for schema changes
//   npm run db:status             what `prisma migrate status` would say
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { diffMigrationsToSchema, migrationStatus, MIGRATIONS_DIR } from "../api/db/migrate.ts";
import { migrateUrl, migratePglite, migrationAdapterForPglite, migrationAdapterForUrl } from "../api/db/node.ts";
import { devDataDir } from "../api/config.ts";

const [cmd, ...rest] = process.argv.slice(2);
const url = process.env.DATABASE_URL;

async function main(): Promise<number> {
  switch (cmd) {
    case "migrate": {
      if (url) {
        const applied = await migrateUrl(url);
        console.log(applied.length ? `applied: ${applied.join(", ")}` : "database is up to date");
      } else {
        const db = await PGlite.create({ dataDir: join(devDataDir(), "pglite") });
        const applied = await migratePglite(db);
        await db.close();
        console.log(applied.length ? `applied (embedded): ${applied.join(", ")}` : "embedded database is up to date");
      }
      return 0;
    }
    case "diff": {
      const name = (rest[0] ?? "").replace(/[^a-zA-Z0-9_]/g, "_");
      if (!name) {
        console.error("usage: npm run db:diff -- <migration_name>");
        return 2;
      }
      // Replayed on an in-memory PGlite: no server needed, and never the main database.
      const sql = await diffMigrationsToSchema(migrationAdapterForPglite(new PGlite()));
      if (!sql) {
        console.log("no schema changes: the migrations already produce prisma/schema.prisma");
        return 0;
      }
      const ts = new Date().toISOString().replace(/[-:TZ.]/g, "").slice(0, 14);
      const dir = join(MIGRATIONS_DIR, `${ts}_${name}`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, "migration.sql"), sql);
      console.log(`wrote ${dir}/migration.sql`);
      return 0;
    }
    case "status": {
      const adapter = url ? migrationAdapterForUrl(url) : migrationAdapterForPglite(await PGlite.create({ dataDir: join(devDataDir(), "pglite") }));
      const s = await migrationStatus(adapter);
      console.log(JSON.stringify(s, null, 2));
      return s.history || s.failedMigrationNames.length || s.editedMigrationNames.length ? 1 : 0;
    }
    default:
      console.error("usage: tsx scripts/db.ts migrate | diff <name> | status");
      return 2;
  }
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  },
);
