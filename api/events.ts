// Cluster change notifications for the `clusterChanged` subscription. Within one process mutations publish here;
// across processes (several Node servers, Worker isolates) subscribers also poll the row's version.
import { createPubSub } from "graphql-yoga";

export const clusterEvents = createPubSub<{ "cluster:changed": [clusterId: string, version: number] }>();

export const POLL_MS = 2000;
