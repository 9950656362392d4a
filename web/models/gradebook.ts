// One lab's grade book for its instructors and graders: labReport's students (every page of them) joined with each
// student's latest submitted attempt (`grades`: its id and the grader's explanations), the checkpoint pass rates and
// the score distribution; the table's sort, filters and pages as a view of that; polling for new submits; regrade
// (regradeLab with record, page by page, with progress and who gained or lost points); exports as gradeExport gives.
import { computed, createModel, effect, signal } from "@preact/signals";
import { payload, ERROR_FIELDS, type ApiError, type Client, type Result } from "../api/client.ts";

export type CellState = "passed" | "failed" | "not attempted";

export interface CheckpointCell {
  id: string;
  state: CellState;
  firstPassedAt: string | null;
  /** The grader's explanation in the latest submitted attempt (failed checkpoints say what is wrong). */
  explanation: string | null;
}

export interface StudentRow {
  userId: string;
  name: string;
  submitted: boolean;
  inProgress: boolean;
  attempts: number;
  score: number | null;
  submittedAt: string | null;
  hintsUsed: number;
  latestAttemptId: string | null;
  cells: CheckpointCell[];
}

export interface CheckpointStat {
  id: string;
  title: string;
  points: number;
  students: number;
  passed: number;
  passRate: number;
}

export interface Gradebook {
  labSlug: string;
  title: string;
  maxScore: number;
  checkpoints: CheckpointStat[];
  scores: number[];
  students: StudentRow[];
}

interface ReportStudent {
  userId: string;
  name: string | null;
  attempts: number;
  latestScore: number | null;
  latestSubmittedAt: string | null;
  inProgress: boolean;
  hintsUsed: number;
  checkpoints: { checkpointId: string; firstPassedAt: string | null; passedInLatest: boolean }[];
}
interface GradedAttempt {
  id: string;
  user: string;
  submittedAt: string;
  results: { checkpoints?: { id: string; passed: boolean; explanation: string }[] } | null;
}

export const GRADEBOOK_QUERY = `query Gradebook($c: String!, $s: String!, $after: String) {
  lab(slug: $s) { title }
  labReport(courseId: $c, labSlug: $s) {
    maxScore scores
    checkpoints { id title points students passed passRate }
    students(first: 100, after: $after) {
      pageInfo { hasNextPage endCursor }
      edges { node { userId name attempts latestScore latestSubmittedAt inProgress hintsUsed checkpoints { checkpointId firstPassedAt passedInLatest } } }
    }
  }
  grades(courseId: $c, labSlug: $s) { id user submittedAt results }
}`;

/** The table's rows from labReport's students and the submitted attempts (newest first per user). */
export function joinRows(students: ReportStudent[], checkpoints: CheckpointStat[], attempts: GradedAttempt[]): StudentRow[] {
  const latest = new Map<string, GradedAttempt>();
  for (const a of attempts) {
    const l = latest.get(a.user);
    if (!l || a.submittedAt > l.submittedAt) latest.set(a.user, a);
  }
  return students.map((s) => {
    const a = latest.get(s.userId);
    const submitted = s.attempts > 0;
    const cells = checkpoints.map((c): CheckpointCell => {
      const mine = s.checkpoints.find((x) => x.checkpointId === c.id);
      const graded = a?.results?.checkpoints?.find((x) => x.id === c.id);
      const state: CellState = mine?.passedInLatest ? "passed" : submitted ? "failed" : mine?.firstPassedAt ? "passed" : "not attempted";
      return { id: c.id, state, firstPassedAt: mine?.firstPassedAt ?? null, explanation: graded?.explanation ?? null };
    });
    return {
      userId: s.userId,
      name: s.name ?? s.userId,
      submitted,
      inProgress: s.inProgress,
      attempts: s.attempts,
      score: s.latestScore,
      submittedAt: s.latestSubmittedAt,
      hintsUsed: s.hintsUsed,
      latestAttemptId: a?.id ?? null,
      cells,
    };
  });
}

// ---- the table's view: filters, sort, pages ----

export type SortKey = "name" | "score" | "submittedAt" | "hintsUsed" | `cp:${string}`;
export interface TableQuery {
  sort: SortKey;
  desc: boolean;
  notSubmitted: boolean;
  /** Only students whose score is below this (not submitted counts as below). */
  below: number | null;
  /** Only students who failed this checkpoint. */
  failed: string | null;
  page: number;
  pageSize: number;
}

export const DEFAULT_QUERY: TableQuery = { sort: "name", desc: false, notSubmitted: false, below: null, failed: null, page: 0, pageSize: 20 };

const CELL_ORDER: Record<CellState, number> = { passed: 2, failed: 1, "not attempted": 0 };

function sortValue(r: StudentRow, key: SortKey): string | number {
  if (key === "name") return r.name.toLowerCase();
  if (key === "score") return r.score ?? -1;
  if (key === "submittedAt") return r.submittedAt ?? "";
  if (key === "hintsUsed") return r.hintsUsed;
  const cell = r.cells.find((c) => c.id === key.slice(3));
  return cell ? CELL_ORDER[cell.state] : -1;
}

export function tableView(rows: StudentRow[], q: TableQuery): { rows: StudentRow[]; total: number; pages: number; page: number } {
  const kept = rows.filter(
    (r) =>
      (!q.notSubmitted || !r.submitted) &&
      (q.below === null || (r.score ?? -Infinity) < q.below) &&
      (q.failed === null || r.cells.some((c) => c.id === q.failed && c.state === "failed")),
  );
  const dir = q.desc ? -1 : 1;
  kept.sort((a, b) => {
    const x = sortValue(a, q.sort);
    const y = sortValue(b, q.sort);
    if (x < y) return -dir;
    if (x > y) return dir;
    return a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0;
  });
  const pages = Math.max(1, Math.ceil(kept.length / q.pageSize));
  const page = Math.min(Math.max(0, q.page), pages - 1);
  return { rows: kept.slice(page * q.pageSize, (page + 1) * q.pageSize), total: kept.length, pages, page };
}

/** Scores into `bins` equal bins over 0..max (the last bin holds max): the score distribution's bars. */
export function histogram(scores: number[], max: number, bins = 10): { from: number; to: number; count: number }[] {
  const n = Math.max(1, Math.min(bins, Math.ceil(max) || 1));
  const width = (max || 1) / n;
  const out = Array.from({ length: n }, (_, i) => ({ from: i * width, to: (i + 1) * width, count: 0 }));
  for (const s of scores) out[Math.min(n - 1, Math.max(0, Math.floor(s / width)))].count++;
  return out;
}

// ---- regrade ----

export interface RegradeChange {
  userId: string;
  before: number | null;
  after: number;
}
export interface RegradeProgress {
  done: number;
  total: number;
  pages: number;
  failures: string[];
  changes: RegradeChange[];
  finished: boolean;
}

const REGRADE = `mutation Regrade($c: String!, $s: String!, $after: ID, $first: Int) {
  regradeLab(input: { courseId: $c, labSlug: $s, record: true, after: $after, first: $first }) { ${ERROR_FIELDS}
    ... on RegradeLabPayload { regraded changed nextCursor attempts { userId previousScore score matches } failures { userId message } } }
}`;
interface RegradePage {
  regraded: number;
  nextCursor: string | null;
  attempts: { userId: string; previousScore: number | null; score: number; matches: boolean }[];
  failures: { userId: string; message: string }[];
}

export const EXPORT_FORMATS = ["CSV", "GRADESCOPE", "JUNIT", "LTI"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export interface ExportFile {
  filename: string;
  contentType: string;
  text: string;
  rows: number;
}
const EXPORT = `query Export($c: String!, $s: String!, $f: GradeExportFormat!) { gradeExport(courseId: $c, labSlug: $s, format: $f) { filename contentType text rows } }`;

export const POLL_SECONDS = 15;

interface GradebookAnswer {
  lab: { title: string } | null;
  labReport: {
    maxScore: number;
    scores: number[];
    checkpoints: CheckpointStat[];
    students: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { node: ReportStudent }[] };
  } | null;
  grades: GradedAttempt[];
}

export interface GradebookDeps {
  client: Client;
  courseId: string;
  slug: string;
  /** Seconds between refreshes (0: none). */
  pollSeconds?: number;
  now?: () => Date;
}

export const GradebookModel = createModel((deps: GradebookDeps) => {
  const { client, courseId, slug } = deps;
  const book = signal<Gradebook | null>(null);
  const missing = signal(false);
  const error = signal<ApiError | null>(null);
  const updatedAt = signal<Date | null>(null);
  const query = signal<TableQuery>(DEFAULT_QUERY);
  const regrade = signal<RegradeProgress | null>(null);
  const regrading = signal(false);
  const exporting = signal<ExportFormat | null>(null);
  const view = computed(() => (book.value ? tableView(book.value.students, query.value) : null));

  async function load(): Promise<void> {
    const students: ReportStudent[] = [];
    let after: string | null = null;
    for (;;) {
      const r: Result<GradebookAnswer> = await client.request<GradebookAnswer>(GRADEBOOK_QUERY, { c: courseId, s: slug, after });
      if (!r.ok) return void (error.value = r.error);
      const rep: GradebookAnswer["labReport"] = r.data.labReport;
      if (!rep || !r.data.lab) return void (missing.value = true);
      students.push(...rep.students.edges.map((e) => e.node));
      if (rep.students.pageInfo.hasNextPage && rep.students.pageInfo.endCursor) {
        after = rep.students.pageInfo.endCursor;
        continue;
      }
      error.value = null;
      book.value = { labSlug: slug, title: r.data.lab.title, maxScore: rep.maxScore, checkpoints: rep.checkpoints, scores: rep.scores, students: joinRows(students, rep.checkpoints, r.data.grades) };
      updatedAt.value = deps.now?.() ?? new Date();
      return;
    }
  }

  function setQuery(change: Partial<TableQuery>) {
    const resetPage = !("page" in change);
    query.value = { ...query.value, ...change, ...(resetPage ? { page: 0 } : {}) };
  }

  function sortBy(key: SortKey) {
    const q = query.value;
    setQuery({ sort: key, desc: q.sort === key ? !q.desc : key === "score" || key.startsWith("cp:") });
  }

  /** regradeLab with record, a page at a time, until nextCursor is null. */
  async function runRegrade(): Promise<void> {
    if (regrading.value) return;
    regrading.value = true;
    const total = book.value?.students.reduce((n, s) => n + s.attempts, 0) ?? 0;
    const first = Math.max(1, Math.min(200, Math.ceil(total / 10)));
    const p: RegradeProgress = { done: 0, total, pages: 0, failures: [], changes: [], finished: false };
    regrade.value = { ...p };
    let after: string | null = null;
    try {
      for (;;) {
        const r: Result<RegradePage> = payload<RegradePage>(await client.request<Record<string, unknown>>(REGRADE, { c: courseId, s: slug, after, first }), "regradeLab");
        if (!r.ok) return void (error.value = r.error);
        p.pages++;
        p.done += r.data.regraded;
        p.total = Math.max(p.total, p.done);
        p.failures.push(...r.data.failures.map((f) => `${f.userId}: ${f.message}`));
        for (const a of r.data.attempts) if (a.previousScore !== a.score) p.changes.push({ userId: a.userId, before: a.previousScore, after: a.score });
        p.changes.sort((x, y) => (x.userId < y.userId ? -1 : x.userId > y.userId ? 1 : 0)); // pages come in attempt order
        
        regrade.value = { ...p };
        if (!r.data.nextCursor) break;
        after = r.data.nextCursor;
      }
      p.finished = true;
      regrade.value = { ...p };
      await load();
    } finally {
      regrading.value = false;
    }
  }

  async function exportAs(format: ExportFormat): Promise<ExportFile | null> {
    exporting.value = format;
    try {
      const r = await client.request<{ gradeExport: ExportFile | null }>(EXPORT, { c: courseId, s: slug, f: format });
      if (!r.ok) return (error.value = r.error), null;
      return r.data.gradeExport;
    } finally {
      exporting.value = null;
    }
  }

  const poll = deps.pollSeconds ?? POLL_SECONDS;
  effect(() => {
    if (!poll) return;
    const timer = setInterval(() => {
      if (!regrading.peek()) void load();
    }, poll * 1000);
    return () => clearInterval(timer);
  });

  return { book, missing, error, updatedAt, query, view, regrade, regrading, exporting, load, setQuery, sortBy, runRegrade, exportAs };
});
