// Finds the labs module's catalog at run time (Node). labs/ is written separately; until it exports a catalog
// (`export const catalog: LabCatalog` or `labCatalog` from labs/index.ts), the API serves an empty one.
import { EMPTY_CATALOG, type LabCatalog } from "./labs.ts";

function isCatalog(x: unknown): x is LabCatalog {
  return !!x && typeof (x as LabCatalog).list === "function" && typeof (x as LabCatalog).get === "function";
}

export async function loadLabCatalog(log?: (msg: string) => void): Promise<LabCatalog> {
  const spec = "../labs/index.ts";
  try {
    const m = (await import(/* @vite-ignore */ spec)) as Record<string, unknown>;
    const c = m.catalog ?? m.labCatalog ?? m.default;
    if (isCatalog(c)) return c;
    log?.("labs/index.ts has no `catalog` export shaped like api/labs.ts LabCatalog; serving no labs");
  } catch (e) {
    log?.(`no lab catalog (${e instanceof Error ? e.message.split("\n")[0] : e}); serving no labs`);
  }
  return EMPTY_CATALOG;
}
