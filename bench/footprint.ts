// Footprint: (1) what PostgreSQL stores per student cluster after the course walkthrough — every lab's cluster
// after its reference solution, stored as the API stores it (Cluster.state, JSON text), measured with pg_column_size
// (TOAST-compressed, what the table really holds) and as text; (2) the Cloudflare Workers bundle, raw and gzip,
// from `wrangler deploy --dry-run --outdir`.
//   npx tsx bench/footprint.ts
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import pg from "pg";
import { replayAttempt } from "../engine/grading/index.ts";
import { listLabs } from "../labs/catalog.ts";
import { freshDatabase } from "./db.ts";
import { isMain, machineLine, printTable, progress, row, type Row } from "./lib.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

export async function clusterFootprint(): Promise<Row[]> {
  const rows: Row[] = [];
  const labs = listLabs();
  const db = await freshDatabase("kubelab_bench_footprint");
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    await client.query(`INSERT INTO "User"(id) VALUES ('walkthrough')`);
    const sizes: { slug: string; stored: number; text: number; pods: number }[] = [];
    for (const lab of labs) {
      const c = replayAttempt(lab, 42, lab.solution);
      const text = c.toJSONText();
      // pg_column_size must be read back from the table: RETURNING sees the value before TOAST compresses it.
      const ins = await client.query(
        `INSERT INTO "Cluster"(id, "ownerId", name, "labSlug", seed, state, "updatedAt") VALUES (gen_random_uuid(), 'walkthrough', $1, $1, 42, $2, now()) RETURNING id`,
        [lab.slug, text],
      );
      const r = await client.query(`SELECT pg_column_size(state) AS stored, octet_length(state) AS text FROM "Cluster" WHERE id = $1`, [ins.rows[0].id]);
      sizes.push({ slug: lab.slug, stored: Number(r.rows[0].stored), text: Number(r.rows[0].text), pods: c.list("Pod").length });
    }
    sizes.sort((a, b) => b.stored - a.stored);
    const mean = sizes.reduce((s, x) => s + x.stored, 0) / sizes.length;
    const worst = sizes[0];
    rows.push(
      row("footprint", `stored per student cluster after the walkthrough (largest of ${sizes.length} labs)`, worst.stored / 1024, "KiB", `${worst.slug}: ${worst.pods} pods, ${(worst.text / 1024).toFixed(1)} KiB as JSON text; mean ${(mean / 1024).toFixed(1)} KiB`, {
        op: "<=",
        value: 8,
        text: "<= 8 KiB",
      }),
    );
    rows.push(row("footprint", "per lab (pg_column_size / JSON text)", mean / 1024, "KiB mean", sizes.map((s) => `${s.slug} ${(s.stored / 1024).toFixed(1)}/${(s.text / 1024).toFixed(1)}`).join(", ")));
  } finally {
    await client.end();
    await db.drop();
  }
  return rows;
}

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(p));
    else out.push(p);
  }
  return out;
}

export async function workerBundle(): Promise<Row[]> {
  const config = ["wrangler.toml", "wrangler.jsonc", "wrangler.json"].find((f) => existsSync(join(ROOT, f)));
  if (!config) return [row("footprint", "Workers bundle", NaN, "", "no wrangler config in the repo yet")];
  const out = mkdtempSync(join(tmpdir(), "kubelab-bundle-"));
  const logs = mkdtempSync(join(tmpdir(), "kubelab-wrangler-logs-"));
  try {
    const wrangler = join(ROOT, "node_modules", "wrangler", "bin", "wrangler.js");
    await new Promise<void>((resolve, reject) =>
      execFile(
        process.execPath,
        [wrangler, "deploy", "--dry-run", "--outdir", out, "--minify"],
        { cwd: ROOT, env: { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_LOG_PATH: logs }, maxBuffer: 16 * 1024 * 1024 },
        (err, _stdout, stderr) => (err ? reject(new Error(`wrangler deploy --dry-run failed: ${stderr.slice(-1500)}`)) : resolve()),
      ),
    );
    // What is uploaded: the modules (JS and wasm), not source maps.
    const files = filesUnder(out).filter((f) => !f.endsWith(".map") && !f.endsWith("README.md"));
    let raw = 0;
    let gz = 0;
    const parts: string[] = [];
    for (const f of files) {
      const buf = readFileSync(f);
      const g = gzipSync(buf, { level: 9 }).length;
      raw += statSync(f).size;
      gz += g;
      parts.push(`${relative(out, f)} ${(buf.length / 1024).toFixed(0)}/${(g / 1024).toFixed(0)} KiB`);
    }
    const MiB = 1024 * 1024;
    return [
      row("footprint", "Workers bundle, raw (--minify)", raw / MiB, "MiB", parts.join(", ")),
      row("footprint", "Workers bundle, gzip", gz / MiB, "MiB", `${files.length} files`, { op: "<", value: 3, text: "< 3 MiB" }),
    ];
  } finally {
    rmSync(out, { recursive: true, force: true });
    rmSync(logs, { recursive: true, force: true });
  }
}

export async function runFootprint(): Promise<Row[]> {
  progress("footprint: student clusters after the walkthrough");
  const a = await clusterFootprint();
  progress("footprint: Workers bundle");
  const b = await workerBundle();
  return [...a, ...b];
}

if (isMain(import.meta.url)) {
  console.log(`kubelab footprint — ${new Date().toISOString()} — ${machineLine()}`);
  printTable("footprint", await runFootprint());
}
