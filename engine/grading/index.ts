// The grader's public surface: labs as data, checks evaluated on a Cluster, replay for regrading, exports.
export type * from "./types.ts";
export { gradeLab, createLabCluster, runCommands, runReplayOp, replayAttempt, gradeCommands, LabSetupError } from "./grade.ts";
export type { GradeOptions, CommandOutcome } from "./grade.ts";
export { runCheck, diagnoseService, subsetMismatch } from "./checks.ts";
export { parseScript, formatScript, waitSeconds, parseReplayOp, ScriptError, DEFAULT_HOST } from "./script.ts";
export { expandTemplate, TemplateError } from "./template.ts";
export { gradebookCsv, gradescopeResults, junitXml, ltiScore, xmlEscape } from "./export.ts";
export type { GradebookRow, GradescopeResults, GradescopeTest, LtiScore, ActivityProgress, GradingProgress } from "./export.ts";
export { recordProgress } from "./progress.ts";
export type { Progress } from "./progress.ts";
