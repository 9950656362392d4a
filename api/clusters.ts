// Loading, creating and mutating clusters. Every mutation: load the row, run the engine, then save the new state,
// bump the version and append a log entry atomically, guarded by the version read; on a clash with another writer
// the mutation runs again holding the row lock, so writers queue (see mutateCluster). A mutation that fails with a
// typed error writes nothing.
import { createGraphQLError } from "graphql-yoga";
import { Cluster } from "../engine/index.ts";
import type { ReplayOp } from "../engine/grading/index.ts";
import type { ShellContext } from "../engine/types.ts";
import { shellToLog } from "./exec-shell.ts";
import type { Context } from "./context.ts";
import type { Cluster as ClusterRow, CommandLog, Prisma } from "./generated/prisma/client.ts";
import { clusterEvents } from "./events.ts";
import { keepScan, noteLogged, runStart } from "./run-index.ts";
import { FreshStates } from "./fresh-states.ts";
import { ConflictError, NotFoundError, ValidationError, clusterNotFound, fromEngineError } from "./errors.ts";
import { loadOwnCluster, loadReadableCluster, saveMutation, type SaveMutation } from "./db/cluster-store.ts";
import { noteReadLease, type CachedCluster } from "./engine-cache.ts";
import { isRetryableSqlError, type SqlClient } from "./db/sql.ts";

export type { ClusterRow };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(s: string): boolean {
  return UUID.test(s);
}

export function requirePrincipal(ctx: Context) {
  if (!ctx.principal) throw createGraphQLError("Not authenticated: send 'Authorization: Bearer <token>'", { extensions: { code: "UNAUTHENTICATED" } });
  return ctx.principal;
}

// Users/enrollments already written by this process (saves three statements per request).
const ensured = new Set<string>();

// Stryker disable all: resets for mutation testing, which runs every variant of the module in one process
/**
 * Forget which users this process has ensured and which clusters it found contended (tests/setup/api-module-state.ts:
 * each test file has a database of its own, where nobody is ensured yet).
 */
export function forgetProcessState(): void {
  ensured.clear();
  contended.clear();
}
// Stryker restore all

/**
 * The principal's User row (and their course enrollment from the token) exist: created on first use. Inserts are
 * ON CONFLICT DO NOTHING, so concurrent first requests of one user do not collide.
 */
export function ensureUser(ctx: Context): Promise<void> {
  const p = requirePrincipal(ctx);
  const key = JSON.stringify([p.sub, p.course ?? null, p.role]);
  if (ensured.has(key)) return Promise.resolve();
  ctx.userEnsured ??= (async () => {
    await ctx.prisma.user.createMany({ data: [{ id: p.sub, name: p.name ?? null }], skipDuplicates: true });
    if (p.course) {
      await ctx.prisma.course.createMany({ data: [{ id: p.course, title: p.course }], skipDuplicates: true });
      await ctx.prisma.enrollment.createMany({ data: [{ userId: p.sub, courseId: p.course, role: p.role }], skipDuplicates: true });
      await ctx.prisma.enrollment.updateMany({ where: { userId: p.sub, courseId: p.course, role: { not: p.role } }, data: { role: p.role } });
    }
    ensured.add(key);
  })().catch((e) => {
    ctx.userEnsured = undefined;
    throw e;
  });
  return ctx.userEnsured;
}

/**
 * Who may read a cluster: its owner; instructors and graders of the course the cluster belongs to (the course in
 * their token). Everyone else gets exactly what a missing id gives.
 */
function reader(ctx: Context): { ownerId: string; courseId: string | null } {
  const p = requirePrincipal(ctx);
  const staff = (p.role === "instructor" || p.role === "grader") && p.course;
  return { ownerId: p.sub, courseId: staff ? p.course! : null };
}

/** The clusters the caller may read, as a Prisma filter: the rule loadReadableCluster's SQL applies on the hot path. */
export function readableClusters(ctx: Context): Prisma.ClusterWhereInput {
  const r = reader(ctx);
  return { deletedAt: null, OR: r.courseId ? [{ ownerId: r.ownerId }, { courseId: r.courseId }] : [{ ownerId: r.ownerId }] };
}

export function readableWhere(ctx: Context, id: string): Prisma.ClusterWhereInput {
  return { id, ...readableClusters(ctx) };
}

/** The cluster `id` with its state, if the caller may read it (the same rule): one statement on ctx.sql. */
export async function findReadableCluster(ctx: Context, id: string): Promise<ClusterRow | null> {
  if (!isUuid(id)) return null;
  const r = reader(ctx);
  return loadReadableCluster(ctx.sql, id, r.ownerId, r.courseId);
}

/**
 * The engine for a row, once per request per row: this instance's hydrated copy when it holds exactly that version
 * (a lab frontend reads its cluster after every command, right after this instance saved it), else parsed from the
 * row. Either way the request holds it exclusively until it is done, then gives it back to the cache (engine-cache.ts),
 * so the student's next read or mutation starts from memory too. Reads never change an engine (the engine's read
 * API returns copies; the grader sends its requests detached); the test suite checks that on every give-back.
 * Synchronous: a cluster another request holds is parsed again here; `withEngine` and `servedFromCache` (async) wait
 * for it instead.
 */
export function engineOf(ctx: Context, row: ClusterRow): Cluster {
  let c = ctx.engines.get(row);
  if (c) return c;
  const own = ownLease(ctx, row.id);
  if (own && own.row.version === row.version) {
    ctx.engines.set(row, own.engine);
    return own.engine;
  }
  return useLease(ctx, row, ctx.engineCache.take(row.id, row.ownerId));
}

/** A cache entry given back untouched: noted as read, so the give-back self-check compares it with itself. */
function noted(e: CachedCluster): CachedCluster {
  noteReadLease(e);
  return e;
}

/** The lease of cluster `id` this request holds already (a mutation's, or a read's), if any: the newest. */
function ownLease(ctx: Context, id: string): CachedCluster | undefined {
  let found: CachedCluster | undefined;
  for (const l of ctx.leases) if (l.row.id === id && (!found || l.row.version > found.row.version)) found = l;
  return found;
}

/** Serve `row` from `cached` when it is that version, else parse the row; the request holds the engine until done. */
function useLease(ctx: Context, row: ClusterRow, cached: CachedCluster | undefined): Cluster {
  let lease: CachedCluster;
  if (cached && cached.row.version === row.version && !row.deletedAt) {
    lease = cached;
  } else {
    // a newer version than this request read (saved meanwhile) stays for the next one; an older one is stale
    if (cached && cached.row.version > row.version) ctx.engineCache.put(noted(cached));
    else if (cached) ctx.engineCache.abandon(row.id);
    lease = { row, engine: Cluster.fromJSON(row.state) };
  }
  // (a deleted row's engine is never the cached one: see above)
  if (!row.deletedAt) {
    noteReadLease(lease);
    ctx.leases.push(lease);
  }
  ctx.engines.set(row, lease.engine);
  return lease.engine;
}

/**
 * Run `read` on the engine of `row` (exactly that version) and give the engine back at once, not when the request is
 * done: for a read that uses the engine for a moment between slow steps (a progress check reads the run's log, grades,
 * then writes the grade). Waits for a cluster another request holds (engine-cache.ts acquire) rather than parsing a
 * second copy, and so holds up that cluster's next command only while `read` runs. `read` must not change the engine.
 */
export async function withEngine<T>(ctx: Context, row: ClusterRow, read: (engine: Cluster) => T): Promise<T> {
  const mine = ctx.engines.get(row) ?? (ownLease(ctx, row.id)?.row.version === row.version ? ownLease(ctx, row.id)!.engine : undefined);
  if (mine || row.deletedAt) return read(mine ?? Cluster.fromJSON(row.state));
  const cached = await ctx.engineCache.acquire(row.id, row.ownerId);
  let lease: CachedCluster;
  if (cached && cached.row.version === row.version) lease = cached;
  else {
    if (cached) ctx.engineCache.put(noted(cached)); // another version: kept (a newer one) or dropped (an older one) by put
    lease = { row, engine: Cluster.fromJSON(row.state) };
  }
  noteReadLease(lease);
  try {
    return read(lease.engine);
  } finally {
    ctx.engineCache.put(lease);
  }
}

/**
 * Cluster `id` at `version` or later as this instance keeps it (a change it saved), with its engine held for this
 * request — waiting for the request that holds it, if any, rather than parsing a second copy; null when this
 * instance does not keep that version (the caller reads the row). For a caller that may read the cluster.
 */
export async function servedFromCache(ctx: Context, id: string, ownerId: string, version: number): Promise<ClusterRow | null> {
  const own = ownLease(ctx, id);
  if (own && own.row.version >= version) {
    ctx.engines.set(own.row, own.engine);
    return own.row;
  }
  if (!ctx.engineCache.holds(id)) return null;
  const cached = await ctx.engineCache.acquire(id, ownerId);
  if (!cached) return null;
  if (cached.row.version < version) {
    ctx.engineCache.put(noted(cached)); // older than the change announced (saved elsewhere): kept for whoever wants it
    return null;
  }
  noteReadLease(cached);
  ctx.leases.push(cached);
  ctx.engines.set(cached.row, cached.engine);
  return cached.row;
}

// Lab clusters as they start, per lab catalog (api/fresh-states.ts): a reset parses the start instead of building it.
const freshStates = new WeakMap<object, FreshStates>();

/** A lab's starting clusters this process keeps, for `catalog`. */
export function freshStatesOf(catalog: object): FreshStates {
  let f = freshStates.get(catalog);
  if (!f) freshStates.set(catalog, (f = new FreshStates()));
  return f;
}

export function newEngine(ctx: Context, seed: number, labSlug: string | null): Cluster {
  if (labSlug) {
    const lab = ctx.labs.get(labSlug);
    if (!lab) throw new NotFoundError(`lab "${labSlug}" not found`);
    const create = ctx.labs.createCluster?.bind(ctx.labs);
    if (create) return freshStatesOf(ctx.labs).get(`${labSlug}@${seed}`, () => create(labSlug, seed));
  }
  return Cluster.create({ seed });
}

const COUNTED_KINDS = ["Pod", "Service", "Deployment", "ReplicaSet", "Endpoints"] as const;
export function countObjects(c: Cluster): number {
  let n = 0;
  for (const k of COUNTED_KINDS) n += c.count(k);
  return n;
}

export async function createClusterRow(ctx: Context, input: { name: string; labSlug: string | null; seed: number }): Promise<ClusterRow> {
  const p = requirePrincipal(ctx);
  await ensureUser(ctx);
  const live = await ctx.prisma.cluster.count({ where: { ownerId: p.sub, deletedAt: null } });
  if (live >= ctx.limits.clustersPerUser)
    throw new ValidationError(`you already have ${live} clusters (the limit is ${ctx.limits.clustersPerUser}): delete one first`, [{ field: "name", message: "too many clusters" }]);
  const clash = await ctx.prisma.cluster.findFirst({ where: { ownerId: p.sub, name: input.name, deletedAt: null }, select: { id: true } });
  if (clash) throw new ConflictError(`you already have a cluster named "${input.name}"`);
  let engine: Cluster;
  try {
    engine = newEngine(ctx, input.seed, input.labSlug);
  } catch (e) {
    throw fromEngineError(e);
  }
  const row = await ctx.prisma.cluster.create({
    data: {
      ownerId: p.sub,
      courseId: p.course ?? null,
      name: input.name,
      labSlug: input.labSlug,
      seed: input.seed,
      state: engine.toJSONText(),
      version: 1,
    },
  });
  ctx.engines.set(row, engine);
  ctx.leases.push({ row, engine });
  keepScan(row.id, runStart(row.version)); // its run starts here: nothing sent yet
  return row;
}

export interface Outcome<T> {
  value: T;
  /** What the log shows as the input (a command line, or a description of the mutation). */
  input: string;
  /** exec: where the line ran, its standard input, and the shell it started in when the terminal gave one. */
  host?: string;
  stdin?: string;
  shell?: ShellContext;
  /** exec: what bash's history expansion made of the line (ExecResult.ran), kept for the replay. */
  ran?: string | false;
  /** Every other mutation that changes the engine: exactly what it did, so a regrade replays it (CommandLog.replay). */
  replay?: ReplayOp;
  stdout?: string;
  stderr?: string;
  exitCode?: number;
  /** Replace the engine wholesale (reset). */
  replace?: Cluster;
  /** Soft-delete the cluster. */
  delete?: boolean;
  /** Check the objects-per-cluster limit after this change. */
  checkObjects?: boolean;
}

/** Every MARK_AUDIT_EVERY-th command the change mark calls unchanged is serialised all the same and compared. */
export const MARK_AUDIT_EVERY = 64;
let markAudits = 0;

export interface Mutated<T> {
  row: ClusterRow;
  engine: Cluster;
  value: T;
  log: CommandLog;
  /** The command changed nothing: no text was serialised, `row.state` is not this version's text. */
  unchanged?: boolean;
  /** The last request the line sent as it ran (Cluster.lastRouted), null when it sent none. */
  routed?: Cluster["lastRouted"];
}

// Mutations of one cluster through one app instance run one after another (no races between them, and at most one
// per instance waits on the row lock holding a pooled connection); across instances, processes and Worker isolates
// the version check detects a race and the row lock queues them (mutateCluster).
export type Serializer = <T>(key: string, fn: () => Promise<T>) => Promise<T>;
export function createSerializer(): Serializer {
  const queues = new Map<string, Promise<unknown>>();
  return <T>(key: string, fn: () => Promise<T>): Promise<T> => {
    const prev = queues.get(key) ?? Promise.resolve();
    const run = prev.then(fn, fn);
    const tail = run.then(
      () => {},
      () => {},
    );
    queues.set(key, tail);
    void tail.then(() => {
      if (queues.get(key) === tail) queues.delete(key);
    });
    return run;
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Interactive transaction limits: waiting for a connection (PGlite: for the one connection, which every other
// transaction holds in turn) and the whole transaction including the wait for the row lock. Generous: a queue of
// mutations on one cluster waits its turn here instead of failing.
const TX_OPTIONS = { maxWait: 10_000, timeout: 15_000 };

// Clusters on which this process lost a race to another writer lately: their mutations take the row lock first.
const CONTENDED_MS = 10_000;
const CONTENDED_MAX = 10_000;

/**
 * The clusters this process lost a race on in the last `ms` (a mutation of one of them takes the row lock at once).
 * At most `max` are remembered: when full, the expired ones are swept (only then: a sweep is a pass over all of them);
 * when still full, a new one is not remembered. `now` is the clock.
 */
export class ContendedClusters {
  private readonly until = new Map<string, number>();
  constructor(
    readonly ms: number = CONTENDED_MS,
    readonly max: number = CONTENDED_MAX,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.until.size;
  }

  has(id: string): boolean {
    const until = this.until.get(id) ?? 0;
    if (until > this.now()) return true;
    this.until.delete(id);
    return false;
  }

  mark(id: string): void {
    const now = this.now();
    if (this.until.size >= this.max) for (const [k, until] of this.until) if (until <= now) this.until.delete(k);
    if (this.until.size < this.max) this.until.set(id, now + this.ms);
  }

  clear(): void {
    this.until.clear();
  }
}
const contended = new ContendedClusters();

/** The wait before the next attempt after attempt `attempt` failed under the lock: 2^attempt ms, at most 128, spread by `random` (0 ≤ random < 1) to 0.5-1.5 times that. */
export function backoffMs(attempt: number, random: number): number {
  return Math.min(200, 2 ** Math.min(attempt, 7)) * (0.5 + random);
}

/**
 * Load the caller's cluster, run `fn` on its engine, and save state + version + log entry, atomically and exactly
 * once. Two ways, the same writes:
 *  - uncontended (the usual case: one student, one tab): read the row (or take the engine this instance saved
 *    last from its EngineCache), run the engine, then ONE statement writes state + version + log entry only if
 *    the version is still the one read (cluster-store's saveMutation). One or two round trips, no transaction held
 *    open while the engine runs. Under load that statement also carries other clusters' saves (ctx.saves, a group
 *    commit: api/db/save-batcher.ts), each with its own version check and its own answer.
 *  - contended: when that version check fails (another process or Worker isolate wrote first, or holds the row
 *    locked right now: the save skips it), the mutation runs again inside one transaction that holds the cluster
 *    row's lock (SELECT ... FOR NO KEY UPDATE), and so does
 *    every mutation of that cluster from this process for the next CONTENDED_MS: writers from any number of
 *    processes queue on the row and each applies on top of the previous one, instead of failing the version check
 *    and backing off. Within one process the serializer already runs one mutation per cluster at a time.
 * The log seq is the new version, so seqs are contiguous. A typed error from `fn` writes nothing. Nothing inside the
 * transaction may use `ctx.prisma` or `ctx.sql` (PGlite has one connection: that would wait for this very transaction).
 */
export async function mutateCluster<T>(ctx: Context, clusterId: string, operation: string, fn: (c: Cluster, row: ClusterRow) => Outcome<T>): Promise<Mutated<T>> {
  const p = requirePrincipal(ctx);
  await ensureUser(ctx);
  if (!isUuid(clusterId)) throw clusterNotFound(clusterId);

  /** One attempt on `db` (the client, or a transaction holding the row lock); null when the version moved on. */
  const once = async (db: SqlClient, lock: boolean): Promise<Mutated<T> | null> => {
    // Uncontended, the cluster this instance saved last is still in memory: no read, no parse. Under the lock the
    // row is read again whatever is cached (the cached engine is then stale: another writer got there first).
    // A cluster another request of this instance holds (its previous command's answer still being written, the
    // page's picture, a progress check) is waited for, not parsed again (engine-cache.ts acquire); one this request
    // holds already (an earlier mutation of the same document) is used as it is.
    const own = lock ? undefined : ownLease(ctx, clusterId);
    if (own) ctx.leases.splice(ctx.leases.indexOf(own), 1);
    const cached = lock ? ctx.engineCache.take(clusterId, p.sub) : (own ?? (await ctx.engineCache.acquire(clusterId, p.sub)));
    let row: ClusterRow;
    let engine: Cluster;
    if (cached && !lock) {
      ({ row, engine } = cached);
    } else {
      const loaded = await loadOwnCluster(db, clusterId, p.sub, { lock });
      if (!loaded) throw clusterNotFound(clusterId);
      row = loaded;
      engine = Cluster.fromJSON(row.state); // the text: parsed once
    }
    // the engine holds the state saved at row.version (the cache's rule): an unmoved mark after fn means the same text
    const mark = engine.changeMark();
    const routedBefore = engine.lastRouted;
    let out: Outcome<T>;
    try {
      out = fn(engine, row);
    } catch (e) {
      throw fromEngineError(e);
    }
    const next = out.replace ?? engine;
    if (out.checkObjects) {
      const n = countObjects(next);
      if (n > ctx.limits.objectsPerCluster)
        throw new ValidationError(`the cluster would hold ${n} objects; the limit is ${ctx.limits.objectsPerCluster}`, [{ field: "cluster", message: "too many objects" }]);
    }
    const version = row.version + 1;
    // a command that changed nothing (kubectl get, describe, most curls) is not serialised: the save keeps the stored
    // text (its version check still guards that the stored text is row.version's). A deletion keeps its text on the row.
    let unchanged = !out.replace && !out.delete && engine.changeMark() === mark;
    let stateText = unchanged ? undefined : next.toJSONText();
    // an audit of the mark now and then: a write path that moved nothing it reads would otherwise lose its change
    // at the engine's eviction (the suite checks every command it runs: changeChecks); a miss is logged and saved in full
    if (unchanged && ++markAudits % MARK_AUDIT_EVERY === 0) {
      const text = next.toJSONText();
      // (against what this instance saved last: a row's text may be an older engine's serialisation of the same state)
      if (ctx.saves.differsFromSaved(row.id, row.version, text)) {
        ctx.log.error("the engine's change mark missed a write: the state is saved in full", { clusterId: row.id, operation, input: out.input ?? null });
        unchanged = false;
        stateText = text;
      }
    }
    const at = new Date();
    const log: CommandLog = {
      clusterId: row.id,
      seq: version,
      at,
      virtualTime: next.now(),
      actorId: p.sub,
      operation,
      input: out.input,
      host: out.host ?? null,
      stdin: out.stdin ?? null,
      stdout: out.stdout ?? "",
      stderr: out.stderr ?? "",
      exitCode: out.exitCode ?? 0,
      // exec rows keep the shell a line started in there (replaying `kubectl apply -f web.yaml` after a `cd`)
      replay: (out.replay ?? shellToLog(out.shell, out.host ?? "master01", out.ran) ?? null) as unknown as Prisma.JsonValue,
    };
    // Under the row lock, on the transaction; otherwise batched with other clusters' saves (api/db/save-batcher.ts).
    const save: SaveMutation = { fromVersion: row.version, stateText: stateText ?? "", stateUnchanged: unchanged, markDeleted: out.delete, log };
    if (!(await (lock ? saveMutation(db, save) : ctx.saves.save(save)))) return null;
    // (a cached row carries no text: the engine is the state; an unchanged one is checked as a read lease is)
    const saved: ClusterRow = { ...row, state: stateText ?? row.state, version, updatedAt: at, deletedAt: out.delete ? at : row.deletedAt };
    // the request this line sent as it ran (the picture's last request: run-index.ts); a reset's new engine sent none in the run
    const routed = !out.replace && engine.lastRouted !== routedBefore ? engine.lastRouted : null;
    return { row: saved, engine: next, value: out.value, log, unchanged, routed };
  };

  // An attempt that fails or loses the race gives no engine back (fn may have changed it): whoever waits for this
  // cluster reads the row (engine-cache.ts abandon). A saved one is given back with the request (ctx.leases).
  const attemptOnce = async (lock: boolean): Promise<Mutated<T> | null> => {
    let m: Mutated<T> | null = null;
    try {
      m = lock ? await ctx.sql.transaction((tx) => once(tx, true), TX_OPTIONS) : await once(ctx.sql, false);
      return m;
    } finally {
      if (!m) ctx.engineCache.abandon(clusterId);
    }
  };

  return ctx.serialize(clusterId, async () => {
    for (let attempt = 1; ; attempt++) {
      const lock = attempt > 1 || contended.has(clusterId);
      try {
        const m = await attemptOnce(lock);
        if (m) {
          ctx.engines.set(m.row, m.engine);
          ctx.engineCache.saved(m.row.id, m.row.version);
          noteLogged(m.row.id, m.log, m.routed);
          const lease = { row: m.row, engine: m.engine };
          if (m.unchanged) noteReadLease(lease);
          ctx.leases.push(lease);
          clusterEvents.publish("cluster:changed", m.row.id, { version: m.row.version, deleted: m.row.deletedAt !== null });
          return m;
        }
        // Lost the race to another writer (nothing was written): again at once, under the row lock.
        contended.mark(clusterId);
      } catch (e) {
        if (!isRetryableSqlError(e)) throw e;
      }
      if (attempt >= ctx.limits.mutationAttempts) {
        ctx.log.warn("cluster mutation gave up after retries", { clusterId, operation, attempts: attempt });
        throw new ConflictError(`cluster "${clusterId}" is changing too fast: try again`);
      }
      // Only a failure under the lock (a deadlock or serialization error, which the lock should make impossible)
      // backs off before trying again.
      if (lock) await sleep(backoffMs(attempt, Math.random()));
    }
  });
}
