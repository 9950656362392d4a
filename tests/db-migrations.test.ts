// The committed migrations are recorded as `prisma migrate deploy` records them, re-applying is a no-op, and the
// migrated database is exactly the Prisma datamodel. Runs on the server (DATABASE_URL) or the embedded PGlite, like
// the rest. Replaying the migrations folder on a shadow database is db-migrations-diff.test.ts (a minute on a loaded
// machine: kept out of the mutation runs, where every mutant of api/db/migrate.ts it reaches would pay for it).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyMigrations, migrationStatus, readMigrations, diffDatabaseToSchema } from "../api/db/migrate.ts";
import { migrationAdapterForPglite, migrationAdapterForUrl } from "../api/db/node.ts";
import { createTestDatabase, type TestDatabase } from "./helpers/db.ts";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.close();
});

const opened: { close(): Promise<void> }[] = [];
afterAll(async () => {
  await Promise.all(opened.map((a) => a.close()));
});
function adapter() {
  if (t.kind === "pglite") return migrationAdapterForPglite(t.pglite!);
  const a = migrationAdapterForUrl(t.url!);
  opened.push(a);
  return a;
}

describe("migrations", () => {
  it("records every migration in _prisma_migrations, finished, with a sha256 checksum", async () => {
    const dirs = (await readMigrations()).migrationDirectories.map((d) => d.path);
    expect(dirs.length).toBeGreaterThan(0);
    const rows = await t.prisma.$queryRawUnsafe<{ migration_name: string; checksum: string; finished_at: Date | null; rolled_back_at: Date | null }[]>(
      `SELECT migration_name, checksum, finished_at, rolled_back_at FROM _prisma_migrations ORDER BY migration_name`,
    );
    expect(rows.map((r) => r.migration_name)).toEqual(dirs);
    for (const r of rows) {
      expect(r.checksum).toMatch(/^[0-9a-f]{64}$/);
      expect(r.finished_at).not.toBeNull();
      expect(r.rolled_back_at).toBeNull();
    }
  });

  it("re-applying is a no-op and the status is clean", async () => {
    expect(await applyMigrations(adapter())).toEqual([]);
    const s = await migrationStatus(adapter());
    expect(s.hasMigrationsTable).toBe(true);
    expect(s.history).toBeNull();
    expect(s.failedMigrationNames).toEqual([]);
    expect(s.editedMigrationNames).toEqual([]);
  }, 120_000);

  it("the live migrated database equals the datamodel", async () => {
    expect(await diffDatabaseToSchema(adapter())).toBe("");
  });

  it("the tables the API needs exist with their indexes", async () => {
    const idx = await t.prisma.$queryRawUnsafe<{ indexname: string }[]>(
      `SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() ORDER BY indexname`,
    );
    const names = idx.map((i) => i.indexname);
    for (const n of ["Cluster_pkey", "Cluster_ownerId_deletedAt_createdAt_idx", "CommandLog_pkey", "LabAttempt_courseId_labSlug_submittedAt_idx"])
      expect(names).toContain(n);
  });

  it("Cluster.state is compressed with lz4 where PostgreSQL has it (the server), else keeps the default (PGlite)", async () => {
    const [lz4] = await t.prisma.$queryRawUnsafe<{ has: boolean }[]>(`SELECT 'lz4' = ANY(enumvals) AS has FROM pg_settings WHERE name = 'default_toast_compression'`);
    const [col] = await t.prisma.$queryRawUnsafe<{ c: string }[]>(
      `SELECT attcompression::text AS c FROM pg_attribute WHERE attrelid = '"Cluster"'::regclass AND attname = 'state'`,
    );
    expect(col.c).toBe(lz4?.has ? "l" : "");
  });
});
