// What the class simulator reads about the processes under load, from /proc (Linux): a process's RSS and CPU time,
// PostgreSQL's CPU time (all its processes), and the connections PostgreSQL has open to one database.
import { readFileSync, readdirSync } from "node:fs";
import pg from "pg";

const TICK_MS = 10; // USER_HZ is 100 on Linux

/** user + system CPU time of `pid`, in milliseconds (0 when it is gone). */
export function cpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(f[11]) + Number(f[12])) * TICK_MS; // utime, stime (fields 14 and 15)
  } catch {
    return 0;
  }
}

/** Resident set size of `pid`, in MiB. */
export function rssMiB(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** CPU time of every process named `postgres` (the server and its backends), in milliseconds. */
export function postgresCpuMs(): number {
  let total = 0;
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (readFileSync(`/proc/${d}/comm`, "utf8").trim() === "postgres") total += cpuMs(Number(d));
    } catch {
      // gone meanwhile
    }
  }
  return total;
}

/** The one number `sql` answers (a column named `n`), on a connection of its own to `url`. */
async function readNumber(url: string, sql: string): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql)).rows[0].n as number;
  } finally {
    await c.end();
  }
}

/** Connections open to the database of `url` (pg_stat_activity), not counting the one asking. */
export function pgConnections(url: string): Promise<number> {
  return readNumber(url, "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()");
}

/** PostgreSQL's write-ahead log position, in bytes: two readings' difference is the WAL written between them (the whole server's). */
export function walBytes(url: string): Promise<number> {
  return readNumber(url, "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::float8 AS n");
}

/**
 * CPU time of the PostgreSQL backends serving the database of `url` (pg_stat_activity, not the one asking): on a
 * shared server this database's share, which postgresCpuMs (every postgres process) is not. Call the answer again
 * for the time since: backends opened meanwhile count from 0, those closed meanwhile were idle (a pool closes only
 * idle connections) and are left out.
 */
export async function databaseBackendsCpu(url: string): Promise<() => Promise<number>> {
  const pids = async () => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      const r = await c.query("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()");
      return r.rows.map((x: { pid: number }) => x.pid);
    } finally {
      await c.end();
    }
  };
  const start = new Map((await pids()).map((pid) => [pid, cpuMs(pid)]));
  return async () => (await pids()).reduce((t, pid) => t + cpuMs(pid) - (start.get(pid) ?? 0), 0);
}

/** Bytes on disk of a table with its TOAST and indexes (pg_total_relation_size): two readings' difference is what writes added. */
export function relationBytes(url: string, table: string): Promise<number> {
  return readNumber(url, `SELECT pg_total_relation_size('"${table}"')::float8 AS n`);
}
