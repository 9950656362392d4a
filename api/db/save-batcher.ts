// Group commit for the mutation path's save (cluster-store's saveMutation): when a class clicks at once, the saves of
// many clusters go to PostgreSQL as ONE statement — one round trip, one transaction, one WAL flush — instead of one
// each. Under light load nothing waits: while fewer than `maxInFlight` statements are out, a save goes at once, alone,
// as the single-row statement. Only the saves that arrive while that many are out queue, and the first statement to
// come back takes all of them (up to `maxBatch`) with it.
//
// Each save keeps its own meaning: its UPDATE carries its own version check and its log row is inserted only for the
// row that check matched, so a lost race in a batch writes nothing for that cluster and answers false to its caller
// alone. A statement is atomic, so if PostgreSQL rejects the batch as a whole (a unique violation, any error it
// answers with), nothing of it was written, and each of its saves is sent again on its own: every caller gets its
// own answer or its own error, exactly as without batching. An error that did not come from the server (a lost
// connection) goes to every caller as it is: the statement may have committed, and sending a save again could then
// apply a mutation twice. A statement never waits for another writer's row lock (the save of a locked row answers
// false at once: cluster-store), so one busy cluster cannot hold up the others — except a save sent again after its
// batch failed, which waits for its row: the failed statement's backend may still hold it (saveMutationWaiting).
//
// A command that changed nothing (`kubectl get`, `describe`, `curl`: about half of a lab's solution) still writes a
// new version and its log entry, but not the state again: the batcher remembers, per cluster, the version its last
// successful save wrote and a SHA-256 of that text, and a save from that version with the same text sends no text
// (cluster-store keeps the stored one); a caller that knows its text is unchanged (api/clusters.ts: the engine's
// change mark) says so and nothing is hashed. Every other writer of the row (another process, the contended path's
// transaction) moves the version on, so what is remembered then no longer matches and the text is sent in full.
import { createHash } from "node:crypto";
import { sqlStateOf, type SqlClient } from "./sql.ts";
import { saveMutation, saveMutationWaiting, saveParams, saveManySql, type SaveMutation } from "./cluster-store.ts";

interface Pending {
  m: SaveMutation;
  resolve(saved: boolean): void;
  reject(e: unknown): void;
}

export interface SaveBatcherOptions {
  /** Statements out at once (each holds one pooled connection). */
  maxInFlight: number;
  /** Saves in one statement at most (each carries a cluster's state: ~10 KB for a student's). */
  maxBatch: number;
}

export const DEFAULT_SAVE_BATCHING: SaveBatcherOptions = { maxInFlight: 2, maxBatch: 16 };

/** Clusters whose last save is remembered (oldest forgotten first): ~150 bytes each. */
const REMEMBERED = 16_384;

const digestOf = (text: string) => createHash("sha256").update(text).digest("base64");

export class SaveBatcher {
  private queue: Pending[] = [];
  private inFlight = 0;
  /** Statements sent, and the saves they carried: saves / statements is the batching achieved. */
  readonly stats = { statements: 0, saves: 0, fallbacks: 0, unchanged: 0 };
  /** Per cluster: the version this batcher's last successful save wrote, and its state text's digest. */
  private written = new Map<string, { version: number; digest: string }>();

  constructor(
    private readonly db: SqlClient,
    private readonly opts: SaveBatcherOptions = DEFAULT_SAVE_BATCHING,
  ) {}

  /** saveMutation's answer (true: written; false: the version moved on, nothing written), batched with others. */
  save(m: SaveMutation): Promise<boolean> {
    const id = m.log.clusterId;
    const last = this.written.get(id);
    // the caller may know the text is the stored one (the engine's change mark did not move): then nothing is hashed,
    // and what is remembered of fromVersion carries over to the new version
    const digest = m.stateUnchanged ? (last?.version === m.fromVersion ? last.digest : undefined) : digestOf(m.stateText);
    const unchanged = m.stateUnchanged || (last !== undefined && last.version === m.fromVersion && last.digest === digest);
    if (unchanged) this.stats.unchanged++;
    // forgotten until this save's answer: nothing is remembered for a version whose write is not confirmed
    this.written.delete(id);
    return new Promise<boolean>((resolve, reject) => {
      this.queue.push({
        m: unchanged ? { ...m, stateUnchanged: true } : m,
        resolve: (saved) => {
          if (saved && digest !== undefined) this.remember(id, m.log.seq, digest);
          resolve(saved);
        },
        reject,
      });
      this.pump();
    });
  }

  /** Whether `text` differs from what this batcher last saved of cluster `id` as `version`; undefined: not known. */
  differsFromSaved(id: string, version: number, text: string): boolean | undefined {
    const last = this.written.get(id);
    return last?.version === version ? last.digest !== digestOf(text) : undefined;
  }

  private remember(id: string, version: number, digest: string): void {
    this.written.delete(id);
    this.written.set(id, { version, digest });
    if (this.written.size > REMEMBERED) this.written.delete(this.written.keys().next().value!);
  }

  private pump(): void {
    while (this.inFlight < this.opts.maxInFlight && this.queue.length) {
      const batch = this.take();
      this.inFlight++;
      void this.send(batch).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  /** The next batch: queue order, at most maxBatch, never two saves of one cluster (the second waits its turn). */
  private take(): Pending[] {
    const batch: Pending[] = [];
    const rest: Pending[] = [];
    const ids = new Set<string>();
    for (const p of this.queue) {
      if (batch.length < this.opts.maxBatch && !ids.has(p.m.log.clusterId)) {
        ids.add(p.m.log.clusterId);
        batch.push(p);
      } else rest.push(p);
    }
    this.queue = rest;
    return batch;
  }

  private async send(batch: Pending[]): Promise<void> {
    this.stats.statements++;
    this.stats.saves += batch.length;
    if (batch.length === 1) return this.alone(batch[0]);
    let saved: Set<string>;
    try {
      const rows = await this.db.query<{ clusterId: string }>(saveManySql(batch.length), batch.flatMap((p) => saveParams(p.m)));
      saved = new Set(rows.map((r) => r.clusterId));
    } catch (e) {
      if (sqlStateOf(e) === undefined) {
        for (const p of batch) p.reject(e);
        return;
      }
      // PostgreSQL rejected it, so nothing of the batch was written: each save again on its own, for its own answer —
      // waiting for its row's lock, which the failed statement's backend may not have released yet (cluster-store).
      this.stats.fallbacks++;
      await Promise.all(batch.map((p) => this.alone(p, true)));
      return;
    }
    for (const p of batch) p.resolve(saved.has(p.m.log.clusterId));
  }

  private async alone(p: Pending, waitForLock = false): Promise<void> {
    try {
      p.resolve(await (waitForLock ? saveMutationWaiting : saveMutation)(this.db, p.m));
    } catch (e) {
      p.reject(e);
    }
  }
}
