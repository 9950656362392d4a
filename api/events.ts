// Cluster change notifications for the `clusterChanged` subscription. Within one process mutations publish here;
// across processes (several Node servers, Worker isolates) subscribers also poll the row's version.
import { createPubSub } from "graphql-yoga";

/** What a mutation of this process saved: the cluster's new version, and whether it deleted the cluster. */
export interface ClusterChange {
  version: number;
  deleted: boolean;
}

type Topics = { "cluster:changed": [clusterId: string, change: ClusterChange] };

/** Called with every change published here, whatever the cluster (the shared stream loop, api/subscription-loop.ts). */
export type ChangeTap = (clusterId: string, change: ClusterChange) => void;

const pubsub = createPubSub<Topics>();
const taps = new Set<ChangeTap>();

/**
 * Per-cluster subscriptions (yoga's pubsub: an async iterator each), and taps that see every cluster's changes with
 * one listener — the shared loop serves thousands of open streams and keeps no iterator per stream.
 */
export const clusterEvents: typeof pubsub = {
  subscribe: pubsub.subscribe,
  publish: ((routingKey: "cluster:changed", clusterId: string, change: ClusterChange) => {
    pubsub.publish(routingKey, clusterId, change);
    for (const tap of taps) tap(clusterId, change);
  }) as typeof pubsub.publish,
};

/** `tap` sees every change published from now on; returns the call that stops it. */
export function tapClusterChanges(tap: ChangeTap): () => void {
  taps.add(tap);
  return () => void taps.delete(tap);
}

export const POLL_MS = 2000;
