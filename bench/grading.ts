// Grading benchmark: 1,000 submitted attempts stored in PostgreSQL (each a Cluster row holding the student's
// state, its command log, and a LabAttempt), graded in one batch the way a grading job does it: page through the
// submitted attempts, restore each cluster, grade it with engine/grading, write the score, the full report and
// one CheckpointResult per checkpoint. Reports attempts per second end to end, and the pure grading rate
// (restore + grade, no database) for comparison.
//   npx tsx bench/grading.ts [--quick]
import { randomUUID } from "node:crypto";
import pg from "pg";
import { Cluster } from "../engine/index.ts";
import { gradeLab, replayAttempt, type CommandEntry, type Lab } from "../engine/grading/index.ts";
import { listLabs } from "../labs/catalog.ts";
import { freshDatabase } from "./db.ts";
import { isMain, machineLine, now, printTable, row, type Row } from "./lib.ts";

export const ATTEMPTS = 1000;
const PAGE = 100;

interface Variant {
  lab: Lab;
  seed: number;
  commands: CommandEntry[];
  state: string;
}

/** Distinct student outcomes per lab: the full solution, half of it, and nothing done, on a few seeds. */
export function variants(seeds = 3): Variant[] {
  const out: Variant[] = [];
  for (const lab of listLabs()) {
    const sol = lab.solution;
    for (let s = 1; s <= seeds; s++)
      for (const cmds of [sol, sol.slice(0, Math.ceil(sol.length / 2)), []]) {
        const c = replayAttempt(lab, 1000 + s, cmds);
        out.push({ lab, seed: 1000 + s, commands: cmds, state: JSON.stringify(c.toJSON()) });
      }
  }
  return out;
}

async function store(pool: pg.Pool, vs: Variant[], n: number): Promise<void> {
  await pool.query(`INSERT INTO "User"(id, name) SELECT 'student-' || g, 'Student ' || g FROM generate_series(0, ${n - 1}) g`);
  for (let i = 0; i < n; i += 50) {
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      for (let j = i; j < Math.min(n, i + 50); j++) {
        const v = vs[j % vs.length];
        const id = randomUUID();
        const user = `student-${j}`;
        await client.query(
          `INSERT INTO "Cluster"(id, "ownerId", "courseId", name, "labSlug", seed, state, version, "updatedAt") VALUES ($1, $2, 'course-1', $3, $4, $5, $6, $7, now())`,
          [id, user, v.lab.slug, v.lab.slug, v.seed, v.state, v.commands.length + 1],
        );
        if (v.commands.length)
          await client.query(
            `INSERT INTO "CommandLog"("clusterId", seq, "virtualTime", "actorId", operation, input, stdout, stderr, "exitCode")
             SELECT $1, 1 + o, '2021-12-05T16:00:00Z', $2, 'exec', x->>'line', '', '', 0 FROM jsonb_array_elements($3::jsonb) WITH ORDINALITY AS t(x, o)`,
            [id, user, JSON.stringify(v.commands)],
          );
        await client.query(`INSERT INTO "LabAttempt"(id, "userId", "courseId", "clusterId", "labSlug", "submittedAt") VALUES ($1, $2, 'course-1', $3, $4, now())`, [
          randomUUID(),
          user,
          id,
          v.lab.slug,
        ]);
      }
      await client.query("COMMIT");
    } finally {
      client.release();
    }
  }
}

interface Timings {
  read: number;
  restore: number;
  grade: number;
  write: number;
}

interface Page {
  rows: { id: string; labSlug: string; clusterId: string; state: string }[];
  logs: Map<string, CommandEntry[]>;
}

async function readPage(pool: pg.Pool, after: string | null): Promise<Page> {
  const page = await pool.query(
    // The page's ids first, then the states: with the join under the LIMIT, PostgreSQL would turn every remaining
    // state into text before the top-N sort (a page cost O(attempts left), the batch O(n²)).
    `SELECT p.id, p."labSlug", p."clusterId", c.state
       FROM (SELECT id, "labSlug", "clusterId" FROM "LabAttempt"
              WHERE "submittedAt" IS NOT NULL AND score IS NULL AND ($1::uuid IS NULL OR id > $1::uuid)
              ORDER BY id LIMIT ${PAGE}) p
       JOIN "Cluster" c ON c.id = p."clusterId"
      ORDER BY p.id`,
    [after],
  );
  const logs = new Map<string, CommandEntry[]>();
  if (page.rowCount) {
    const l = await pool.query(`SELECT "clusterId", input FROM "CommandLog" WHERE "clusterId" = ANY($1::uuid[]) ORDER BY "clusterId", seq`, [page.rows.map((r) => r.clusterId)]);
    for (const x of l.rows) {
      const list = logs.get(x.clusterId) ?? [];
      list.push({ line: x.input });
      logs.set(x.clusterId, list);
    }
  }
  return { rows: page.rows, logs };
}

interface Graded {
  id: string;
  score: number;
  max: number;
  report: string;
  cps: unknown[][];
}

async function writePage(pool: pg.Pool, results: Graded[]): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query(
      `UPDATE "LabAttempt" a SET score = v.score, "maxScore" = v.max, results = v.report::jsonb
         FROM (SELECT * FROM unnest($1::uuid[], $2::float8[], $3::float8[], $4::text[]) AS x(id, score, max, report)) v
        WHERE a.id = v.id`,
      [results.map((x) => x.id), results.map((x) => x.score), results.map((x) => x.max), results.map((x) => x.report)],
    );
    const cps = results.flatMap((x) => x.cps);
    await client.query(
      `INSERT INTO "CheckpointResult"("attemptId", "checkpointId", passed, score, "maxScore", message)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::bool[], $4::float8[], $5::float8[], $6::text[])
       ON CONFLICT ("attemptId", "checkpointId") DO UPDATE SET passed = EXCLUDED.passed, score = EXCLUDED.score, "maxScore" = EXCLUDED."maxScore", message = EXCLUDED.message, "checkedAt" = now()`,
      [0, 1, 2, 3, 4, 5].map((k) => cps.map((cp) => cp[k])),
    );
    await client.query("COMMIT");
  } catch (e) {
    await client.query("ROLLBACK").catch(() => {});
    throw e;
  } finally {
    client.release();
  }
}

/**
 * The grading job: every submitted, ungraded attempt, a page at a time (keyset pagination). Pipelined: while one
 * page is graded in Node, PostgreSQL already reads the next and writes the previous one (the database work runs on
 * the other core). `t` gets the time spent waiting for reads and writes and grading.
 */
export async function gradeBatch(pool: pg.Pool, labs: Map<string, Lab>, t: Timings): Promise<number> {
  let graded = 0;
  let t0 = now();
  let next: Promise<Page> | undefined = readPage(pool, null);
  let writing: Promise<void> = Promise.resolve();
  while (next) {
    const page: Page = await next;
    t.read += now() - t0;
    if (!page.rows.length) break;
    next = page.rows.length === PAGE ? readPage(pool, page.rows[page.rows.length - 1].id) : undefined;
    const results: Graded[] = [];
    for (const r of page.rows) {
      const lab = labs.get(r.labSlug);
      if (!lab) throw new Error(`no lab ${r.labSlug}`);
      const a = now();
      const c = Cluster.fromJSON(r.state);
      const b = now();
      const g = gradeLab(lab, c, { commandLog: page.logs.get(r.clusterId) ?? [] });
      t.restore += b - a;
      t.grade += now() - b;
      results.push({
        id: r.id,
        score: g.score,
        max: g.maxScore,
        report: JSON.stringify(g),
        cps: g.checkpoints.map((cp) => [r.id, cp.id, cp.passed, cp.points, cp.maxPoints, cp.explanation]),
      });
    }
    t0 = now();
    await writing;
    t.write += now() - t0;
    writing = writePage(pool, results);
    graded += page.rows.length;
    t0 = now();
  }
  t0 = now();
  await writing;
  t.write += now() - t0;
  return graded;
}

export async function runGrading(opts: { quick?: boolean } = {}): Promise<Row[]> {
  const rows: Row[] = [];
  const G = "grading";
  const n = opts.quick ? 300 : ATTEMPTS;
  const labs = listLabs();
  if (!labs.length) throw new Error("no labs in the catalog");
  const labBySlug = new Map(labs.map((l) => [l.slug, l]));
  let t0 = now();
  const vs = variants(opts.quick ? 1 : 3);
  rows.push(row(G, `prepare ${vs.length} distinct attempts (replay of ${labs.length} labs' solutions)`, now() - t0, "ms", `avg state ${Math.round(vs.reduce((s, v) => s + v.state.length, 0) / vs.length)} B`));

  // Pure grading rate: restore + grade, no database (warm up on one pass first).
  for (const v of vs) gradeLab(v.lab, Cluster.fromJSON(v.state), { commandLog: v.commands });
  t0 = now();
  let done = 0;
  while (done < n) {
    const v = vs[done % vs.length];
    gradeLab(v.lab, Cluster.fromJSON(v.state), { commandLog: v.commands });
    done++;
  }
  const pure = now() - t0;
  rows.push(row(G, `restore + grade ${n} attempts, in memory`, n / (pure / 1000), "attempts/s", `${(pure / n).toFixed(2)} ms each`));

  const db = await freshDatabase("kubelab_bench_grading");
  const pool = new pg.Pool({ connectionString: db.url, max: 4 });
  try {
    await store(pool, vs, n);
    const t: Timings = { read: 0, restore: 0, grade: 0, write: 0 };
    t0 = now();
    const graded = await gradeBatch(pool, labBySlug, t);
    const total = now() - t0;
    const check = (await pool.query(`SELECT count(*)::int AS n, count(*) FILTER (WHERE score IS NOT NULL)::int AS g FROM "LabAttempt"`)).rows[0];
    if (graded !== n || check.g !== n) throw new Error(`graded ${graded}, stored scores ${check.g} of ${n}`);
    const cps = (await pool.query(`SELECT count(*)::int AS n FROM "CheckpointResult"`)).rows[0].n;
    const rate = n / (total / 1000);
    rows.push(
      row(G, `grade ${n} stored attempts (batch, PostgreSQL)`, rate, "attempts/s", `${Math.round(total)} ms (pipelined): waiting for reads ${Math.round(t.read)}, restore ${Math.round(t.restore)}, grade ${Math.round(t.grade)}, waiting for writes ${Math.round(t.write)} ms; ${cps} checkpoint rows`, {
        op: ">=",
        value: 2000,
        text: ">= 2,000/s",
      }),
    );
  } finally {
    await pool.end();
    await db.drop();
  }
  return rows;
}

if (isMain(import.meta.url)) {
  const quick = process.argv.includes("--quick");
  console.log(`kubelab grading bench — ${new Date().toISOString()} — ${machineLine()}`);
  printTable("grading", await runGrading({ quick }));
}
