#!/usr/bin/env node
// The web lab's build: esbuild bundles web/main.tsx (Preact, signals, xterm) into content-hashed files, and writes
// web/dist/assets.json — every file the page needs, by URL path, with its content type — plus the files themselves
// for a look. Code behind a dynamic import() (the editor, web/editor/) is split into lazy chunks: `initial` lists the
// scripts the page loads at once (main and the chunks it imports statically, preloaded from index.html). The API serves assets.json (api/web-assets.ts) under Node and Workers alike; nothing comes from a CDN.
//   node scripts/build-web.mjs            build (runs in postinstall, before `npm test`, and on `npm run dev`)
//   node scripts/build-web.mjs --dev      unminified, with inline source maps
import { build } from "esbuild";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
export const DIST = join(root, "web", "dist");

const TYPES = { ".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8", ".svg": "image/svg+xml" };

/**
 * Builds the page; returns { files: { "/assets/x": { type, body } }, index, initial: ["/assets/main-….js", …], ms }. `write: false` keeps it in memory
 * (tests and benchmarks: no race with another process reading web/dist).
 */
export async function buildWeb({ dev = false, log = true, write = true } = {}) {
  const t0 = Date.now();
  const r = await build({
    entryPoints: { main: join(root, "web", "main.tsx") },
    bundle: true,
    format: "esm",
    platform: "browser",
    target: ["es2022"],
    jsx: "automatic",
    jsxImportSource: "preact",
    minify: !dev,
    sourcemap: dev ? "inline" : false,
    entryNames: "[name]-[hash]",
    chunkNames: "[name]-[hash]",
    assetNames: "[name]-[hash]",
    splitting: true,
    outdir: join(DIST, "assets"),
    write: false,
    metafile: true,
    legalComments: "none",
    define: { "process.env.NODE_ENV": dev ? '"development"' : '"production"' },
    logLevel: "warning",
  });
  const files = {};
  for (const f of r.outputFiles) {
    const ext = f.path.slice(f.path.lastIndexOf("."));
    files[`/assets/${basename(f.path)}`] = { type: TYPES[ext] ?? "application/octet-stream", body: f.text };
  }
  const icon = readFileSync(join(root, "web", "favicon.svg"), "utf8");
  const iconName = `/assets/favicon-${createHash("sha256").update(icon).digest("hex").slice(0, 8)}.svg`;
  files[iconName] = { type: TYPES[".svg"], body: icon };
  const js = Object.keys(files).find((p) => /\/main-[^/]+\.js$/.test(p));
  const css = Object.keys(files).find((p) => /\/main-[^/]+\.css$/.test(p));
  if (!js || !css) throw new Error("build-web: esbuild produced no main .js/.css");
  // the scripts main imports statically: loaded with it (preloaded, so no waterfall); the rest only on import()
  const url = (out) => `/assets/${basename(out)}`;
  const initial = [];
  const visit = (out) => {
    if (initial.includes(url(out))) return;
    initial.push(url(out));
    for (const i of r.metafile.outputs[out].imports) if (i.kind === "import-statement" && !i.external) visit(i.path);
  };
  const mainOut = Object.keys(r.metafile.outputs).find((o) => url(o) === js);
  if (!mainOut) throw new Error("build-web: main's output is missing from the metafile");
  visit(mainOut);
  const preload = initial
    .filter((p) => p !== js)
    .map((p) => `<link rel="modulepreload" href="${p}" />`)
    .join("\n    ");
  const index = readFileSync(join(root, "web", "index.html"), "utf8")
    .replace("%PRELOAD%", preload)
    .replace("%SCRIPT%", js)
    .replace("%STYLE%", css)
    .replace("%ICON%", iconName);
  const out = { files, index, initial };
  if (!write) return { ...out, ms: Date.now() - t0 };
  rmSync(DIST, { recursive: true, force: true });
  mkdirSync(join(DIST, "assets"), { recursive: true });
  for (const [p, f] of Object.entries(files)) writeFileSync(join(DIST, p), f.body);
  writeFileSync(join(DIST, "index.html"), index);
  writeFileSync(join(DIST, "assets.json"), JSON.stringify(out));
  const ms = Date.now() - t0;
  if (log) console.log(`web: built ${Object.keys(files).length} files into web/dist in ${ms} ms`);
  return { ...out, ms };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildWeb({ dev: process.argv.includes("--dev") }).catch((e) => {
    console.error(`web: build failed: ${e.message}`);
    process.exit(1);
  });
}
