// A ready kubeconfig for one cluster: the server is `<origin>/k8s/clusters/<id>`, the user a cluster-scoped token.
import type { AuthConfig, Principal } from "../auth.ts";
import { signClusterToken } from "./token.ts";

export function kubeconfigYaml(server: string, clusterName: string, user: string, token: string): string {
  // names are quoted as JSON strings (valid YAML) so any cluster name is safe
  const q = JSON.stringify;
  const ctx = `kubelab-${clusterName}`;
  return [
    "apiVersion: v1",
    "kind: Config",
    "clusters:",
    "- cluster:",
    `    server: ${q(server)}`,
    `  name: ${q(ctx)}`,
    "contexts:",
    "- context:",
    `    cluster: ${q(ctx)}`,
    "    namespace: default",
    `    user: ${q(user)}`,
    `  name: ${q(ctx)}`,
    `current-context: ${q(ctx)}`,
    "preferences: {}",
    "users:",
    `- name: ${q(user)}`,
    "  user:",
    `    token: ${q(token)}`,
    "",
  ].join("\n");
}

export async function kubeconfigFor(auth: AuthConfig, origin: string, cluster: { id: string; name: string }, p: Principal, ttlSeconds?: number): Promise<string> {
  const token = await signClusterToken(auth, { sub: p.sub, role: p.role, ...(p.course ? { course: p.course } : {}), cluster: cluster.id }, ttlSeconds);
  return kubeconfigYaml(`${origin.replace(/\/$/, "")}/k8s/clusters/${cluster.id}`, cluster.name, `${p.sub}@kubelab`, token);
}
