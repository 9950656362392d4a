// One regrade as plain data, so it can run wherever there is an engine: in the request's own thread, or on a worker
// thread (api/node/grade-pool.ts). A job either restores the stored state or replays the run from the log.
import { Cluster } from "../engine/index.ts";
import { runCommands, type CommandEntry } from "../engine/grading/index.ts";
import type { LabCatalog, LabCommand, LabGrade } from "./labs.ts";

export interface GradeJob {
  slug: string;
  seed: number;
  /** The stored state to restore; when absent, `replay` is run on a fresh cluster of the lab with `seed`. */
  state?: string;
  replay: CommandEntry[];
  /** The run's terminal lines, for `command` checks. */
  commands: LabCommand[];
}

export type GradeOutcome = { grade: LabGrade } | { error: string };

/** Grade one job with `labs` (which must grade and create clusters). */
export function runGradeJob(labs: LabCatalog, job: GradeJob): GradeOutcome {
  let engine: Cluster;
  try {
    if (job.state !== undefined) engine = Cluster.fromJSON(job.state);
    else {
      engine = labs.createCluster!(job.slug, job.seed);
      runCommands(engine, job.replay);
    }
  } catch (e) {
    return { error: `could not rebuild the cluster: ${(e as Error).message}` };
  }
  try {
    return { grade: labs.grade!(job.slug, engine, job.commands) };
  } catch (e) {
    return { error: `could not grade the cluster: ${(e as Error).message}` };
  }
}

/** Runs many jobs at once, possibly in parallel; only for the catalog it was made for. */
export interface GradePool {
  readonly catalog: LabCatalog;
  run(jobs: GradeJob[]): Promise<GradeOutcome[]>;
  close(): Promise<void>;
}
