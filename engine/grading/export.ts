// Grade exports for pipelines: a CSV gradebook, Gradescope's results.json, JUnit XML and LTI 1.3 Assignment and
// Grade Services score objects. Pure functions of grade results; timestamps are passed in.
import type { GradeResult } from "./types.ts";

// ---- CSV gradebook ----

export interface GradebookRow {
  userId: string;
  name?: string;
  email?: string;
  result: GradeResult;
  /** RFC 3339, when the grade was recorded / submitted. */
  gradedAt?: string;
  attempts?: number;
}

function csvField(v: string | number | undefined): string {
  const s = v === undefined ? "" : String(v);
  // Formula injection: a leading =,+,-,@ is neutralised for spreadsheet apps (numbers are written as numbers).
  const safe = typeof v === "string" && /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * One row per student and lab: identity, lab, score, max, percent, then one column per checkpoint (points earned;
 * named `<checkpoint>` for one lab, `<lab>:<checkpoint>` when several labs share the sheet). RFC 4180 (CRLF).
 */
export function gradebookCsv(rows: GradebookRow[]): string {
  const labs = [...new Set(rows.map((r) => r.result.lab))];
  const multi = labs.length > 1;
  const cols: string[] = [];
  for (const r of rows) for (const cp of r.result.checkpoints) {
    const col = multi ? `${r.result.lab}:${cp.id}` : cp.id;
    if (!cols.includes(col)) cols.push(col);
  }
  const header = ["user_id", "name", "email", "lab", "score", "max_score", "percent", "attempts", "graded_at", ...cols];
  const lines = [header.map(csvField).join(",")];
  for (const r of rows) {
    const byCol = new Map(r.result.checkpoints.map((cp) => [multi ? `${r.result.lab}:${cp.id}` : cp.id, cp.points]));
    const pct = r.result.maxScore ? Math.round((r.result.score / r.result.maxScore) * 10000) / 100 : 0;
    lines.push(
      [r.userId, r.name, r.email, r.result.lab, r.result.score, r.result.maxScore, pct, r.attempts, r.gradedAt, ...cols.map((c) => byCol.get(c))]
        .map(csvField)
        .join(","),
    );
  }
  return lines.join("\r\n") + "\r\n";
}

// ---- Gradescope ----

export interface GradescopeTest {
  name: string;
  number: string;
  score: number;
  max_score: number;
  status: "passed" | "failed";
  output: string;
  output_format: "text";
  visibility: "visible" | "hidden" | "after_due_date" | "after_published";
  tags: string[];
}

export interface GradescopeResults {
  score: number;
  execution_time?: number;
  output: string;
  output_format: "text";
  test_output_format: "text";
  visibility: "visible" | "hidden" | "after_due_date" | "after_published";
  stdout_visibility: "visible" | "hidden";
  tests: GradescopeTest[];
  extra_data: { lab: string; max_score: number };
}

/** Gradescope autograder `results.json`: one test per checkpoint; top-level score = sum of earned points. */
export function gradescopeResults(r: GradeResult, opts: { executionTime?: number; visibility?: GradescopeResults["visibility"] } = {}): GradescopeResults {
  const out: GradescopeResults = {
    score: r.score,
    output: `${r.lab}: ${r.score}/${r.maxScore} points, ${r.checkpoints.filter((c) => c.passed).length} of ${r.checkpoints.length} checkpoints passed.`,
    output_format: "text",
    test_output_format: "text",
    visibility: opts.visibility ?? "visible",
    stdout_visibility: "hidden",
    tests: r.checkpoints.map((cp, i) => ({
      name: cp.title,
      number: String(i + 1),
      score: cp.points,
      max_score: cp.maxPoints,
      status: cp.passed ? "passed" : "failed",
      output: cp.explanation,
      output_format: "text",
      visibility: "visible",
      tags: [cp.id],
    })),
    extra_data: { lab: r.lab, max_score: r.maxScore },
  };
  if (opts.executionTime !== undefined) out.execution_time = opts.executionTime;
  return out;
}

// ---- JUnit XML ----

export function xmlEscape(s: string): string {
  // Characters XML 1.0 forbids are dropped; the five specials escaped.
  return s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, "").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");
}

/** JUnit XML: one testsuite per lab, one testcase per checkpoint, a <failure> with the explanation when failed. */
export function junitXml(results: GradeResult | GradeResult[], opts: { timestamp?: string; name?: string } = {}): string {
  const list = Array.isArray(results) ? results : [results];
  const tests = list.reduce((n, r) => n + r.checkpoints.length, 0);
  const failures = list.reduce((n, r) => n + r.checkpoints.filter((c) => !c.passed).length, 0);
  const a = (k: string, v: string | number) => ` ${k}="${xmlEscape(String(v))}"`;
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites${a("name", opts.name ?? "kubelab")}${a("tests", tests)}${a("failures", failures)}${a("errors", 0)}>`];
  for (const r of list) {
    const f = r.checkpoints.filter((c) => !c.passed).length;
    out.push(`  <testsuite${a("name", r.lab)}${a("tests", r.checkpoints.length)}${a("failures", f)}${a("errors", 0)}${a("skipped", 0)}${opts.timestamp ? a("timestamp", opts.timestamp) : ""}>`);
    out.push(`    <properties><property${a("name", "score")}${a("value", r.score)}/><property${a("name", "maxScore")}${a("value", r.maxScore)}/></properties>`);
    for (const cp of r.checkpoints) {
      const open = `    <testcase${a("classname", r.lab)}${a("name", `${cp.id}: ${cp.title}`)}${a("time", 0)}>`;
      if (cp.passed) out.push(`${open}<system-out>${xmlEscape(cp.explanation)}</system-out></testcase>`);
      else out.push(`${open}`, `      <failure${a("message", cp.explanation)}${a("type", "CheckpointFailed")}>${xmlEscape(cp.explanation)}</failure>`, "    </testcase>");
    }
    out.push("  </testsuite>");
  }
  out.push("</testsuites>");
  return out.join("\n") + "\n";
}

// ---- LTI 1.3 AGS ----

export type ActivityProgress = "Initialized" | "Started" | "InProgress" | "Submitted" | "Completed";
export type GradingProgress = "FullyGraded" | "Pending" | "PendingManual" | "Failed" | "NotReady";

export interface LtiScore {
  userId: string;
  scoreGiven: number;
  scoreMaximum: number;
  comment?: string;
  timestamp: string;
  activityProgress: ActivityProgress;
  gradingProgress: GradingProgress;
}

/**
 * An LTI AGS Score (application/vnd.ims.lis.v1.score+json) for POSTing to a line item's `/scores`. `timestamp`
 * must be ISO 8601 with sub-second precision and a zone (the grader passes the time it recorded the grade).
 */
export function ltiScore(
  r: GradeResult,
  opts: { userId: string; timestamp: string; activityProgress?: ActivityProgress; gradingProgress?: GradingProgress; comment?: string },
): LtiScore {
  const ts = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(opts.timestamp) ? opts.timestamp.replace("Z", ".000Z") : opts.timestamp;
  const s: LtiScore = {
    userId: opts.userId,
    scoreGiven: r.score,
    scoreMaximum: r.maxScore,
    timestamp: ts,
    activityProgress: opts.activityProgress ?? "Submitted",
    gradingProgress: opts.gradingProgress ?? "FullyGraded",
  };
  const comment = opts.comment ?? `${r.checkpoints.filter((c) => c.passed).length}/${r.checkpoints.length} checkpoints passed`;
  if (comment) s.comment = comment;
  return s;
}
