// What PostgreSQL's backends of one database are doing, sampled every ~200 ms while a class runs (issue 16: what
// holds the server's pooled connections when its pool saturates). Run beside `bench/class.ts` (the class's database
// is created per run: `--like kubelab_class` picks the newest one whose name starts so).
//   npx tsx bench/class-pg-activity.ts [--like kubelab_class] [--every 200] [--seconds 200]
// Every 5 s it prints, over that window's samples: backends per state / wait event (mean per sample), the statement
// kinds of the non-idle ones, the oldest transaction seen, and checkpoints / WAL from pg_stat_bgwriter / pg_stat_wal.
import pg from "pg";

const args = process.argv.slice(2);
const val = (f: string, d: string) => (args.includes(f) ? args[args.indexOf(f) + 1] : d);
const like = val("--like", "kubelab_class");
const every = Number(val("--every", "200"));
const seconds = Number(val("--seconds", "240"));
const url = process.env.DATABASE_URL ?? "postgresql://root@127.0.0.1:5432/postgres";

const c = new pg.Client({ connectionString: url });
await c.connect();
const kind = (q: string) => {
  const s = q.replace(/\s+/g, " ").trim();
  if (s.startsWith("WITH v(id")) return "save (batch)";
  if (s.startsWith("WITH a AS ( UPDATE \"LabAttempt\"")) return "record grade";
  if (s.includes("FROM \"CommandLog\"") && s.startsWith("SELECT seq")) return "run log";
  if (s.startsWith("SELECT id, version FROM \"Cluster\"")) return "version poll";
  if (s.startsWith("SELECT a.id, r.\"checkpointId\"")) return "open attempt";
  if (s.includes("FROM \"Cluster\" WHERE id = $1::uuid AND \"deletedAt\" IS NULL AND (\"ownerId\"")) return "read cluster (readable)";
  if (s.includes("FROM \"Cluster\" WHERE id = $1::uuid AND \"ownerId\"")) return "read cluster (own)";
  return s.slice(0, 60);
};
let win: { n: number; byState: Map<string, number>; byKind: Map<string, number>; oldestXact: number; oldestQuery: string } = { n: 0, byState: new Map(), byKind: new Map(), oldestXact: 0, oldestQuery: "" };
const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
const stats = async (): Promise<Record<string, number>> => {
  const row = (await c.query(`SELECT checkpoints_timed + checkpoints_req AS ckpt, buffers_checkpoint, buffers_backend, (SELECT wal_bytes FROM pg_stat_wal) AS wal, (SELECT wal_sync FROM pg_stat_wal) AS syncs, (SELECT wal_sync_time FROM pg_stat_wal) AS sync_ms FROM pg_stat_bgwriter`)).rows[0] as Record<string, unknown>;
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v)]));
};
let prev = await stats();
const t0 = Date.now();
let lastPrint = t0;
while (Date.now() - t0 < seconds * 1000) {
  const r = await c.query(
    `SELECT state, coalesce(wait_event_type || '/' || wait_event, 'CPU') AS wait, query, extract(epoch FROM now() - xact_start) * 1000 AS xact_ms
       FROM pg_stat_activity WHERE datname LIKE $1 || '%' AND pid <> pg_backend_pid() AND backend_type = 'client backend'`,
    [like],
  );
  win.n++;
  for (const b of r.rows) {
    const st = b.state === "active" ? `active ${b.wait}` : b.state;
    bump(win.byState, st);
    if (b.state !== "idle") bump(win.byKind, `${b.state === "active" ? b.wait : b.state}: ${kind(b.query)}`);
    if (b.state !== "idle" && Number(b.xact_ms) > win.oldestXact) {
      win.oldestXact = Number(b.xact_ms);
      win.oldestQuery = `${b.state} ${kind(b.query)}`;
    }
  }
  if (Date.now() - lastPrint >= 5000) {
    const s = await stats();
    const per = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${(v / win.n).toFixed(2)} ${k}`).join(", ");
    console.log(`${((Date.now() - t0) / 1000).toFixed(0).padStart(4)} s  [${win.n} samples] ${per(win.byState)}`);
    console.log(`        busy: ${per(win.byKind) || "—"}`);
    console.log(`        oldest xact ${win.oldestXact.toFixed(0)} ms (${win.oldestQuery}); checkpoints +${s.ckpt - prev.ckpt}, buffers ckpt +${s.buffers_checkpoint - prev.buffers_checkpoint} backend +${s.buffers_backend - prev.buffers_backend}; WAL +${((s.wal - prev.wal) / 2 ** 20).toFixed(1)} MiB, syncs +${s.syncs - prev.syncs} (${(s.sync_ms - prev.sync_ms).toFixed(0)} ms)`);
    prev = s;
    lastPrint = Date.now();
    win = { n: 0, byState: new Map(), byKind: new Map(), oldestXact: 0, oldestQuery: "" };
  }
  await new Promise((r) => setTimeout(r, every));
}
await c.end();
