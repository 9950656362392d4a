// Under Node: the web lab's files for the server. Development (`npm run dev`) rebuilds them on start (≈0.1 s), so
// the README's two commands stay the only set-up; production reads the build `npm install` made (postinstall).
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../db/migrate.ts";
import type { WebAssets } from "../web-assets.ts";

export const ASSETS_JSON = join(ROOT, "web", "dist", "assets.json");

/** `write: false`: a rebuild stays in memory (tests, benchmarks) and web/dist is left as it is. */
export async function loadWebAssets(opts: { rebuild: boolean; write?: boolean }): Promise<WebAssets> {
  if (opts.rebuild || !existsSync(ASSETS_JSON)) {
    const { buildWeb } = await import("../../scripts/build-web.mjs");
    const built = await buildWeb({ log: false, write: opts.write ?? true });
    return { files: built.files, index: built.index };
  }
  return JSON.parse(readFileSync(ASSETS_JSON, "utf8")) as WebAssets;
}
