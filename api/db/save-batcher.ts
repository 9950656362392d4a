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
// false at once: cluster-store), so one busy cluster cannot hold up the others.
import { sqlStateOf, type SqlClient } from "./sql.ts";
import { saveMutation, saveParams, saveManySql, type SaveMutation } from "./cluster-store.ts";

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

export class SaveBatcher {
  private queue: Pending[] = [];
  private inFlight = 0;
  /** Statements sent, and the saves they carried: saves / statements is the batching achieved. */
  readonly stats = { statements: 0, saves: 0, fallbacks: 0 };

  constructor(
    private readonly db: SqlClient,
    private readonly opts: SaveBatcherOptions = DEFAULT_SAVE_BATCHING,
  ) {}

  /** saveMutation's answer (true: written; false: the version moved on, nothing written), batched with others. */
  save(m: SaveMutation): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      this.queue.push({ m, resolve, reject });
      this.pump();
    });
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
      // PostgreSQL rejected it, so nothing of the batch was written: each save again on its own, for its own answer.
      this.stats.fallbacks++;
      await Promise.all(batch.map((p) => this.alone(p)));
      return;
    }
    for (const p of batch) p.resolve(saved.has(p.m.log.clusterId));
  }

  private async alone(p: Pending): Promise<void> {
    try {
      p.resolve(await saveMutation(this.db, p.m));
    } catch (e) {
      p.reject(e);
    }
  }
}
