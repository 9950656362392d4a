// kubelab's migrator: Prisma's own schema engine compiled to WebAssembly (@prisma/schema-engine-wasm), driven
// through a Prisma driver adapter. The native schema engine that `prisma migrate` spawns cannot be downloaded on
// our machines; this does the same work:
//   applyMigrations  = `prisma migrate deploy` (writes the standard `_prisma_migrations` table)
//   diffToSchema     = `prisma migrate diff --from-migrations --to-schema --script` (= `migrate dev --create-only`)
//   migrationStatus  = `prisma migrate status`
// Node only (reads files); the Worker never migrates.
import { readFile, readdir } from "node:fs/promises";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import * as bg from "@prisma/schema-engine-wasm/schema_engine_bg";
import type { DiagnoseMigrationHistoryOutput, MigrationList, SchemaEngine } from "@prisma/schema-engine-wasm";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const SCHEMA_PATH = join(ROOT, "prisma", "schema.prisma");
export const MIGRATIONS_DIR = join(ROOT, "prisma", "migrations");

const NO_FILTER = { externalTables: [], externalEnums: [] };

interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: Record<string, object>) => { exports: Record<string, unknown> };
}

let wasmReady: Promise<void> | undefined;
/** The package's own `import … .wasm` does not load in Node 20: instantiate the module by hand, once. */
function loadWasm(): Promise<void> {
  wasmReady ??= (async () => {
    const require = createRequire(import.meta.url);
    const pkgDir = dirname(require.resolve("@prisma/schema-engine-wasm/schema_engine_bg"));
    const bytes = await readFile(join(pkgDir, "schema_engine_bg.wasm"));
    // (the project's lib settings carry no WebAssembly declarations; Node 20 has it)
    const WA = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
    const instance = new WA.Instance(new WA.Module(bytes), { "./schema_engine_bg.js": bg });
    bg.__wbg_set_wasm(instance.exports as never);
    (instance.exports as { __wbindgen_start?: () => void }).__wbindgen_start?.();
  })();
  return wasmReady;
}

/** The migrations folder as the schema engine wants it, read from disk. */
export async function readMigrations(dir = MIGRATIONS_DIR): Promise<MigrationList> {
  const folders = existsSync(dir) ? (await readdir(dir, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name) : [];
  // Stryker disable next-line MethodExpression: equivalent on Node — libuv's scandir already returns names in strcmp order (kept: the order is the contract)
  const names = folders.sort();
  const lockPath = join(dir, "migration_lock.toml");
  return {
    baseDir: dir,
    lockfile: { path: "migration_lock.toml", content: existsSync(lockPath) ? await readFile(lockPath, "utf8") : null },
    shadowDbInitScript: "",
    migrationDirectories: await Promise.all(
      names.map(async (name) => {
        const file = join(dir, name, "migration.sql");
        return {
          path: name,
          migrationFile: {
            path: "migration.sql",
            content: existsSync(file)
              ? { tag: "ok" as const, value: await readFile(file, "utf8") }
              : { tag: "error" as const, value: `${file} is missing` },
          },
        };
      }),
    ),
  };
}

async function schemaFiles() {
  return [{ path: SCHEMA_PATH, content: await readFile(SCHEMA_PATH, "utf8") }];
}

/** Open the schema engine on a database reached through a migration-aware Prisma driver adapter factory. */
export async function openEngine(adapter: SqlMigrationAwareDriverAdapterFactory, log?: (line: string) => void): Promise<SchemaEngine> {
  await loadWasm();
  const files = await schemaFiles();
  const bound = bindMigrationAwareSqlAdapterFactory(adapter);
  return (await bg.SchemaEngine.new(
    { datamodels: files.map((f) => [f.path, f.content] as [string, string]) },
    (line: string) => log?.(line),
    bound,
  )) as SchemaEngine;
}

async function withEngine<T>(adapter: SqlMigrationAwareDriverAdapterFactory, fn: (e: SchemaEngine) => Promise<T>): Promise<T> {
  const engine = await openEngine(adapter);
  try {
    return await fn(engine);
  } finally {
    engine.free();
  }
}

/** `prisma migrate deploy`: apply every migration not yet recorded in `_prisma_migrations`. */
export async function applyMigrations(adapter: SqlMigrationAwareDriverAdapterFactory, dir = MIGRATIONS_DIR): Promise<string[]> {
  const migrationsList = await readMigrations(dir);
  return withEngine(adapter, async (e) => (await e.applyMigrations({ migrationsList, filters: NO_FILTER })).appliedMigrationNames);
}

/** `prisma migrate status`. */
export async function migrationStatus(adapter: SqlMigrationAwareDriverAdapterFactory, dir = MIGRATIONS_DIR): Promise<DiagnoseMigrationHistoryOutput> {
  const migrationsList = await readMigrations(dir);
  return withEngine(adapter, (e) => e.diagnoseMigrationHistory({ migrationsList, optInToShadowDatabase: false, filters: NO_FILTER }));
}

/**
 * SQL that takes a database built from the migrations folder to the Prisma datamodel ("" when they agree). The
 * migrations are replayed on the adapter's shadow database: give it an adapter whose shadow is safe (an in-memory
 * PGlite), never adapter-pg from a connection string (its shadow lands on the main database).
 */
export async function diffMigrationsToSchema(adapter: SqlMigrationAwareDriverAdapterFactory, dir = MIGRATIONS_DIR): Promise<string> {
  const migrationsList = await readMigrations(dir);
  const files = await schemaFiles();
  return withEngine(adapter, async (e) => {
    const r = await e.diff({
      from: { tag: "migrations", ...migrationsList },
      to: { tag: "schemaDatamodel", files },
      script: true,
      exitCode: null,
      filters: NO_FILTER,
    });
    return normalizeScript(r.stdout ?? "");
  });
}

/** SQL that takes the live database (through `adapter`) to the datamodel ("" when they agree). */
export async function diffDatabaseToSchema(adapter: SqlMigrationAwareDriverAdapterFactory): Promise<string> {
  const files = await schemaFiles();
  return withEngine(adapter, async (e) => {
    const r = await e.diff({
      // "schemaDatasource" = the database the adapter is connected to (the engine refuses plain URLs now)
      from: { tag: "schemaDatasource", files, configDir: ROOT },
      to: { tag: "schemaDatamodel", files },
      script: true,
      exitCode: null,
      filters: NO_FILTER,
    });
    return normalizeScript(r.stdout ?? "");
  });
}

/** The engine prints "-- This is an empty migration." for no change: a script of comments and blank lines is "". */
function normalizeScript(sql: string): string {
  return sql.split("\n").some((l) => l.trim() !== "" && !l.trim().startsWith("--")) ? sql : "";
}
