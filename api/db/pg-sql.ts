// SqlClient (api/db/sql.ts) straight on a node-postgres pool: the Node server's route to a PostgreSQL server for the
// hot statements. Node only (imports `pg`); the Worker and the embedded database keep prismaSql.
import type pg from "pg";
import type { SqlClient, TransactionOptions } from "./sql.ts";

/**
 * The hot paths send the same few statements over and over: each is prepared once per connection under a name
 * (node-postgres then skips the Parse step, and PostgreSQL the parsing and planning). Only statements with
 * parameters (BEGIN; SET LOCAL … is several statements, which the extended protocol cannot carry), and only the
 * first MAX_NAMED distinct texts, so a caller building SQL text on the fly cannot fill every connection with them.
 */
const MAX_NAMED = 64;
const names = new Map<string, string>();
// Stryker disable all: resets for mutation testing, which runs every variant of the module in one process
/** Forget the statement names handed out (tests/setup/api-module-state.ts: each test file names them afresh). */
export function forgetStatementNames(): void {
  names.clear();
}
// Stryker restore all
function send(on: pg.Pool | pg.PoolClient, text: string, params: unknown[] = []): Promise<pg.QueryResult> {
  let name = params.length ? names.get(text) : undefined;
  if (name === undefined && params.length && names.size < MAX_NAMED) names.set(text, (name = `kubelab_${names.size}`));
  // (no name: an unnamed statement; no parameters: the simple protocol, which carries several statements)
  return on.query({ name, text, values: params });
}

function onClient(run: (text: string, params: unknown[]) => Promise<pg.QueryResult>): Omit<SqlClient, "transaction"> {
  return {
    query: async <T>(text: string, params: readonly unknown[]) => (await run(text, params as unknown[])).rows as T[],
    execute: async (text, params) => (await run(text, params as unknown[])).rowCount ?? 0,
  };
}

function timeoutAfter(ms: number, what: string): { promise: Promise<never>; cancel(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const promise = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return { promise, cancel: () => clearTimeout(timer) };
}

export function pgSql(pool: pg.Pool): SqlClient {
  return {
    ...onClient((text, params) => send(pool, text, params)),
    async transaction<T>(fn: (tx: SqlClient) => Promise<T>, opts: TransactionOptions): Promise<T> {
      const wait = timeoutAfter(opts.maxWait, "waiting for a database connection");
      const connecting = pool.connect();
      let client: pg.PoolClient;
      try {
        client = await Promise.race([connecting, wait.promise]);
      } catch (e) {
        // a connection that arrives after we gave up goes straight back to the pool
        void connecting.then((c) => c.release(), () => {});
        throw e;
      } finally {
        wait.cancel();
      }
      let broken = false;
      // A checked-out client has no listener of the pool's: the server ending the connection mid-transaction (an
      // administrator, a restart, a failover) emits "error" on it, which with no listener throws in the process —
      // the Node server would crash. The statements in turn fail with the error; the connection is not reused.
      const onLost = () => {
        broken = true;
      };
      client.on("error", onLost);
      // Statements issued together (regradeLab reads the next chunk while it writes the last) run one after another
      // in issue order, COMMIT and ROLLBACK included: what pg's own queue does today, which pg 9 removes (pg 8 warns).
      let tail: Promise<unknown> = Promise.resolve();
      const inTurn = (text: string, params?: unknown[]): Promise<pg.QueryResult> => {
        const next = tail.then(() => send(client, text, params));
        tail = next.catch(() => {});
        return next;
      };
      try {
        // No statement of it (a wait for the row lock included) may run longer than the whole transaction may.
        await inTurn(`BEGIN; SET LOCAL statement_timeout = ${Math.max(1, Math.floor(opts.timeout))}`);
        const tx: SqlClient = {
          ...onClient(inTurn),
          transaction: () => Promise.reject(new Error("pgSql: transactions do not nest")),
        };
        const out = await fn(tx);
        await inTurn("COMMIT");
        return out;
      } catch (e) {
        await inTurn("ROLLBACK").catch(() => {
          broken = true;
        });
        throw e;
      } finally {
        client.off("error", onLost);
        client.release(broken);
      }
    },
  };
}
