#!/usr/bin/env node
// Cloudflare Workers, offline:
//   node scripts/worker.mjs build   wrangler deploy --dry-run: bundle api/worker.ts into dist/worker (no upload)
//   node scripts/worker.mjs dev     wrangler dev on 127.0.0.1:8787 against DATABASE_URL (default: local test db)
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const wrangler = join(root, "node_modules", "wrangler", "bin", "wrangler.js");
const logDir = join(root, ".wrangler", "logs");
mkdirSync(logDir, { recursive: true });
const env = {
  ...process.env,
  WRANGLER_SEND_METRICS: "false",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  WRANGLER_LOG_PATH: logDir,
  NO_UPDATE_NOTIFIER: "1",
};

function withPassword(url) {
  const u = new URL(url);
  if (!u.password) u.password = "kubelab"; // wrangler insists on one; trust auth ignores it
  if (!u.username) u.username = "root";
  return u.toString();
}

const cmd = process.argv[2];
// The Worker bundles the web lab's files (api/worker.ts imports web/dist/assets.json): build them first.
{
  const { buildWeb } = await import("./build-web.mjs");
  await buildWeb();
}
if (cmd === "build") {
  const outdir = process.argv[3] ?? join(root, "dist", "worker");
  const r = spawnSync(process.execPath, [wrangler, "deploy", "--dry-run", "--outdir", outdir, "--minify"], { stdio: "inherit", env, cwd: root });
  process.exit(r.status ?? 1);
} else if (cmd === "dev") {
  const url = withPassword(process.env.DATABASE_URL ?? "postgresql://root@127.0.0.1:5432/test");
  const secret = process.env.JWT_SECRET ?? (await import("node:crypto")).randomBytes(32).toString("base64url");
  if (!process.env.JWT_SECRET) console.log(`wrangler dev: JWT_SECRET for this run: ${secret}`);
  const port = process.env.WORKER_PORT ?? "8787";
  const child = spawn(process.execPath, [wrangler, "dev", "--ip", "127.0.0.1", "--port", port, "--var", `JWT_SECRET:${secret}`, "--var", "ENVIRONMENT:development", ...process.argv.slice(3)], {
    stdio: "inherit",
    env: { ...env, CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE: url },
    cwd: root,
  });
  const stop = () => child.kill("SIGTERM");
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  child.on("exit", (code) => process.exit(code ?? 0));
} else {
  console.error("usage: node scripts/worker.mjs build [outdir] | dev [wrangler dev flags]");
  process.exit(2);
}
