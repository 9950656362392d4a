// ─── SLOT: the cluster picture ───────────────────────────────────────────────────────────────────────────────────
// The picture of the cluster (nodes, pods, Services, Endpoints, the last request's path): web/components/
// ClusterPicture*.tsx, web/models/clusterPicture.ts. It takes the slot's grid area itself (.ws-picture in styles.css).
import { ClusterPicture } from "./ClusterPicture.tsx";

export function ClusterPictureSlot({ clusterId }: { clusterId: string }) {
  return <ClusterPicture clusterId={clusterId} />;
}
