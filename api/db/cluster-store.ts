// The mutation path's persistence, in SQL: a cluster row read with its state (JSON text, parsed once, by the
// engine), and the new state + version + command-log entry written by ONE statement from one serialisation.
//
// Everything takes the SqlClient to run on (api/db/sql.ts: through Prisma, or straight on a pg pool), so it works
// the same on a client and inside a transaction, on PostgreSQL (pg, adapter-pg, Hyperdrive) and on PGlite.
// No value import from the generated client: api/ is also bundled for Workers with the workerd client.
import type { Cluster as ClusterRow, CommandLog } from "../generated/prisma/client.ts";
import type { SqlClient } from "./sql.ts";

const COLUMNS = `id, "ownerId", "courseId", name, "labSlug", seed, state, version, "createdAt", "updatedAt", "deletedAt"`;

const SELECT_OWN = `SELECT ${COLUMNS} FROM "Cluster" WHERE id = $1::uuid AND "ownerId" = $2 AND "deletedAt" IS NULL`;

/**
 * The owner's live cluster, state as text. `lock`: `FOR NO KEY UPDATE`, so concurrent mutations of this cluster (from
 * any process) queue on the row until this transaction ends, instead of racing to the version check; only
 * meaningful inside a transaction. NO KEY: inserts that merely reference the row (command log, lab attempts) take
 * KEY SHARE, which this does not block.
 */
export async function loadOwnCluster(db: SqlClient, id: string, ownerId: string, opts: { lock?: boolean } = {}): Promise<ClusterRow | null> {
  const rows = await db.query<ClusterRow>(opts.lock ? `${SELECT_OWN} FOR NO KEY UPDATE` : SELECT_OWN, [id, ownerId]);
  return rows[0] ?? null;
}

const SELECT_READABLE = `SELECT ${COLUMNS} FROM "Cluster" WHERE id = $1::uuid AND "deletedAt" IS NULL AND ("ownerId" = $2 OR "courseId" = $3)`;

/**
 * A live cluster `ownerId` may read: their own, or (with `courseId`, for instructors and graders) any cluster of that
 * course. The same rule as api/clusters.ts readableWhere, on the hot path's SqlClient.
 */
export async function loadReadableCluster(db: SqlClient, id: string, ownerId: string, courseId: string | null): Promise<ClusterRow | null> {
  const rows = await db.query<ClusterRow>(SELECT_READABLE, [id, ownerId, courseId]);
  return rows[0] ?? null;
}

// The UPDATE and the INSERT in one statement: the log row is inserted only for the row the version check matched,
// so a lost race writes nothing at all (0 rows) and the statement is atomic without a transaction around it.
const saveSql = (markDeleted: boolean) => `WITH u AS (
  UPDATE "Cluster" SET state = $1::text, version = $2::int, "updatedAt" = $3::timestamptz${markDeleted ? `, "deletedAt" = $3::timestamptz` : ""}
  WHERE id = $4::uuid AND version = $5::int AND "deletedAt" IS NULL
  RETURNING id
)
INSERT INTO "CommandLog"("clusterId", seq, at, "virtualTime", "actorId", operation, host, input, stdin, stdout, stderr, "exitCode", replay)
SELECT u.id, $2::int, $3::timestamptz, $6::text, $7::text, $8::text, $9::text, $10::text, $11::text, $12::text, $13::text, $14::int, $15::jsonb FROM u`;
const SAVE = saveSql(false);
const SAVE_AND_DELETE = saveSql(true);

export interface SaveMutation {
  /** The version the mutation read; the row is written only if it still has it. */
  fromVersion: number;
  /** The new state, serialised once. */
  stateText: string;
  /** Soft-delete the cluster (deletedAt = log.at). */
  markDeleted?: boolean;
  /** The log entry: `seq` is the new version, `at` also becomes the row's updatedAt; `replay` (JSON) is optional. */
  log: Omit<CommandLog, "replay"> & { replay?: CommandLog["replay"] };
}

/** Write state + version + log entry; false when the version moved on (nothing written). */
export async function saveMutation(db: SqlClient, m: SaveMutation): Promise<boolean> {
  const l = m.log;
  const n = await db.execute(m.markDeleted ? SAVE_AND_DELETE : SAVE, [
    m.stateText,
    l.seq,
    l.at,
    l.clusterId,
    m.fromVersion,
    l.virtualTime,
    l.actorId,
    l.operation,
    l.host,
    l.input,
    l.stdin,
    l.stdout,
    l.stderr,
    l.exitCode,
    l.replay == null ? null : JSON.stringify(l.replay),
  ]);
  return n === 1;
}
