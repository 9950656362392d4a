// The resource types kubelab's apiserver serves, with the names kubectl accepts for them (plural, singular,
// short names, `<plural>.<group>`), as discovery would list them in a v1.19 cluster.
import type { Kind } from "./types.ts";

export interface ResourceInfo {
  kind: Kind;
  plural: string;
  singular: string;
  shortNames: string[];
  group: string; // "" for the core group
  version: string;
  namespaced: boolean;
  /** `<plural>[.<group>]`, as error messages name the resource: `deployments.apps`. */
  qualified: string;
  /** `<singular>[.<group>]`, as kubectl prints it before `/name`: `deployment.apps`. */
  printName: string;
  apiVersion: string;
  /** Discovery's verbs (v1.19's for this resource). */
  verbs: string[];
  /** Discovery's categories (`all` for what `kubectl get all` shows). */
  categories: string[];
  /** Subresources served (discovery lists them as `<plural>/<sub>`), with their verbs. */
  subresources: { name: string; kind: string; group?: string; verbs: string[] }[];
}

const ALL_VERBS = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];
const SCALE = { name: "scale", kind: "Scale", group: "autoscaling", verbs: ["get", "patch", "update"] };

function info(
  kind: Kind,
  plural: string,
  shortNames: string[],
  group: string,
  namespaced: boolean,
  verbs = ALL_VERBS,
  categories: string[] = [],
  subresources: ResourceInfo["subresources"] = [],
): ResourceInfo {
  const singular = kind.toLowerCase();
  const version = "v1";
  return {
    kind,
    plural,
    singular,
    shortNames,
    group,
    version,
    namespaced,
    qualified: group ? `${plural}.${group}` : plural,
    printName: group ? `${singular}.${group}` : singular,
    apiVersion: group ? `${group}/${version}` : version,
    verbs,
    categories,
    subresources,
  };
}

export const RESOURCES: readonly ResourceInfo[] = [
  info("Pod", "pods", ["po"], "", true, ALL_VERBS, ["all"], [{ name: "log", kind: "Pod", verbs: ["get"] }]),
  info("Service", "services", ["svc"], "", true, ["create", "delete", "get", "list", "patch", "update", "watch"], ["all"]),
  info("Endpoints", "endpoints", ["ep"], "", true),
  // the engine's event records, read-only (engine/events.ts); v1.19 lists all eight verbs, kubelab serves the reads
  info("Event", "events", ["ev"], "", true, ["get", "list", "watch"]),
  info("Deployment", "deployments", ["deploy"], "apps", true, ALL_VERBS, ["all"], [SCALE]),
  info("ReplicaSet", "replicasets", ["rs"], "apps", true, ALL_VERBS, ["all"], [SCALE]),
  info("DaemonSet", "daemonsets", ["ds"], "apps", true, ALL_VERBS, ["all"]),
  info("Node", "nodes", ["no"], "", false),
  info("Namespace", "namespaces", ["ns"], "", false, ["create", "delete", "get", "list", "patch", "update", "watch"]),
  // derived on read, read-only (engine/serviceaccounts.ts, engine/leases.ts); v1.19 lists all eight verbs
  info("ServiceAccount", "serviceaccounts", ["sa"], "", true, ["get", "list", "watch"]),
  info("Secret", "secrets", [], "", true, ["get", "list", "watch"]),
  info("Lease", "leases", [], "coordination.k8s.io", true, ["get", "list", "watch"]),
];

const BY_KIND = new Map(RESOURCES.map((r) => [r.kind, r]));

export function resourceFor(kind: Kind): ResourceInfo {
  const r = BY_KIND.get(kind);
  if (!r) throw new Error(`unknown kind ${kind}`);
  return r;
}

/**
 * What kubectl's RESTMapper does with a user's word: `svc`, `service`, `services`, `Service`, `services.`,
 * `deployments.apps`, `deploy.apps`, `deployment.v1.apps`. Case-insensitive like kubectl. Undefined when unknown.
 */
export function resolveResource(word: string): ResourceInfo | undefined {
  const w = word.toLowerCase();
  const [name, ...rest] = w.split(".");
  const group = rest.length === 0 ? undefined : rest[rest.length - 1];
  for (const r of RESOURCES) {
    const names = [r.plural, r.singular, ...r.shortNames];
    if (!names.includes(name)) continue;
    if (group === undefined || group === "" || group === r.group || (r.group === "" && group === "v1")) return r;
  }
  return undefined;
}

/** Kinds accepted in manifests, by apiVersion/kind. EndpointSlice etc. are not modelled. */
export function resourceForManifest(apiVersion: string, kind: string): ResourceInfo | undefined {
  const r = RESOURCES.find((x) => x.kind === kind);
  if (!r) return undefined;
  return r.apiVersion === apiVersion ? r : undefined;
}
