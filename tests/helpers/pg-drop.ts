// A connection the server drops, for the tests of what a pool does then (db-node, db-node-save-pool).
import pg from "pg";

/** The messages of the uncaught exceptions while `fn` runs. */
export async function uncaughtWhile(fn: () => Promise<void>): Promise<string[]> {
  const uncaught: string[] = [];
  const onUncaught = (err: Error) => uncaught.push(err.message);
  process.on("uncaughtException", onUncaught);
  try {
    await fn();
  } finally {
    process.off("uncaughtException", onUncaught);
  }
  return uncaught;
}

/** The server ends backend `pid` (from a connection of its own to `url`); it is gone from pg_stat_activity on return. */
export async function terminateBackend(url: string, pid: number): Promise<void> {
  const other = new pg.Client({ connectionString: url });
  await other.connect();
  try {
    await other.query(`SELECT pg_terminate_backend($1)`, [pid]);
    for (let i = 0; i < 100 && (await other.query(`SELECT 1 FROM pg_stat_activity WHERE pid = $1`, [pid])).rowCount !== 0; i++) await new Promise((r) => setTimeout(r, 20));
  } finally {
    await other.end();
  }
}
