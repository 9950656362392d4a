// The versions of the clusters this app instance's `clusterChanged` subscriptions watch, read for all of them at
// once. A change made through this instance arrives at once through `clusterEvents`; one made elsewhere (another
// Node process, another Worker isolate) is only seen by reading the row. Each subscription used to read its own row
// every poll period — with a class of 2,000 open pages, 1,000 statements a second of nothing. Now the first
// subscription whose poll timer fires reads every watched cluster's version in one statement, and every other
// subscription whose timer fires within the next half period takes its answer from that read.
//
// There is no timer here: each subscription's own wait loop calls `current`, so this works where timers only live
// inside a request (Workers) as well as in Node. (On Node the open streams are served by one shared loop after their
// first event, api/subscription-loop.ts, whose one timer calls `current` for each watched cluster.)
import type { SqlClient } from "./db/sql.ts";

/** Reads the versions of `ids`; a cluster missing from the answer is gone (deleted). */
export type ReadVersions = (ids: string[]) => Promise<Map<string, number>>;

// One array parameter, whatever the number of watched clusters: one prepared statement on the pg route. (Through
// Prisma's `findMany({ where: { id: { in: ids } } })` the poll of a class's 1,000 open pages mapped 1,000 parameters
// and rows through its query compiler every poll period.)
const VERSIONS_SQL = `SELECT id, version FROM "Cluster" WHERE id = ANY($1::uuid[]) AND "deletedAt" IS NULL`;

/** The stored versions of `ids` (the live ones), in one statement: what the poll reads for every watched cluster. */
export const readVersionsWith =
  (sql: SqlClient): ReadVersions =>
  async (ids) => {
    const rows = await sql.query<{ id: string; version: number }>(VERSIONS_SQL, [ids]);
    return new Map(rows.map((r) => [r.id, r.version]));
  };

export class VersionWatch {
  private readonly watched = new Map<string, number>(); // id → subscriptions watching it
  private read?: { at: number; ids: Set<string>; versions: Promise<Map<string, number>> };

  /** A read younger than `freshMs` answers every watcher; `now` is the clock (tests pass their own). */
  constructor(
    private readonly freshMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Subscriptions watching `id` now; `watch` returns the call that stops watching. */
  watch(id: string): () => void {
    this.watched.set(id, (this.watched.get(id) ?? 0) + 1);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const n = (this.watched.get(id) ?? 1) - 1;
      if (n > 0) this.watched.set(id, n);
      else this.watched.delete(id);
    };
  }

  get size(): number {
    return this.watched.size;
  }

  /**
   * The version of `id` as stored (null: gone), from a read of every watched cluster made less than `freshMs` ago
   * that included `id`, or from a new one made with `read` (the caller's database client).
   */
  async current(id: string, read: ReadVersions): Promise<number | null> {
    const r = this.read;
    if (!r || !r.ids.has(id) || this.now() - r.at >= this.freshMs) {
      const ids = new Set(this.watched.keys());
      ids.add(id);
      const next = { at: this.now(), ids, versions: read([...ids]) };
      this.read = next;
      // a failed read is not kept: the next caller tries again
      next.versions.catch(() => {
        if (this.read === next) this.read = undefined;
      });
      return (await next.versions).get(id) ?? null;
    }
    return (await r.versions).get(id) ?? null;
  }
}
