// Cluster change notifications for the `clusterChanged` subscription. Within one process mutations publish here;
// across processes (several Node servers, Worker isolates) subscribers also poll the row's version.
import { setMaxListeners } from "node:events";
import { createPubSub, type PubSubEventTarget } from "graphql-yoga";

/** What a mutation of this process saved: the cluster's new version, and whether it deleted the cluster. */
export interface ClusterChange {
  version: number;
  deleted: boolean;
}

type Topics = { "cluster:changed": [clusterId: string, change: ClusterChange] };

/** Called with every change published here, whatever the cluster (the shared stream loop, api/subscription-loop.ts). */
export type ChangeTap = (clusterId: string, change: ClusterChange) => void;

/**
 * Each open per-cluster stream (a `clusterChanged` subscription outside the shared loop, a kubectl watch) is one
 * listener on its cluster's topic. Node warns of a leak past 10 on one topic, which one student's tabs and watches
 * and an instructor's view of the same cluster reach without leaking anything: the warning is kept for a number no
 * classroom reaches on one cluster.
 */
export const STREAMS_PER_CLUSTER_WARNING = 100;
const target = new EventTarget();
try {
  setMaxListeners(STREAMS_PER_CLUSTER_WARNING, target);
} catch {
  // (a runtime whose node:events takes no EventTarget here — workerd — has no such warning either)
}
const pubsub = createPubSub<Topics>({ eventTarget: target as PubSubEventTarget<Topics> });
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
