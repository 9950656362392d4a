// Progress over time, for checkProgress / submit: the first time each checkpoint passed is kept, so a checkpoint a
// later command undoes (scaling back up, relabelling) still counts as achieved. Pure: the caller passes the time.
import type { GradeResult } from "./types.ts";

export interface Progress {
  /** Checkpoint id -> RFC 3339 time it first passed. */
  firstPassedAt: Record<string, string>;
  /** Sum of the points of every checkpoint that has ever passed. */
  score: number;
  maxScore: number;
}

/**
 * Fold a new grade into the stored progress. `newlyPassed` lists the checkpoints that passed for the first time
 * in this grade (what a UI announces). Checkpoints no longer in the lab are dropped.
 */
export function recordProgress(prev: Progress | undefined, result: GradeResult, at: string): { progress: Progress; newlyPassed: string[] } {
  const firstPassedAt: Record<string, string> = {};
  const newlyPassed: string[] = [];
  let score = 0;
  for (const cp of result.checkpoints) {
    const before = prev?.firstPassedAt[cp.id];
    if (before) firstPassedAt[cp.id] = before;
    else if (cp.passed) {
      firstPassedAt[cp.id] = at;
      newlyPassed.push(cp.id);
    }
    if (firstPassedAt[cp.id]) score += cp.maxPoints;
  }
  return { progress: { firstPassedAt, score, maxScore: result.maxScore }, newlyPassed };
}
