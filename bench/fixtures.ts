// Shared fixtures of the HTTP benchmarks: the concurrencies and the student cluster every client works on.
import { Cluster } from "../engine/index.ts";

export const CONCURRENCY = [1, 8, 32];

/** demoapp-svc, optionally with a `rev` label (the applyManifest load changes it so every apply configures). */
export function demoappService(rev?: string): string {
  return `apiVersion: v1
kind: Service
metadata:
  name: demoapp-svc
${rev === undefined ? "" : `  labels:\n    rev: "${rev}"\n`}spec:
  selector:
    app: demoapp
  ports:
  - name: http
    port: 80
    targetPort: 80
`;
}

export const DEMOAPP = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: demoapp
spec:
  replicas: 3
  selector:
    matchLabels:
      app: demoapp
  template:
    metadata:
      labels:
        app: demoapp
    spec:
      containers:
      - name: demoapp
        image: ikubernetes/demoapp:v1.0
---
${demoappService()}`;

/** The state a student's cluster holds during the bench: the course topology with demoapp and its Service. */
export function studentState(seed = 1): unknown {
  const c = Cluster.create({ seed });
  c.apply(DEMOAPP);
  return c.toJSON();
}

