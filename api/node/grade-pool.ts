// Batch grading on worker threads (Node only): regradeLab hands a page's jobs to a few threads, each with its own
// engine and lab catalog, so a page is graded on every core instead of one. Used only for the standard catalog
// (api/labs-catalog.ts), the one the workers load; anything else grades in the request's thread.
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { catalog } from "../labs-catalog.ts";
import type { GradeJob, GradeOutcome, GradePool } from "../grade-jobs.ts";

interface Pending {
  resolve(o: GradeOutcome[]): void;
  reject(e: Error): void;
}

/** Fewest jobs per message: below that, messaging costs more than a thread saves. */
const MIN_PART = 4;

export class WorkerGradePool implements GradePool {
  readonly catalog = catalog;
  private workers: Worker[] = [];
  private pending = new Map<number, Pending>();
  private next = 1;
  private busy = 0;
  /** Jobs graded on the threads so far. */
  readonly stats = { jobs: 0 };

  /** `size` threads (default: one per core), started on first use. */
  constructor(readonly size = availableParallelism()) {}

  private start(): Worker[] {
    if (this.workers.length) return this.workers;
    for (let i = 0; i < this.size; i++) {
      const w = new Worker(new URL("./grade-worker.mjs", import.meta.url));
      w.unref(); // idle threads never keep the process alive
      w.on("message", (m: { id: number; outcomes: GradeOutcome[] }) => {
        const p = this.pending.get(m.id);
        this.pending.delete(m.id);
        p?.resolve(m.outcomes);
      });
      w.on("error", (e) => this.fail(e));
      w.on("exit", (code) => {
        if (code !== 0) this.fail(new Error(`grading worker exited with code ${code}`));
      });
      this.workers.push(w);
    }
    return this.workers;
  }

  private fail(e: Error): void {
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
    const ws = this.workers;
    this.workers = [];
    for (const w of ws) void w.terminate();
  }

  async run(jobs: GradeJob[]): Promise<GradeOutcome[]> {
    if (!jobs.length) return [];
    const workers = this.start();
    if (this.busy++ === 0) for (const w of workers) w.ref();
    try {
      // One part per thread (fewer for a few jobs), in order.
      const per = Math.max(MIN_PART, Math.ceil(jobs.length / workers.length));
      const parts: Promise<GradeOutcome[]>[] = [];
      for (let i = 0, k = 0; i < jobs.length; i += per, k++) {
        const id = this.next++;
        const w = workers[k % workers.length];
        parts.push(new Promise<GradeOutcome[]>((resolve, reject) => this.pending.set(id, { resolve, reject })));
        w.postMessage({ id, jobs: jobs.slice(i, i + per) });
      }
      const out = (await Promise.all(parts)).flat();
      this.stats.jobs += out.length;
      return out;
    } finally {
      if (--this.busy === 0) for (const w of this.workers) w.unref();
    }
  }

  async close(): Promise<void> {
    const ws = this.workers;
    this.workers = [];
    await Promise.all(ws.map((w) => w.terminate()));
  }
}
