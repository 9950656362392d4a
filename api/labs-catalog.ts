// The labs module's catalog (labs/catalog.ts) plus grading (engine/grading), as the API's LabCatalog.
import { labCatalog, getLab } from "../labs/catalog.ts";
import { gradeLab } from "../engine/grading/index.ts";
import type { LabCatalog } from "./labs.ts";

export const catalog: LabCatalog = {
  list: labCatalog.list,
  get: labCatalog.get,
  createCluster: labCatalog.createCluster,
  grade(slug, cluster, commands) {
    const lab = getLab(slug);
    if (!lab) throw new Error(`unknown lab ${slug}`);
    const r = gradeLab(lab, cluster, { commandLog: commands });
    return {
      score: r.score,
      maxScore: r.maxScore,
      checkpoints: r.checkpoints.map((c) => ({ id: c.id, title: c.title, passed: c.passed, points: c.points, maxPoints: c.maxPoints, explanation: c.explanation })),
    };
  },
};
