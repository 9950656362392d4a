// The mutation path's persistence, in SQL: a cluster row read with its state as JSON text (parsed once, by the
// engine), and the new state + version + command-log entry written by ONE statement from one JSON.stringify.
// Prisma's Json handling would walk the ~20 KB state node by node on the way in and convert it on the way out; here
// it only ever sees one string parameter.
//
// Everything takes the client to run on, so it works the same on a PrismaClient and inside an interactive
// transaction (`$transaction(async (tx) => ...)`), on PostgreSQL (adapter-pg, Hyperdrive) and on PGlite.
// No value import from the generated client: api/ is also bundled for Workers with the workerd client.
import type { Cluster as ClusterRow, CommandLog } from "../generated/prisma/client.ts";

/** What these helpers need of a Prisma client or of an interactive transaction's client. */
export interface RawSql {
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): PromiseLike<T>;
  $executeRawUnsafe(query: string, ...values: unknown[]): PromiseLike<number>;
}

/** A cluster row whose `state` is the stored JSON as text (a string, not the parsed value). */
export type ClusterRowText = ClusterRow & { state: string };

const COLUMNS = `id, "ownerId", "courseId", name, "labSlug", seed, state::text AS state, version, "createdAt", "updatedAt", "deletedAt"`;

const SELECT_OWN = `SELECT ${COLUMNS} FROM "Cluster" WHERE id = $1::uuid AND "ownerId" = $2 AND "deletedAt" IS NULL`;

/**
 * The owner's live cluster, state as text. `lock`: `FOR NO KEY UPDATE`, so concurrent mutations of this cluster (from
 * any process) queue on the row until this transaction ends, instead of racing to the version check; only
 * meaningful inside a transaction. NO KEY: inserts that merely reference the row (command log, lab attempts) take
 * KEY SHARE, which this does not block.
 */
export async function loadOwnCluster(db: RawSql, id: string, ownerId: string, opts: { lock?: boolean } = {}): Promise<ClusterRowText | null> {
  const rows = await db.$queryRawUnsafe<ClusterRowText[]>(opts.lock ? `${SELECT_OWN} FOR NO KEY UPDATE` : SELECT_OWN, id, ownerId);
  return rows[0] ?? null;
}

// The UPDATE and the INSERT in one statement: the log row is inserted only for the row the version check matched,
// so a lost race writes nothing at all (0 rows) and the statement is atomic without a transaction around it.
const saveSql = (markDeleted: boolean) => `WITH u AS (
  UPDATE "Cluster" SET state = $1::jsonb, version = $2::int, "updatedAt" = $3::timestamptz${markDeleted ? `, "deletedAt" = $3::timestamptz` : ""}
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
export async function saveMutation(db: RawSql, m: SaveMutation): Promise<boolean> {
  const l = m.log;
  const n = await db.$executeRawUnsafe(
    m.markDeleted ? SAVE_AND_DELETE : SAVE,
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
  );
  return n === 1;
}

// ---- the stored form, as the database gives it back ----

const utf8 = new TextEncoder();

/** PostgreSQL's jsonb key order: shorter keys first (in UTF-8 bytes), then byte by byte. */
function jsonbKeyCompare(a: [Uint8Array, string], b: [Uint8Array, string]): number {
  const x = a[0];
  const y = b[0];
  if (x.length !== y.length) return x.length - y.length;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return 0;
}

/**
 * A JSON value as it comes back from a jsonb column: same values and array order, object keys in jsonb's order
 * (not the order they were written in). The cluster state lives in such a column and every mutation restores the
 * engine from it, so anything that must act exactly like the live path (regrading by replay) restores from this.
 */
export function asStoredJson(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(asStoredJson);
  if (v === null || typeof v !== "object") return v;
  const entries: [Uint8Array, string][] = [];
  for (const k of Object.keys(v)) if ((v as Record<string, unknown>)[k] !== undefined) entries.push([utf8.encode(k), k]);
  entries.sort(jsonbKeyCompare);
  const out: Record<string, unknown> = {};
  for (const [, k] of entries) Object.defineProperty(out, k, { value: asStoredJson((v as Record<string, unknown>)[k]), enumerable: true, writable: true, configurable: true });
  return out;
}
