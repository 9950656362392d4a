// Limits with clear errors. Request body and query shape limits are enforced before resolvers (app.ts, armor).
export interface Limits {
  /** Whole HTTP request body, bytes. */
  requestBytes: number;
  /** applyManifest: YAML text size (bytes) and number of documents. */
  manifestBytes: number;
  manifestDocuments: number;
  /** Objects a cluster may hold (pods, services, deployments, replicasets, endpoints). */
  objectsPerCluster: number;
  /** exec: command line length. */
  commandLength: number;
  /** sendRequests: count and body size. */
  requestCount: number;
  requestBodyBytes: number;
  /** label: keys per call. */
  labelKeys: number;
  /** scale: replicas. */
  maxReplicas: number;
  /** advanceClock: seconds per call. */
  advanceSeconds: number;
  /** Live clusters per user. */
  clustersPerUser: number;
  /** Optimistic concurrency: attempts before ConflictError. */
  mutationAttempts: number;
  /** Clusters each app instance keeps hydrated between mutations (api/engine-cache.ts); 0 turns that off. */
  engineCache: number;
}

export const DEFAULT_LIMITS: Limits = {
  requestBytes: 1024 * 1024,
  manifestBytes: 256 * 1024,
  manifestDocuments: 50,
  objectsPerCluster: 1500,
  commandLength: 8 * 1024,
  requestCount: 200,
  requestBodyBytes: 64 * 1024,
  labelKeys: 64,
  maxReplicas: 100,
  advanceSeconds: 7 * 24 * 3600,
  clustersPerUser: 20,
  mutationAttempts: 25,
  engineCache: 200,
};
