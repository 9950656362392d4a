// The lab's checkpoints for one cluster: their state after "Check my progress" (checkProgress), the graders'
// explanations word for word, hints revealed one at a time (revealHint), and the submit (submitLab) with its
// recorded score. On load, the open attempt (or the last submitted one) gives back what the student had.
import { computed, createModel, signal } from "@preact/signals";
import { ERROR_FIELDS, payload, type ApiError, type Client } from "../api/client.ts";

export interface CheckpointDef {
  id: string;
  title: string;
  points: number | null;
  hasHint: boolean;
}

export interface CheckpointState {
  passed: boolean;
  points: number;
  maxPoints: number;
  /** The grader's words for a failed checkpoint. */
  explanation: string | null;
}

export interface Submitted {
  score: number;
  maxScore: number;
  submittedAt: string;
}

const GRADE_FIELDS = `grade { score maxScore checkpoints { id passed points maxPoints explanation } }`;

export const CHECK_PROGRESS = `mutation CheckProgress($id: ID!) {
  checkProgress(input: { clusterId: $id }) { ${ERROR_FIELDS} ... on CheckProgressPayload { progressScore ${GRADE_FIELDS} } }
}`;

export const SUBMIT_LAB = `mutation SubmitLab($id: ID!) {
  submitLab(input: { clusterId: $id }) { ${ERROR_FIELDS} ... on SubmitLabPayload { ${GRADE_FIELDS} attempt { score maxScore submittedAt } } }
}`;

export const REVEAL_HINT = `mutation RevealHint($id: ID!, $checkpoint: String!) {
  revealHint(input: { clusterId: $id, checkpointId: $checkpoint }) { ${ERROR_FIELDS} ... on RevealHintPayload { hint hintsUsed alreadyRevealed } }
}`;

export const CHECKPOINTS_START = `query CheckpointsStart($id: ID!, $slug: String!) {
  cluster(id: $id) { openAttempt { progressScore hintsUsed hints { checkpointId } checkpoints { checkpointId passed score maxScore message } } }
  attempts(labSlug: $slug) { clusterId score maxScore submittedAt }
}`;

type Grade = { score: number; maxScore: number; checkpoints: { id: string; passed: boolean; points: number; maxPoints: number; explanation: string | null }[] };

export const CheckpointsModel = createModel((client: Client, clusterId: string, slug: string, defs: CheckpointDef[]) => {
  const states = signal<Record<string, CheckpointState>>({});
  const hints = signal<Record<string, string>>({});
  /** Checkpoints whose hint was revealed in this attempt (its text may not be loaded yet). */
  const hintUsed = signal<Record<string, true>>({});
  const score = signal<number | null>(null);
  const submitted = signal<Submitted | null>(null);
  const checking = signal(false);
  const submitting = signal(false);
  const error = signal<ApiError | null>(null);
  const maxScore = computed(() => defs.reduce((n, d) => n + (d.points ?? 0), 0));

  const applyGrade = (g: Grade) => {
    const next: Record<string, CheckpointState> = {};
    for (const c of g.checkpoints) next[c.id] = { passed: c.passed, points: c.points, maxPoints: c.maxPoints, explanation: c.passed ? null : c.explanation };
    states.value = next;
  };

  async function load() {
    const r = await client.request<{
      cluster: { openAttempt: { progressScore: number | null; hints: { checkpointId: string }[]; checkpoints: { checkpointId: string; passed: boolean; score: number; maxScore: number; message: string | null }[] } | null } | null;
      attempts: { clusterId: string | null; score: number | null; maxScore: number | null; submittedAt: string | null }[];
    }>(CHECKPOINTS_START, { id: clusterId, slug });
    if (!r.ok) return void (error.value = r.error);
    const open = r.data.cluster?.openAttempt;
    if (open) {
      score.value = open.progressScore;
      const next: Record<string, CheckpointState> = {};
      for (const c of open.checkpoints) next[c.checkpointId] = { passed: c.passed, points: c.score, maxPoints: c.maxScore, explanation: c.passed ? null : c.message };
      states.value = next;
      hintUsed.value = Object.fromEntries(open.hints.map((h) => [h.checkpointId, true as const]));
    }
    const last = r.data.attempts.find((a) => a.clusterId === clusterId && a.submittedAt);
    if (last && !open) submitted.value = { score: last.score ?? 0, maxScore: last.maxScore ?? maxScore.peek(), submittedAt: last.submittedAt! };
  }

  async function check() {
    checking.value = true;
    const r = payload<{ progressScore: number; grade: Grade }>(await client.request(CHECK_PROGRESS, { id: clusterId }), "checkProgress");
    checking.value = false;
    if (!r.ok) return void (error.value = r.error);
    error.value = null;
    applyGrade(r.data.grade);
    score.value = r.data.progressScore;
    submitted.value = null;
  }

  async function revealHint(checkpointId: string) {
    const r = payload<{ hint: string | null; hintsUsed: number }>(await client.request(REVEAL_HINT, { id: clusterId, checkpoint: checkpointId }), "revealHint");
    if (!r.ok) return void (error.value = r.error);
    error.value = null;
    hints.value = { ...hints.value, [checkpointId]: r.data.hint ?? "This checkpoint has no hint." };
    hintUsed.value = { ...hintUsed.value, [checkpointId]: true };
  }

  async function submit() {
    submitting.value = true;
    const r = payload<{ grade: Grade; attempt: Submitted }>(await client.request(SUBMIT_LAB, { id: clusterId }), "submitLab");
    submitting.value = false;
    if (!r.ok) return void (error.value = r.error);
    error.value = null;
    applyGrade(r.data.grade);
    submitted.value = r.data.attempt;
    score.value = r.data.attempt.score;
    hintUsed.value = {};
    hints.value = {};
  }

  return { states, hints, hintUsed, score, maxScore, submitted, checking, submitting, error, load, check, revealHint, submit };
});

export type CheckpointsModelType = InstanceType<typeof CheckpointsModel>;
