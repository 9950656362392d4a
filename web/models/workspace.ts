// The workspace of one lab: the lab's text and checkpoints, and the student's cluster for it (opened or created;
// a new one when the old one is gone), with the reset action.
import { createModel, signal } from "@preact/signals";
import { ERROR_FIELDS, payload, type ApiError, type Client } from "../api/client.ts";
import { CREATE_LAB_CLUSTER, openLabCluster } from "./labs.ts";

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

export const RESET_CLUSTER = `mutation ResetCluster($id: ID!) {
  resetCluster(input: { clusterId: $id }) { ${ERROR_FIELDS} ... on ResetClusterPayload { cluster { version } } }
}`;

export const WorkspaceModel = createModel((client: Client, slug: string) => {
  const lab = signal<LabDetail | null>(null);
  const clusterId = signal<string | null>(null);
  const error = signal<ApiError | null>(null);
  /** The cluster went away under the page (deleted elsewhere). */
  const gone = signal<string | null>(null);
  const resetting = signal(false);
  /** Bumped after each reset (views that show the cluster start again). */
  const resets = signal(0);

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

  /** A new cluster for the lab, after the old one was deleted. */
  async function startOver() {
    const r = payload<{ cluster: { id: string } }>(await client.request(CREATE_LAB_CLUSTER, { name: slug, labSlug: slug }), "createCluster");
    if (!r.ok) return void (error.value = r.error);
    gone.value = null;
    error.value = null;
    clusterId.value = r.data.cluster.id;
  }

  async function reset() {
    const id = clusterId.peek();
    if (!id) return false;
    resetting.value = true;
    const r = payload(await client.request(RESET_CLUSTER, { id }), "resetCluster");
    resetting.value = false;
    if (!r.ok) {
      error.value = r.error;
      return false;
    }
    resets.value++;
    return true;
  }

  return { lab, clusterId, error, gone, resetting, resets, open, startOver, reset };
});

export type WorkspaceModelType = InstanceType<typeof WorkspaceModel>;
