// The mutation path's persistence, in SQL: a cluster row read with its state (JSON text, parsed once, by the
// engine), and the new state + version + command-log entry written by ONE statement from one serialisation — for
// one cluster, or for several at once (api/db/save-batcher.ts groups the saves that arrive together).
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

// The UPDATE and the INSERT in one statement, for one cluster or for several (api/db/save-batcher.ts): a log row is
// inserted only for a row its version check matched, so a lost race writes nothing at all for that cluster and the
// statement is atomic without a transaction around it. A row another transaction holds locked (a writer in another
// process, queued on the row: mutateCluster's contended path) is skipped, not waited for: that save answers false at
// once, like a lost race, and runs again in that queue — so a statement never waits behind another writer, and saves
// batched together never hold each other up nor deadlock. A transaction's own lock never makes it skip its own row.
// Each save is one VALUES row: saveParams, of these types.
const VALUE_TYPES = ["uuid", "int", "int", "text", "timestamptz", "boolean", "text", "text", "text", "text", "text", "text", "text", "text", "int", "jsonb"];
const saveSqls: string[] = [];
// Stryker disable all: resets for mutation testing, which runs every variant of the module in one process
/** Forget the statements built so far (tests/setup/api-module-state.ts: each test file builds them afresh). */
export function forgetSaveSqls(): void {
  saveSqls.length = 0;
}
// Stryker restore all
/** The statement that saves `n` mutations (their parameters: saveParams of each, in order); returns the saved ids. */
export function saveManySql(n: number): string {
  return (saveSqls[n] ??= `WITH v(id, "fromVersion", seq, state, at, "markDeleted", "virtualTime", "actorId", operation, host, input, stdin, stdout, stderr, "exitCode", replay) AS (
  VALUES ${Array.from({ length: n }, (_, r) => `(${VALUE_TYPES.map((t, c) => `$${r * VALUE_TYPES.length + c + 1}::${t}`).join(", ")})`).join(",\n    ")}
), u AS (
  UPDATE "Cluster" c SET state = COALESCE(v.state, c.state), version = v.seq, "updatedAt" = v.at, "deletedAt" = CASE WHEN v."markDeleted" THEN v.at ELSE c."deletedAt" END
  FROM v WHERE c.id = v.id AND c.version = v."fromVersion" AND c."deletedAt" IS NULL
    AND c.id IN (SELECT id FROM "Cluster" WHERE id IN (SELECT id FROM v) FOR NO KEY UPDATE SKIP LOCKED)
  RETURNING c.id
)
INSERT INTO "CommandLog"("clusterId", seq, at, "virtualTime", "actorId", operation, host, input, stdin, stdout, stderr, "exitCode", replay)
SELECT v.id, v.seq, v.at, v."virtualTime", v."actorId", v.operation, v.host, v.input, v.stdin, v.stdout, v.stderr, v."exitCode", v.replay
FROM v JOIN u ON u.id = v.id
RETURNING "clusterId"`);
}

/** One save's parameters for saveManySql, in its column order. */
export function saveParams(m: SaveMutation): unknown[] {
  const l = m.log;
  return [
    l.clusterId,
    m.fromVersion,
    l.seq,
    m.stateUnchanged ? null : m.stateText,
    l.at,
    m.markDeleted ?? false,
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
  ];
}

export interface SaveMutation {
  /** The version the mutation read; the row is written only if it still has it. */
  fromVersion: number;
  /** The new state, serialised once. */
  stateText: string;
  /**
   * The row's state text at `fromVersion` is `stateText` already (a command that changed nothing, `kubectl get`):
   * the statement then keeps the stored text instead of sending ~10 KB that PostgreSQL would compress, TOAST and log
   * again (the version, updatedAt and the log entry are written as always). Set by the mutation path when the
   * engine's change mark did not move (api/clusters.ts), and by SaveBatcher from what it saved itself; the version
   * check is what makes it safe: the stored text is fromVersion's.
   */
  stateUnchanged?: boolean;
  /** Soft-delete the cluster (deletedAt = log.at). */
  markDeleted?: boolean;
  /** The log entry: `seq` is the new version, `at` also becomes the row's updatedAt; `replay` (JSON) is optional. */
  log: Omit<CommandLog, "replay"> & { replay?: CommandLog["replay"] };
}

/** Write state + version + log entry; false when the version moved on or another writer holds the row (nothing written). */
export async function saveMutation(db: SqlClient, m: SaveMutation): Promise<boolean> {
  return (await db.query(saveManySql(1), saveParams(m))).length === 1;
}

/**
 * The same save, but one that waits for a lock on the row instead of skipping it: for a save sent again after its
 * batch failed. PostgreSQL sends a statement's error before its backend has rolled back and released the rows it
 * locked (node-postgres answers the caller on the error), so a save sent again at once could find its own row still
 * locked by its own failed batch and answer a false "lost race"; waiting makes the version check decide. Without the
 * skipping sub-select the UPDATE itself waits for the row, then checks the version on the row as it is then.
 */
export async function saveMutationWaiting(db: SqlClient, m: SaveMutation): Promise<boolean> {
  // (built at each call: the path is rare, and a statement kept from one call would hide this line from the tests of later ones)
  const text = saveManySql(1).replace(` AND c.id IN (SELECT id FROM "Cluster" WHERE id IN (SELECT id FROM v) FOR NO KEY UPDATE SKIP LOCKED)`, "");
  return (await db.query(text, saveParams(m))).length === 1;
}
