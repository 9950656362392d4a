// `/labs/<slug>`: the lab's steps and checkpoints on one side, the terminal on the other, the cluster's picture.
import { useEffect } from "preact/hooks";
import { useModel } from "@preact/signals";
import { useServices } from "../context.ts";
import { WorkspaceModel } from "../models/workspace.ts";
import { ErrorNote } from "./ErrorNote.tsx";
import { ClusterPictureSlot } from "./ClusterPictureSlot.tsx";

export function Workspace({ slug }: { slug: string }) {
  const { client } = useServices();
  const ws = useModel(() => new WorkspaceModel(client, slug));
  useEffect(() => void ws.open(), [ws]);
  const lab = ws.lab.value;
  const clusterId = ws.clusterId.value;
  return (
    <div class="workspace">
      <section class="ws-steps" aria-labelledby="lab-title">
        <h1 id="lab-title">{lab?.title ?? slug}</h1>
        {ws.error.value && <ErrorNote error={ws.error.value} retry={ws.open} />}
        {!lab && !ws.error.value && <p aria-live="polite">Opening your lab cluster…</p>}
      </section>
      <section class="ws-terminal" aria-label="Terminal">
        {clusterId ? <p>Cluster {clusterId}</p> : null}
      </section>
      {clusterId && <ClusterPictureSlot clusterId={clusterId} />}
    </div>
  );
}
