// npm run schema:print            writes schema.graphql from the code
// npm run schema:print -- --check fails when the committed schema.graphql differs
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { printedSchema } from "../api/schema/print.ts";
import { ROOT } from "../api/db/migrate.ts";

const file = join(ROOT, "schema.graphql");
const sdl = printedSchema();
if (process.argv.includes("--check")) {
  const current = existsSync(file) ? readFileSync(file, "utf8") : "";
  if (current !== sdl) {
    console.error("schema.graphql is out of date: run `npm run schema:print` and commit it");
    process.exit(1);
  }
  console.log("schema.graphql is up to date");
} else {
  writeFileSync(file, sdl);
  console.log(`wrote ${file}`);
}
