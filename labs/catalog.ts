// The lab catalog as code: what the API, Workers and browsers use (they cannot read lab folders at run time).
// `labs/catalog.generated.ts` is written by `scripts/gen-labs.ts` from the folders; a test fails when it is stale.
import type { Lab } from "../engine/grading/types.ts";
import type { Cluster } from "../engine/cluster.ts";
import { createLabCluster } from "../engine/grading/grade.ts";
import { LABS } from "./catalog.generated.ts";

export { LABS };

/** Every lab, in catalog order (each lab's `order`: the course's order). */
export function listLabs(): Lab[] {
  return LABS;
}

export function getLab(slug: string): Lab | undefined {
  return LABS.find((l) => l.slug === slug);
}

/** A summary without solutions or checks (what a student's lab list shows). */
export function labSummaries(): { slug: string; title: string; summary: string; objectives: string[]; estimatedMinutes: number; maxScore: number }[] {
  return LABS.map((l) => ({
    slug: l.slug,
    title: l.title,
    summary: l.summary,
    objectives: l.objectives,
    estimatedMinutes: l.estimatedMinutes,
    maxScore: l.checkpoints.reduce((n, c) => n + c.points, 0),
  }));
}

/** Markdown instructions for a lab: its summary, objectives and steps, as the lab page shows them. */
export function labInstructions(lab: Lab): string {
  const parts = [`# ${lab.title}`, lab.summary.trim(), "## Objectives", lab.objectives.map((o) => `- ${o}`).join("\n")];
  lab.steps.forEach((s, i) => parts.push(`## ${i + 1}. ${s.title}`, s.body.trim()));
  return parts.join("\n\n") + "\n";
}

/** The catalog in the shape the API's `LabCatalog` seam (api/labs.ts) expects. */
export const labCatalog = {
  list: () => LABS.map(labInfo),
  get: (slug: string) => {
    const l = getLab(slug);
    return l ? labInfo(l) : undefined;
  },
  createCluster: (slug: string, seed: number): Cluster => {
    const l = getLab(slug);
    if (!l) throw new Error(`unknown lab ${slug}`);
    return createLabCluster(l, seed);
  },
};

function labInfo(l: Lab) {
  return {
    slug: l.slug,
    title: l.title,
    summary: l.summary,
    instructions: labInstructions(l),
    estimatedMinutes: l.estimatedMinutes,
    objectives: l.objectives,
    steps: l.steps.map((s) => ({ title: s.title, body: s.body })),
    checkpoints: l.checkpoints.map((c) => ({ id: c.id, title: c.title, points: c.points, hint: c.hint })),
  };
}
