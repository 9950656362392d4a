// The seam between the API and the labs module. labs/ (written separately) provides a catalog; the API only needs
// this interface. createApp(env) takes one in `env.labs`; with none, `labs` is empty and createCluster accepts only
// clusters without a lab.
import type { Cluster } from "../engine/index.ts";

export interface LabCheckpointInfo {
  id: string;
  title: string;
  points?: number;
  /** Revealed by revealHint. */
  hint?: string;
}

export interface LabInfo {
  slug: string;
  title: string;
  summary?: string;
  /** Markdown instructions shown beside the terminal. */
  instructions?: string;
  objectives?: string[];
  estimatedMinutes?: number;
  /** The steps the lab page shows one by one (Markdown bodies). */
  steps?: { title: string; body: string }[];
  checkpoints: LabCheckpointInfo[];
}

export interface LabCheckpointGrade {
  id: string;
  title: string;
  passed: boolean;
  points: number;
  maxPoints: number;
  /** What is wrong and where to look (or a short confirmation). */
  explanation: string;
}

export interface LabGrade {
  score: number;
  maxScore: number;
  checkpoints: LabCheckpointGrade[];
}

/** One terminal line the student ran (for checks on the command history). */
export interface LabCommand {
  line: string;
  host?: string;
  stdin?: string;
  /** The terminal's shell the line started in, when not a fresh one at home. */
  cwd?: string;
  env?: Record<string, string>;
}

export interface LabCatalog {
  list(): LabInfo[];
  get(slug: string): LabInfo | undefined;
  /** The cluster a lab starts from (its topology and setup steps). Without it, labs start from Cluster.create({ seed }). */
  createCluster?(slug: string, seed: number): Cluster;
  /** Grade a cluster against the lab's checkpoints without changing it. Without it, labs cannot be graded. */
  grade?(slug: string, cluster: Cluster, commands: LabCommand[]): LabGrade;
}

export const EMPTY_CATALOG: LabCatalog = {
  list: () => [],
  get: () => undefined,
};
