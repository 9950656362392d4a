// Clusters for the grader's check tests (tests/grading-checks-*.test.ts): built from manifests through Cluster.apply,
// as a student's `kubectl apply` builds them, then run forward so controllers, the scheduler and probes have acted.
import { Cluster } from "../../engine/index.ts";
import type { Pod } from "../../engine/index.ts";
import { runCheck } from "../../engine/grading/index.ts";
import type { Check, CheckResult, CommandEntry } from "../../engine/grading/index.ts";

export function cluster(...manifests: string[]): Cluster {
  const c = Cluster.create({ seed: 3 });
  for (const m of manifests) for (const r of c.apply(m)) if (r.error) throw r.error;
  c.advance(30);
  return c;
}

export function grade(c: Cluster, ch: Check, commandLog?: CommandEntry[]): CheckResult {
  return runCheck({ cluster: c, commandLog }, ch);
}

const yamlMap = (m: Record<string, string>) => `{${Object.entries(m).map(([k, v]) => `${k}: "${v}"`).join(", ")}}`;

/** A bare demoapp pod with a fixed name (so explanations can be pinned); `spec` is extra YAML under spec, 2-space indented. */
export function pod(name: string, labels: Record<string, string> | undefined, opts: { namespace?: string; image?: string; spec?: string; container?: string } = {}): string {
  return `---
apiVersion: v1
kind: Pod
metadata:
  name: ${name}
${opts.namespace ? `  namespace: ${opts.namespace}\n` : ""}${labels ? `  labels: ${yamlMap(labels)}\n` : ""}spec:
${opts.spec ?? ""}  containers:
  - name: app
    image: ${opts.image ?? "ikubernetes/demoapp:v1.0"}
${opts.container ?? ""}`;
}

/** A readiness probe that has not run yet after 30 s: the pod is Running and not Ready. */
export const NEVER_READY = "    readinessProbe:\n      httpGet: {path: /readyz, port: 80}\n      initialDelaySeconds: 600\n";
/** A node selector no node satisfies: the pod stays Pending, without an IP. */
export const UNSCHEDULABLE = "  nodeSelector: {disktype: none}\n";

export function service(name: string, selector: Record<string, string> | undefined, opts: { namespace?: string; ports?: string; spec?: string } = {}): string {
  return `---
apiVersion: v1
kind: Service
metadata:
  name: ${name}
${opts.namespace ? `  namespace: ${opts.namespace}\n` : ""}spec:
${selector ? `  selector: ${yamlMap(selector)}\n` : ""}${opts.spec ?? ""}  ports:
${opts.ports ?? "  - {name: http, port: 80, targetPort: 80}\n"}`;
}

export const namespace = (name: string) => `---\napiVersion: v1\nkind: Namespace\nmetadata: {name: ${name}}\n`;

export function podIP(c: Cluster, name: string, ns = "default"): string {
  const ip = (c.get("Pod", name, ns) as Pod).status.podIP;
  if (!ip) throw new Error(`pod ${name} has no IP`);
  return ip;
}
