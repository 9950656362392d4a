// Node heartbeats: the Lease each kubelet keeps in kube-node-lease (v1.19's NodeLease, pkg/kubelet/nodelease),
// named after its node, held by it for 40 s and renewed every 10 s. The Leases are derived on read from the Node
// and the virtual clock — never stored, so a cluster's stored state does not grow with time — and look exactly as
// the kubelet writes them: holderIdentity, leaseDurationSeconds, renewTime (a MicroTime) and an ownerReference
// to the Node (no controller flag), no acquireTime.
import type { Lease, Node } from "./objects.ts";
import type { ClusterState } from "./state.ts";
import { parseRfc3339, rfc3339 } from "./clock.ts";
import { hashUid, mixedHex } from "./hash.ts";
import { tableValues } from "./state.ts";

export const NODE_LEASE_NAMESPACE = "kube-node-lease";
/** The kubelet's --node-lease-duration-seconds default. */
export const LEASE_DURATION_SECONDS = 40;
/** How often the kubelet renews: a quarter of the duration. */
export const LEASE_RENEW_SECONDS = 10;

/** The lease of one node at the cluster's current time. */
export function nodeLease(st: ClusterState, node: Node): Lease {
  const name = node.metadata.name;
  const created = parseRfc3339(node.metadata.creationTimestamp);
  const renewals = Math.max(0, Math.floor((st.now - created) / LEASE_RENEW_SECONDS));
  // The kubelet renews on its own ticker: the same sub-second phase for a node every time (a MicroTime: 6 digits).
  const micros = String(parseInt(mixedHex(`lease/${name}`, 8), 16) % 1_000_000).padStart(6, "0");
  const renew = rfc3339(created + renewals * LEASE_RENEW_SECONDS).replace(/Z$/, `.${micros}Z`);
  return {
    apiVersion: "coordination.k8s.io/v1",
    kind: "Lease",
    metadata: {
      name,
      namespace: NODE_LEASE_NAMESPACE,
      uid: hashUid(`lease/${node.metadata.uid}`),
      // every renewal is a write: the version moves with it
      resourceVersion: String(Number(node.metadata.resourceVersion) + renewals),
      creationTimestamp: node.metadata.creationTimestamp,
      ownerReferences: [{ apiVersion: "v1", kind: "Node", name, uid: node.metadata.uid }],
    },
    spec: { holderIdentity: name, leaseDurationSeconds: LEASE_DURATION_SECONDS, renewTime: renew },
  };
}

/** Every node's lease, by name. */
export function nodeLeases(st: ClusterState): Lease[] {
  return tableValues(st.nodes)
    .map((n) => nodeLease(st, n))
    .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0));
}
