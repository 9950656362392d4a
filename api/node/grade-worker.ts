// A grading worker thread (api/node/grade-pool.ts): grades the jobs it is sent with the standard lab catalog.
import { parentPort } from "node:worker_threads";
import { catalog } from "../labs-catalog.ts";
import { runGradeJob, type GradeJob } from "../grade-jobs.ts";

parentPort!.on("message", (m: { id: number; jobs: GradeJob[] }) => {
  parentPort!.postMessage({ id: m.id, outcomes: m.jobs.map((j) => runGradeJob(catalog, j)) });
});
