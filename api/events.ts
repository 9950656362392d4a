// Cluster change notifications for the `clusterChanged` subscription. Within one process mutations publish here;
// across processes (several Node servers, Worker isolates) subscribers also poll the row's version.
import { createPubSub } from "graphql-yoga";

/** What a mutation of this process saved: the cluster's new version, and whether it deleted the cluster. */
export interface ClusterChange {
  version: number;
  deleted: boolean;
}

export const clusterEvents = createPubSub<{ "cluster:changed": [clusterId: string, change: ClusterChange] }>();

export const POLL_MS = 2000;
