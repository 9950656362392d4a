// ─── SLOT: the cluster picture ───────────────────────────────────────────────────────────────────────────────────
// The picture of the cluster (nodes, pods, Services, Endpoints, the last request's path) is built separately
// (web/components/ClusterPicture*.tsx, web/models/clusterPicture.ts). When it exists, render
//   <ClusterPicture clusterId={clusterId} />
// here instead of the placeholder. The workspace gives this slot its own grid area (.ws-picture in styles.css).
export function ClusterPictureSlot({ clusterId }: { clusterId: string }) {
  return (
    <section class="ws-picture" aria-labelledby="picture-title" data-cluster-id={clusterId}>
      <h2 id="picture-title">The cluster</h2>
      <p class="muted">The picture of your cluster will appear here.</p>
    </section>
  );
}
