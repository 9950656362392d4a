// The student's cluster, drawn live: the picture read again on every clusterChanged event (SSE), with the
// connection's state said in words. The grade book draws an attempt's end with ClusterPictureView directly.
import { useModel } from "@preact/signals";
import { useServices } from "../context.ts";
import { ClusterPictureModel } from "../models/clusterPicture.ts";
import { livePictureFeed } from "../models/pictureFeed.ts";
import { ClusterPictureView } from "./ClusterPictureView.tsx";

const STATE_TEXT: Record<string, string> = {
  connecting: "Connecting…",
  live: "Live: follows every change of your cluster.",
  reconnecting: "Connection lost — reconnecting…",
  ended: "This cluster is gone.",
  failed: "The live picture stopped",
  static: "",
};

export function ClusterPicture({ clusterId }: { clusterId: string }) {
  const { session } = useServices();
  const m = useModel(() => new ClusterPictureModel(livePictureFeed(() => session.token.peek(), clusterId)));
  const view = m.view.value;
  const state = m.gone.value ? "ended" : m.state.value;
  return (
    <section class="ws-picture" aria-labelledby="picture-title" data-cluster-id={clusterId}>
      <h2 id="picture-title">The cluster</h2>
      <p class="picture-status" data-state={state} data-testid="picture-status" aria-live="polite">
        {STATE_TEXT[state]}
        {state === "failed" && m.error.value ? `: ${m.error.value}` : ""}
      </p>
      {view ? <ClusterPictureView view={view} title="Your cluster" /> : state !== "ended" && <p class="muted">Drawing your cluster…</p>}
    </section>
  );
}
