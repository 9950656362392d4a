// The few SQL statements of the hot paths (the cluster mutation, batch grading) go through this small interface
// instead of Prisma's model API, so each database connection can take its fastest route:
//   - prismaSql: any Prisma client or interactive-transaction client ($queryRawUnsafe / $executeRawUnsafe). Works
//     everywhere the API runs: PostgreSQL through adapter-pg, embedded PGlite, Workers through Hyperdrive.
//   - pgSql (api/db/pg-sql.ts, Node only): the same statements straight on a `pg` pool, for a PostgreSQL server.
//     Prisma's raw-query path costs more CPU per statement than the statement itself (parameters JSON-encoded and
//     decoded through its query compiler, tracing spans, result mapping): ~2 ms of a ~3 ms mutation on this machine.
// Both take `$1`-numbered parameters and give rows with the column types PostgreSQL's text protocol maps to in
// node-postgres and in Prisma alike for what these statements select: text, int4, timestamptz (Date), jsonb (value).
// No value import from the generated client or from `pg`: api/ is also bundled for Workers.

export interface TransactionOptions {
  /** Longest wait for a connection, ms. */
  maxWait: number;
  /** Longest the whole transaction may take, ms (including waits for row locks). */
  timeout: number;
}

export interface SqlClient {
  /** The rows a statement returns. */
  query<T>(text: string, params: readonly unknown[]): Promise<T[]>;
  /** The number of rows a statement changed. */
  execute(text: string, params: readonly unknown[]): Promise<number>;
  /** `fn` inside one transaction on one connection: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: SqlClient) => Promise<T>, opts: TransactionOptions): Promise<T>;
}

/** What prismaSql needs of a Prisma client (or of an interactive transaction's client, which cannot nest). */
export interface PrismaRaw {
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): PromiseLike<T>;
  $executeRawUnsafe(query: string, ...values: unknown[]): PromiseLike<number>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the generated clients type `tx` each their own way
  $transaction?: <T>(fn: (tx: any) => Promise<T>, opts?: TransactionOptions) => Promise<T>;
}

export function prismaSql(db: PrismaRaw): SqlClient {
  return {
    query: async <T>(text: string, params: readonly unknown[]) => (await db.$queryRawUnsafe<T[]>(text, ...params)) as T[],
    execute: async (text, params) => db.$executeRawUnsafe(text, ...params),
    transaction: <T>(fn: (tx: SqlClient) => Promise<T>, opts: TransactionOptions) => {
      if (!db.$transaction) throw new Error("prismaSql: transactions do not nest");
      return db.$transaction((tx: PrismaRaw) => fn(prismaSql(tx)), opts);
    },
  };
}

/**
 * The SQLSTATE PostgreSQL answered a failed statement with, read from a `pg` error (which carries the server's
 * severity with it), from Prisma's wrapping of one (P2010 with the driver's code, from raw queries), or from the
 * driver adapter's own error, which Prisma 7 throws unwrapped from a model query inside an interactive transaction (a
 * serializable write conflict arrives so: DriverAdapterError, cause { originalCode: "40001" }, no `code`). Undefined
 * when the error did not come from the server — a lost connection, a timeout on the client —, after which nobody
 * knows whether the statement ran.
 */
export function sqlStateOf(e: unknown): string | undefined {
  const err = e as
    | { name?: unknown; code?: unknown; severity?: unknown; cause?: { originalCode?: unknown }; meta?: { driverAdapterError?: { cause?: { originalCode?: unknown } } } }
    | undefined;
  if (typeof err?.code === "string" && typeof err.severity === "string") return err.code;
  if (err?.name === "DriverAdapterError" && typeof err.cause?.originalCode === "string") return err.cause.originalCode;
  const sqlState = err?.meta?.driverAdapterError?.cause?.originalCode;
  return err?.code === "P2010" && typeof sqlState === "string" ? sqlState : undefined;
}

/**
 * SQLSTATEs after which the same work may simply run again: 23505 unique violation (a log seq taken by a racing
 * writer), 40001 serialization failure, 40P01 deadlock. Reads the code from a `pg` error and from Prisma's wrapping
 * of it (P2002 / P2034 from model queries, P2010 with the driver's code from raw ones, the adapter's own error
 * unwrapped: sqlStateOf).
 */
export function isRetryableSqlError(e: unknown): boolean {
  const code = (e as { code?: unknown } | undefined)?.code;
  if (code === "P2002" || code === "P2034") return true;
  const sqlState = sqlStateOf(e);
  return sqlState !== undefined && ["23505", "40001", "40P01"].includes(sqlState);
}
