// What a progress check or a submit reads before it records a grade: the cluster's open lab attempt (created on
// first use) and the first-pass times its checkpoints already have — in SQL on the hot path's SqlClient (api/db/sql.ts)
// rather than Prisma's model API. A class sends a check per student about every minute and a submit per solution;
// through Prisma those reads cost about a millisecond of server CPU each (its query compiler, parameter and result
// mapping) and a submit made four of them: half of its CPU (bench/README.md, "the server's CPU in a class").
// No value import from the generated client: api/ is also bundled for Workers.
import type { SqlClient } from "./sql.ts";

/** The open attempt of a cluster, as a grade is recorded into it. */
export interface OpenAttemptProgress {
  attemptId: string;
  /** checkpoint id → the first time it passed in this attempt (only checkpoints that have passed). */
  firstPassedAt: Record<string, Date>;
}

// The open attempt (at most one per cluster: unique "openClusterId") with each checkpoint that has passed in it; no
// row when the cluster has none, one row with NULLs when it has one and nothing passed yet.
const OPEN_SQL = `SELECT a.id, r."checkpointId", r."firstPassedAt" FROM "LabAttempt" a
  LEFT JOIN "CheckpointResult" r ON r."attemptId" = a.id AND r."firstPassedAt" IS NOT NULL
  WHERE a."openClusterId" = $1::uuid`;

// ON CONFLICT DO NOTHING: two first checks racing create one attempt (the other reads it on its next turn).
const CREATE_SQL = `INSERT INTO "LabAttempt" (id, "userId", "courseId", "clusterId", "labSlug", "openClusterId")
  VALUES ($1::uuid, $2, $3, $4::uuid, $5, $4::uuid) ON CONFLICT DO NOTHING RETURNING id`;

export interface AttemptOwner {
  clusterId: string;
  userId: string;
  courseId: string | null;
  labSlug: string;
}

/** The cluster's open attempt and its first passes; the attempt is created (with none) when the cluster has none. */
/** OPEN_SQL's rows: the attempt alone (nothing has passed), or the attempt with one checkpoint that has passed. */
type OpenRow = { id: string; checkpointId: null; firstPassedAt: null } | { id: string; checkpointId: string; firstPassedAt: Date };

export async function openAttemptProgress(db: SqlClient, o: AttemptOwner): Promise<OpenAttemptProgress> {
  for (let i = 0; i < 3; i++) {
    const rows = await db.query<OpenRow>(OPEN_SQL, [o.clusterId]);
    if (rows.length) {
      const firstPassedAt: Record<string, Date> = {};
      for (const r of rows) if (r.checkpointId !== null) firstPassedAt[r.checkpointId] = r.firstPassedAt;
      return { attemptId: rows[0].id, firstPassedAt };
    }
    const made = await db.query<{ id: string }>(CREATE_SQL, [crypto.randomUUID(), o.userId, o.courseId, o.clusterId, o.labSlug]);
    if (made.length) return { attemptId: made[0].id, firstPassedAt: {} };
  }
  throw new Error(`could not open an attempt for cluster ${o.clusterId}`);
}
