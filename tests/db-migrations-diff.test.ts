// The migrations folder, replayed on a fresh shadow database, yields exactly the Prisma datamodel (what
// `prisma migrate diff --from-migrations --to-schema` checks). Its own file because it takes up to a minute on a loaded
// machine (the schema engine in WebAssembly replays every migration on an in-memory PGlite): the mutation runs
// (scripts/mutants.ts, api-db) leave it out, so a mutant of api/db/migrate.ts does not pay for it.
import { describe, expect, it } from "vitest";
import { PGlite } from "@electric-sql/pglite";
import { diffMigrationsToSchema } from "../api/db/migrate.ts";
import { migrationAdapterForPglite } from "../api/db/node.ts";

describe("migrations", () => {
  it("replaying the migrations folder yields the datamodel: the diff to schema.prisma is empty", async () => {
    const sql = await diffMigrationsToSchema(migrationAdapterForPglite(new PGlite()));
    expect(sql).toBe("");
  }, 120_000); // the schema engine (WebAssembly) on a fresh in-memory database: slow on a loaded machine
});
