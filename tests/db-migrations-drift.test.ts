// kubelab's migrator (api/db/migrate.ts) beyond the happy path: how it reads a migrations folder (sorted, only
// folders, a missing migration.sql or lock file said so), and what it says about a database that drifted from the
// datamodel (the SQL that brings it back, comments kept), or one with a migration it has never applied.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyMigrations, diffDatabaseToSchema, MIGRATIONS_DIR, migrationStatus, readMigrations } from "../api/db/migrate.ts";
import { migrationAdapterForPglite, migrationAdapterForUrl } from "../api/db/node.ts";
import { createTestDatabase, type TestDatabase } from "./helpers/db.ts";

let t: TestDatabase;
const dirs: string[] = [];
beforeAll(async () => {
  t = await createTestDatabase();
});
const opened: { close(): Promise<void> }[] = [];
afterAll(async () => {
  await Promise.all(opened.map((a) => a.close()));
  await t?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function adapter() {
  if (t.kind === "pglite") return migrationAdapterForPglite(t.pglite!);
  const a = migrationAdapterForUrl(t.url!);
  opened.push(a);
  return a;
}
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), "kubelab-migrations-"));
  dirs.push(d);
  return d;
}

describe("reading a migrations folder", () => {
  it("takes the sub-folders in name order with their migration.sql, says which has none, and reads the lock file", () => {
    const d = tempDir();
    for (const name of ["20260102_b", "20260101_a", "20260103_c"]) mkdirSync(join(d, name));
    writeFileSync(join(d, "20260101_a", "migration.sql"), "CREATE TABLE a (n int);\n");
    writeFileSync(join(d, "20260102_b", "migration.sql"), "CREATE TABLE b (n int);\n");
    writeFileSync(join(d, "notes.txt"), "not a migration");
    writeFileSync(join(d, "migration_lock.toml"), 'provider = "postgresql"\n');
    return readMigrations(d).then((list) =>
      expect(list).toEqual({
        baseDir: d,
        lockfile: { path: "migration_lock.toml", content: 'provider = "postgresql"\n' },
        shadowDbInitScript: "",
        migrationDirectories: [
          { path: "20260101_a", migrationFile: { path: "migration.sql", content: { tag: "ok", value: "CREATE TABLE a (n int);\n" } } },
          { path: "20260102_b", migrationFile: { path: "migration.sql", content: { tag: "ok", value: "CREATE TABLE b (n int);\n" } } },
          { path: "20260103_c", migrationFile: { path: "migration.sql", content: { tag: "error", value: `${join(d, "20260103_c", "migration.sql")} is missing` } } },
        ],
      }),
    );
  });

  it("a folder that does not exist is no migrations and no lock file", async () => {
    const d = join(tempDir(), "nothing-here");
    expect(await readMigrations(d)).toEqual({ baseDir: d, lockfile: { path: "migration_lock.toml", content: null }, shadowDbInitScript: "", migrationDirectories: [] });
  });

  it("the project's own folder by default", async () => {
    const list = await readMigrations();
    expect(list.baseDir).toBe(MIGRATIONS_DIR);
    expect(list.lockfile.content).toContain('provider = "postgresql"');
    expect(list.migrationDirectories.length).toBeGreaterThan(0);
  });
});

describe("a database that is not what the migrations make", () => {
  it("a new migration in the folder: status names it, applying runs it and records it", async () => {
    const d = tempDir();
    for (const m of (await readMigrations()).migrationDirectories) {
      mkdirSync(join(d, m.path));
      if (m.migrationFile.content.tag === "ok") writeFileSync(join(d, m.path, "migration.sql"), m.migrationFile.content.value);
    }
    writeFileSync(join(d, "migration_lock.toml"), 'provider = "postgresql"\n');
    mkdirSync(join(d, "29991231000000_drift"));
    writeFileSync(join(d, "29991231000000_drift", "migration.sql"), `CREATE TABLE "Drift" (n int);\n`);
    const before = await migrationStatus(adapter(), d);
    expect(before.history).toEqual({ diagnostic: "databaseIsBehind", unappliedMigrationNames: ["29991231000000_drift"] });
    expect(await applyMigrations(adapter(), d)).toEqual(["29991231000000_drift"]);
    expect((await migrationStatus(adapter(), d)).history).toBeNull();
    // the table the datamodel does not know is what the diff to it now drops: SQL with its comments, not ""
    const sql = await diffDatabaseToSchema(adapter());
    expect(sql).toMatch(/DROP TABLE "Drift"/);
    expect(sql).toMatch(/^-- /m);
  }, 120_000);
});
