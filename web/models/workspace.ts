// The workspace of one lab: the lab's text and checkpoints, and the student's cluster for it (opened or created).
import { createModel, signal } from "@preact/signals";
import type { ApiError, Client } from "../api/client.ts";
import { openLabCluster } from "./labs.ts";

export interface LabDetail {
  slug: string;
  title: string;
  summary: string | null;
  steps: { title: string; body: string }[];
  checkpoints: { id: string; title: string; points: number | null; hasHint: boolean }[];
}

export const LAB_DETAIL = `query LabDetail($slug: String!) {
  lab(slug: $slug) { slug title summary steps { title body } checkpoints { id title points hasHint } }
}`;

export const WorkspaceModel = createModel((client: Client, slug: string) => {
  const lab = signal<LabDetail | null>(null);
  const clusterId = signal<string | null>(null);
  const error = signal<ApiError | null>(null);

  async function open() {
    error.value = null;
    const r = await client.request<{ lab: LabDetail | null }>(LAB_DETAIL, { slug });
    if (!r.ok) return void (error.value = r.error);
    if (!r.data.lab) return void (error.value = { kind: "graphql", message: `There is no lab "${slug}". Pick one from the list of labs.` });
    lab.value = r.data.lab;
    const c = await openLabCluster(client, slug);
    if (!c.ok) return void (error.value = c.error);
    clusterId.value = c.id;
  }

  return { lab, clusterId, error, open };
});
