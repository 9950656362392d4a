// The SDL committed as schema.graphql (sorted, so it only changes when the API does). Node only.
// graphql is loaded with require: the same instance Pothos and yoga use under Node and vitest (graphql 16 ships a
// CJS main and an .mjs "module"; bundlers and Node may pick different ones, and graphql refuses mixed instances).
import { createRequire } from "node:module";
import { getSchema } from "./index.ts";

const graphql = createRequire(import.meta.url)("graphql") as typeof import("graphql");

export function printedSchema(): string {
  return graphql.printSchema(graphql.lexicographicSortSchema(getSchema())) + "\n";
}
