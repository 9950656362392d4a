// npm run kubeconfig -- --sub alice --cluster <id> [--name lab1] [--server https://localhost:4000] [--ttl 604800]
// Prints a kubeconfig for a cluster's Kubernetes API (development: the same as the Cluster.kubeconfig field gives),
// signed with JWT_SECRET (or the development secret in .data/).
import { parseArgs } from "node:util";
import { DEFAULT_ISSUER, ROLES, type Role } from "../api/auth.ts";
import { jwtSecret } from "../api/config.ts";
import { kubeconfigFor } from "../api/k8s/kubeconfig.ts";

const { values } = parseArgs({
  options: {
    sub: { type: "string" },
    cluster: { type: "string" },
    name: { type: "string" },
    role: { type: "string", default: "student" },
    course: { type: "string" },
    server: { type: "string" },
    ttl: { type: "string", default: String(7 * 24 * 3600) },
  },
});
if (!values.sub || !values.cluster) {
  console.error("usage: npm run kubeconfig -- --sub <user> --cluster <cluster id> [--name <cluster name>] [--server <origin>] [--role student] [--course c1] [--ttl <seconds>]");
  process.exit(2);
}
if (!ROLES.includes(values.role as Role)) {
  console.error(`--role must be one of ${ROLES.join(", ")}`);
  process.exit(2);
}
const port = process.env.PORT ?? "4000";
const server = values.server ?? `${process.env.KUBELAB_TLS_CERT ? "https" : "http"}://localhost:${port}`;
const yaml = await kubeconfigFor(
  { secret: jwtSecret(), issuer: process.env.JWT_ISSUER ?? DEFAULT_ISSUER, audience: "" },
  server,
  { id: values.cluster, name: values.name ?? values.cluster.slice(0, 8) },
  { sub: values.sub, role: values.role as Role, ...(values.course ? { course: values.course } : {}) },
  Number(values.ttl),
);
process.stdout.write(yaml);
