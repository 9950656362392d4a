// Clusters this app instance wrote last, kept hydrated between requests: a student's next mutation starts from the
// engine in memory instead of reading ~10 KB of state and parsing it again. Only ever a shortcut: the save's version
// check (cluster-store's saveMutation) still decides, so an entry made stale by another process or Worker isolate
// costs one lost race (the mutation then runs again from the row, under its lock) and never a wrong write.
//
// An entry is exclusively the holder's while a request uses it: `take` removes it, and the request gives it back
// (`put`) once its response is complete, so no two requests ever share one engine, and an engine a failed mutation
// may have half-changed is never given back (the mutation says so: `abandon`).
//
// A request that finds the cluster lent out waits for it (`acquire`) instead of hydrating a second copy from the row:
// when requests queue (a class under load), a student's next command, their page's clusterChanged event and a
// progress check ask for the same cluster at once, and each copy parsed from the row is CPU the queue then waits for
// (bench/README.md, "A class on one box"). The waiters of a cluster queue in arrival order and the engine is handed
// from one to the next; the queue is bounded (MAX_WAITERS) and so is each wait (LEASE_WAIT_MS): past either, the
// request reads the row as before. A holder that gives nothing back (a failed mutation) wakes every waiter to read
// the row.
import type { Cluster } from "../engine/index.ts";
import type { Cluster as ClusterRow } from "./generated/prisma/client.ts";

/**
 * The test suite's self-check (tests/setup): every engine given back must hold exactly the state it was leased with:
 * a mutation's, the text it saved; a read's, what it read. A read or a save that changed its engine afterwards would
 * otherwise hand the next request a cluster that is not the stored one. Off in production (it serialises each one).
 */
export const leaseChecks = { on: false, violations: [] as string[] };
const leasedAs = new WeakMap<CachedCluster, string>();

/** A lease a request reads (not one it saved): remember its engine's state for leaseChecks. */
export function noteReadLease(lease: CachedCluster): void {
  if (leaseChecks.on) leasedAs.set(lease, lease.engine.toJSONText());
}

export interface CachedCluster {
  /** The row as saved: `version` is the version `engine` is the state of (in the cache, without its `state` text). */
  row: ClusterRow;
  engine: Cluster;
}

/** Waiters per lent-out cluster at most; a request past them reads the row. */
export const MAX_WAITERS = 16;
/** How long a request waits for a lent-out cluster at most before it reads the row. */
export const LEASE_WAIT_MS = 1000;

interface Waiter {
  resolve(e: CachedCluster | undefined): void;
  timer: ReturnType<typeof setTimeout>;
}

/** A cluster lent out: to whom (its owner: only their requests wait for it), and who waits for it. */
interface Lent {
  ownerId: string;
  waiters: Waiter[];
}

export class EngineCache {
  private readonly entries = new Map<string, CachedCluster>();
  /** The newest version this instance saved of each cluster lately: an older engine given back later is not kept. */
  private readonly newest = new Map<string, number>();
  /** Clusters taken by a request and not given back yet. */
  private readonly lent = new Map<string, Lent>();
  /**
   * take()/acquire() calls that found the cluster, and those that did not; of the hits, those that waited for the
   * cluster to be given back (`waited`); of the misses, waits that ran out of time or were woken by a failed holder.
   */
  readonly stats = { hits: 0, misses: 0, waited: 0, waitsFailed: 0 };

  /** At most `capacity` clusters (least recently used go first); 0 turns the cache off. */
  constructor(readonly capacity: number) {}

  get size(): number {
    return this.entries.size;
  }

  /** The owner's cluster, removed from the cache until it is put back; undefined when not cached (or lent out). */
  take(id: string, ownerId: string): CachedCluster | undefined {
    const e = this.entries.get(id);
    if (!e || e.row.ownerId !== ownerId || e.row.deletedAt) {
      this.stats.misses++;
      return undefined;
    }
    this.entries.delete(id);
    this.lent.set(id, { ownerId, waiters: [] });
    this.stats.hits++;
    return e;
  }

  /** Cached, or lent out to a request now (then its owner's requests may wait for it). */
  holds(id: string): boolean {
    return this.entries.has(id) || this.lent.has(id);
  }

  /**
   * Like take, but when the owner's cluster is lent out, waits (in arrival order, bounded) for it to be given back
   * and gets it then. Undefined: not cached, or the wait failed (the caller reads the row, as on a miss). Whatever
   * version comes back is the caller's to check.
   */
  acquire(id: string, ownerId: string): CachedCluster | undefined | Promise<CachedCluster | undefined> {
    const l = this.lent.get(id);
    if (this.capacity <= 0 || !l || l.ownerId !== ownerId || l.waiters.length >= MAX_WAITERS || this.entries.has(id)) return this.take(id, ownerId);
    return new Promise((resolve) => {
      const w: Waiter = {
        resolve,
        timer: setTimeout(() => {
          // the holder is slow (or never gives back): this one reads the row
          const i = l.waiters.indexOf(w);
          if (i >= 0) l.waiters.splice(i, 1);
          this.stats.misses++;
          this.stats.waitsFailed++;
          resolve(undefined);
        }, LEASE_WAIT_MS),
      };
      l.waiters.push(w);
    });
  }

  /**
   * The holder of `id` gives nothing back (a failed mutation may have changed its engine): every request waiting for
   * it reads the row instead.
   */
  abandon(id: string): void {
    const l = this.lent.get(id);
    if (!l) return;
    this.lent.delete(id);
    for (const w of l.waiters) {
      clearTimeout(w.timer);
      this.stats.misses++;
      this.stats.waitsFailed++;
      w.resolve(undefined);
    }
  }

  /**
   * A mutation saved `version` of the cluster. Called at once, while its engine is given back only when its request
   * is done: a request that saved a later version meanwhile must not find the older engine here afterwards.
   */
  saved(id: string, version: number): void {
    if (this.capacity <= 0) return;
    if ((this.newest.get(id) ?? 0) < version) {
      this.newest.delete(id);
      this.newest.set(id, version);
      if (this.newest.size > this.capacity * 4) this.newest.delete(this.newest.keys().next().value!);
    }
    const held = this.entries.get(id);
    if (held && held.row.version < version) this.entries.delete(id);
  }

  /**
   * Keep `e` (unless a later version of the cluster is kept, or was saved by this instance); a request waiting for
   * the cluster gets it at once instead.
   */
  put(e: CachedCluster): void {
    if (leaseChecks.on && e.engine.toJSONText() !== (leasedAs.get(e) ?? e.row.state))
      leaseChecks.violations.push(`cluster ${e.row.id} (version ${e.row.version}) was changed after it was saved or read`);
    const id = e.row.id;
    const l = this.lent.get(id);
    if (this.capacity <= 0 || e.row.deletedAt) {
      if (e.row.deletedAt) this.abandon(id);
      return;
    }
    if ((this.newest.get(id) ?? 0) > e.row.version) return;
    const held = this.entries.get(id);
    if (held && held.row.version >= e.row.version) return;
    // The engine is the state: its saved text (~10 KB of a lab cluster's ~70 KB here) is not kept beside it. A row
    // taken from here serves for its id, owner, course, lab and version; nothing reads a cached row's `state`.
    const kept = e.row.state ? { row: { ...e.row, state: "" }, engine: e.engine } : e;
    const next = l?.waiters.shift();
    if (next) {
      // handed on: still lent out, now to the next waiter
      clearTimeout(next.timer);
      if (held) this.entries.delete(id);
      this.stats.hits++;
      this.stats.waited++;
      next.resolve(kept);
      return;
    }
    this.lent.delete(id);
    this.entries.delete(id);
    this.entries.set(id, kept);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }

  drop(id: string): void {
    this.entries.delete(id);
  }
}
