// One student's attempt for the grade book: the command log as a transcript (inputs, outputs, hosts), each
// checkpoint as the grader explained it, the hints revealed, and the cluster picture at the end of the attempt.
import { createModel, signal } from "@preact/signals";
import type { ApiError, Client } from "../api/client.ts";
import { PICTURE_FIELDS, type PictureData } from "./clusterPicture.ts";

export interface TranscriptEntry {
  seq: number;
  operation: string;
  input: string;
  host: string | null;
  stdout: string;
  stderr: string;
  exitCode: number;
}
export interface AttemptDetail {
  id: string;
  user: string;
  labSlug: string;
  score: number | null;
  maxScore: number | null;
  startedAt: string;
  submittedAt: string | null;
  hints: { checkpointId: string; at: string }[];
  results: { checkpoints?: { id: string; title: string; passed: boolean; points: number; maxPoints: number; explanation: string }[] } | null;
  transcript: TranscriptEntry[];
  picture: PictureData | null;
}

export const ATTEMPT_QUERY = `query Attempt($id: ID!) { attempt(id: $id) {
  id user labSlug score maxScore startedAt submittedAt hints { checkpointId at } results
  transcript { seq operation input host stdout stderr exitCode }
  picture ${PICTURE_FIELDS}
} }`;

/** The prompt a line ran at, as the terminal showed it. */
export function promptOf(host: string | null): string {
  if (host?.startsWith("pod:")) return `root@${host.slice(host.indexOf("/") + 1)}:/# `;
  return `[root@${host ?? "master01"} ~]# `;
}

export const AttemptModel = createModel((client: Client, id: string) => {
  const attempt = signal<AttemptDetail | null>(null);
  const missing = signal(false);
  const error = signal<ApiError | null>(null);
  async function load() {
    const r = await client.request<{ attempt: AttemptDetail | null }>(ATTEMPT_QUERY, { id });
    if (!r.ok) return void (error.value = r.error);
    error.value = null;
    if (!r.data.attempt) missing.value = true;
    else attempt.value = r.data.attempt;
  }
  return { attempt, missing, error, load };
});
