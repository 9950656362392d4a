// What the web lab's pages need beyond the API's other domains: a lab's objectives, time and steps (the lab list
// and the workspace), whether a checkpoint has a hint, and Tab completion in the terminal.
import { builder } from "../builder.ts";
import { engineOf } from "../clusters.ts";
import type { LabInfo } from "../labs.ts";
import { complete, type Completion } from "../../engine/shell/complete.ts";
import { LabCheckpointRef, LabRef } from "./labs.ts";

const LabStepRef = builder.objectRef<{ title: string; body: string }>("LabStep").implement({
  description: "One step of a lab's instructions.",
  fields: (t) => ({
    title: t.exposeString("title"),
    body: t.exposeString("body", { description: "Markdown; its code blocks hold terminal commands." }),
  }),
});

builder.objectFields(LabRef, (t) => ({
  objectives: t.stringList({ resolve: (l: LabInfo) => l.objectives ?? [] }),
  estimatedMinutes: t.int({ nullable: true, description: "How long the lab takes, roughly.", resolve: (l: LabInfo) => l.estimatedMinutes ?? null }),
  steps: t.field({ type: [LabStepRef], resolve: (l: LabInfo) => l.steps ?? [] }),
}));

builder.objectField(LabCheckpointRef, "hasHint", (t) =>
  t.boolean({ description: "revealHint has a hint to give for this checkpoint.", resolve: (c) => typeof c.hint === "string" && c.hint.length > 0 }),
);

const CompletionRef = builder.objectRef<Completion>("Completion").implement({
  description: "Tab completion of a terminal line.",
  fields: (t) => ({
    start: t.exposeInt("start", { description: "Where the completed word starts in the line: candidates replace the line from there." }),
    candidates: t.exposeStringList("candidates", { description: "Sorted; empty when nothing completes." }),
  }),
});

/** A line longer than this is not completed (the exec mutation's own limit is larger; completion needs no more). */
export const MAX_COMPLETION_LINE = 4096;

builder.prismaObjectField("Cluster", "completions", (t) =>
  t.field({
    type: CompletionRef,
    description: "What Tab completes at the end of `line` in the lab terminal: command names, kubectl subcommands, resource types, names of objects in this cluster, nodes for ssh.",
    args: {
      line: t.arg.string({ required: true }),
      host: t.arg.string({ required: false, description: "A node name (default master01) or `pod:<namespace>/<name>`." }),
    },
    resolve: (row, a, ctx) => {
      if (a.line.length > MAX_COMPLETION_LINE) return { start: a.line.length, candidates: [] };
      return complete(engineOf(ctx, row), a.line, a.host ?? "master01");
    },
  }),
);
