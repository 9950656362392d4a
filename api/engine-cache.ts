// Clusters this app instance wrote last, kept hydrated between requests: a student's next mutation starts from the
// engine in memory instead of reading ~10 KB of state and parsing it again. Only ever a shortcut: the save's version
// check (cluster-store's saveMutation) still decides, so an entry made stale by another process or Worker isolate
// costs one lost race (the mutation then runs again from the row, under its lock) and never a wrong write.
//
// An entry is exclusively the holder's while a request uses it: `take` removes it, and the request gives it back
// (`put`) once its response is complete, so no two requests ever share one engine, and an engine a failed mutation
// may have half-changed is simply never given back.
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

export class EngineCache {
  private readonly entries = new Map<string, CachedCluster>();
  /** The newest version this instance saved of each cluster lately: an older engine given back later is not kept. */
  private readonly newest = new Map<string, number>();
  /** take() calls that found the cluster, and those that did not. */
  readonly stats = { hits: 0, misses: 0 };

  /** At most `capacity` clusters (least recently used go first); 0 turns the cache off. */
  constructor(readonly capacity: number) {}

  get size(): number {
    return this.entries.size;
  }

  /** The owner's cluster, removed from the cache until it is put back; undefined when not cached. */
  take(id: string, ownerId: string): CachedCluster | undefined {
    const e = this.entries.get(id);
    if (!e || e.row.ownerId !== ownerId || e.row.deletedAt) {
      this.stats.misses++;
      return undefined;
    }
    this.entries.delete(id);
    this.stats.hits++;
    return e;
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

  /** Keep `e` (unless a later version of the cluster is kept, or was saved by this instance). */
  put(e: CachedCluster): void {
    if (leaseChecks.on && e.engine.toJSONText() !== (leasedAs.get(e) ?? e.row.state))
      leaseChecks.violations.push(`cluster ${e.row.id} (version ${e.row.version}) was changed after it was saved or read`);
    if (this.capacity <= 0 || e.row.deletedAt) return;
    const id = e.row.id;
    if ((this.newest.get(id) ?? 0) > e.row.version) return;
    const held = this.entries.get(id);
    if (held && held.row.version >= e.row.version) return;
    this.entries.delete(id);
    // The engine is the state: its saved text (~10 KB of a lab cluster's ~70 KB here) is not kept beside it. A row
    // taken from here serves for its id, owner, course, lab and version; nothing reads a cached row's `state`.
    this.entries.set(id, e.row.state ? { row: { ...e.row, state: "" }, engine: e.engine } : e);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }

  drop(id: string): void {
    this.entries.delete(id);
  }
}
