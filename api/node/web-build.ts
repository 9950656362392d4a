// Under Node: the web lab's files for the server. Development (`npm run dev`) rebuilds them on start when web/ changed, so
// the README's two commands stay the only set-up; production reads the build `npm install` made (postinstall).
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../db/migrate.ts";
import type { WebAssets } from "../web-assets.ts";

export const ASSETS_JSON = join(ROOT, "web", "dist", "assets.json");

/** The newest modification time of the page's sources (web/ but its build, and the build script). */
function newestSource(dir = join(ROOT, "web")): number {
  let t = statSync(join(ROOT, "scripts", "build-web.mjs")).mtimeMs;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === "dist") continue;
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newestSource(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** web/dist is missing or older than a source. */
export function webBuildStale(): boolean {
  return !existsSync(ASSETS_JSON) || statSync(ASSETS_JSON).mtimeMs < newestSource();
}

/**
 * `rebuild`: true always, "if-stale" when a source changed since the last build (`npm run dev`), false never (but
 * when there is no build). `write: false`: a rebuild stays in memory (tests, benchmarks), web/dist is left alone.
 */
export async function loadWebAssets(opts: { rebuild: boolean | "if-stale"; write?: boolean }): Promise<WebAssets> {
  if (opts.rebuild === true || !existsSync(ASSETS_JSON) || (opts.rebuild === "if-stale" && webBuildStale())) {
    const { buildWeb } = await import("../../scripts/build-web.mjs");
    const built = await buildWeb({ log: false, write: opts.write ?? true });
    return { files: built.files, index: built.index, initial: built.initial };
  }
  return JSON.parse(readFileSync(ASSETS_JSON, "utf8")) as WebAssets;
}
