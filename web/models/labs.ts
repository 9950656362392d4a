// The lab list: every lab with the student's own state in it (not started / in progress with its score /
// submitted with its score), and the action that opens (or creates) the student's cluster for a lab.
import { computed, createModel, signal } from "@preact/signals";
import { ERROR_FIELDS, payload, type ApiError, type Client } from "../api/client.ts";

export interface LabSummary {
  slug: string;
  title: string;
  summary: string | null;
  objectives: string[];
  estimatedMinutes: number | null;
  checkpoints: { id: string; points: number | null }[];
}

interface ClusterBrief {
  id: string;
  labSlug: string | null;
  openAttempt: { progressScore: number | null; maxScore: number | null } | null;
}

interface AttemptBrief {
  labSlug: string;
  score: number | null;
  maxScore: number | null;
  submittedAt: string | null;
}

export type LabState =
  | { kind: "not-started" }
  | { kind: "in-progress"; score: number | null; maxScore: number }
  | { kind: "submitted"; score: number; maxScore: number };

export const LAB_LIST = `query LabList {
  labs { slug title summary objectives estimatedMinutes checkpoints { id points } }
  myClusters { id labSlug openAttempt { progressScore maxScore } }
  attempts { labSlug score maxScore submittedAt }
}`;

export const CREATE_LAB_CLUSTER = `mutation CreateLabCluster($name: String!, $labSlug: String!) {
  createCluster(input: { name: $name, labSlug: $labSlug }) { ${ERROR_FIELDS} ... on CreateClusterPayload { cluster { id } } }
}`;

export function maxScoreOf(lab: LabSummary): number {
  return lab.checkpoints.reduce((n, c) => n + (c.points ?? 0), 0);
}

/** A lab's state for this student: the newest submitted attempt wins unless a cluster is working on a new one. */
export function labState(lab: LabSummary, clusters: ClusterBrief[], attempts: AttemptBrief[]): LabState {
  const max = maxScoreOf(lab);
  const cluster = clusters.find((c) => c.labSlug === lab.slug);
  const submitted = attempts.find((a) => a.labSlug === lab.slug && a.submittedAt);
  if (cluster?.openAttempt) return { kind: "in-progress", score: cluster.openAttempt.progressScore, maxScore: cluster.openAttempt.maxScore ?? max };
  if (submitted) return { kind: "submitted", score: submitted.score ?? 0, maxScore: submitted.maxScore ?? max };
  if (cluster) return { kind: "in-progress", score: null, maxScore: max };
  return { kind: "not-started" };
}

export const LabsModel = createModel((client: Client) => {
  const labs = signal<LabSummary[] | null>(null);
  const clusters = signal<ClusterBrief[]>([]);
  const attempts = signal<AttemptBrief[]>([]);
  const error = signal<ApiError | null>(null);
  const loading = signal(false);
  const rows = computed(() => (labs.value ?? []).map((lab) => ({ lab, state: labState(lab, clusters.value, attempts.value) })));

  async function load() {
    loading.value = true;
    const r = await client.request<{ labs: LabSummary[]; myClusters: ClusterBrief[]; attempts: AttemptBrief[] }>(LAB_LIST);
    loading.value = false;
    if (!r.ok) return void (error.value = r.error);
    error.value = null;
    labs.value = r.data.labs;
    clusters.value = r.data.myClusters ?? [];
    attempts.value = r.data.attempts ?? [];
  }

  return { labs, rows, error, loading, load };
});

/** The student's cluster for a lab: the live one if there is one, else a new one. */
export async function openLabCluster(client: Client, slug: string): Promise<{ ok: true; id: string } | { ok: false; error: ApiError }> {
  const mine = await client.request<{ myClusters: ClusterBrief[] }>(`query MyLabClusters { myClusters { id labSlug openAttempt { progressScore maxScore } } }`);
  if (!mine.ok) return mine;
  const found = mine.data.myClusters?.find((c) => c.labSlug === slug);
  if (found) return { ok: true, id: found.id };
  const r = payload<{ cluster: { id: string } }>(await client.request(CREATE_LAB_CLUSTER, { name: slug, labSlug: slug }), "createCluster");
  return r.ok ? { ok: true, id: r.data.cluster.id } : r;
}

