// The fields a v1.19 API server adds to every object that the engine does not store: added when an object is read
// (Cluster.get / list), so every reader — kubectl's printers, the grader, the Kubernetes API — sees the object a
// real cluster would serve, while the stored state stays compact and pod-template hashes stay those of the stored
// templates. Sources (kubernetes v1.19):
// - SetDefaults_PodSpec / SetDefaults_Container (pkg/apis/core/v1/defaults.go): securityContext {},
//   terminationMessagePath /dev/termination-log, terminationMessagePolicy File; resources {} is the empty
//   ResourceRequirements every decoded container carries;
// - SetDefaults_Pod: enableServiceLinks true (pods only, not templates);
// - admission: Priority (priority 0, preemptionPolicy PreemptLowerPriority), ServiceAccount (serviceAccountName
//   and serviceAccount "default"), DefaultTolerationSeconds (not-ready / unreachable NoExecute for 300 s).
import type { AnyObject, Container, Pod, PodSpec } from "../objects.ts";

type Spec = PodSpec & Record<string, unknown>;

function containerDefaults(c: Container): Container {
  const x = c as Container & Record<string, unknown>;
  x.resources ??= {};
  x.terminationMessagePath ??= "/dev/termination-log";
  x.terminationMessagePolicy ??= "File";
  return c;
}

function podSpecDefaults(spec: Spec): void {
  spec.securityContext ??= {};
  for (const c of spec.containers ?? []) containerDefaults(c);
}

const DEFAULT_TOLERATIONS = ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"];

function podAdmission(pod: Pod): void {
  const spec = pod.spec as Spec;
  spec.enableServiceLinks ??= true;
  spec.priority ??= 0;
  spec.preemptionPolicy ??= "PreemptLowerPriority";
  spec.serviceAccountName ??= "default";
  spec.serviceAccount ??= spec.serviceAccountName as string;
  const tolerations = [...(spec.tolerations ?? [])];
  for (const key of DEFAULT_TOLERATIONS)
    if (!tolerations.some((t) => t.key === key && (t.effect === undefined || t.effect === "NoExecute")))
      tolerations.push({ key, operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 } as never);
  spec.tolerations = tolerations;
}

/** Adds the server's defaults to an object the caller owns (a fresh copy or a materialised pod). */
export function withServerDefaults<T extends AnyObject>(obj: T): T {
  switch (obj.kind) {
    case "Pod":
      podSpecDefaults(obj.spec as Spec);
      podAdmission(obj);
      break;
    case "Deployment":
    case "ReplicaSet":
      podSpecDefaults(obj.spec.template.spec as Spec);
      break;
  }
  return obj;
}

/**
 * The reverse for a workload written back (an object read with its defaults, changed, and sent again — kubectl's
 * patches through the API): template fields equal to their defaults are dropped before admission, so the stored
 * template, and the pod-template hash naming its ReplicaSet, do not change when only the defaults came along.
 */
export function stripTemplateDefaults<T>(input: T): T {
  const spec = (input as { spec?: { template?: { spec?: Record<string, unknown> } } })?.spec?.template?.spec;
  if (!spec || typeof spec !== "object") return input;
  const out = structuredClone(input) as { spec: { template: { spec: Record<string, unknown> } } };
  const s = out.spec.template.spec;
  if (isEmptyObject(s.securityContext)) delete s.securityContext;
  if (Array.isArray(s.containers))
    for (const c of s.containers as Record<string, unknown>[]) {
      if (!c || typeof c !== "object") continue;
      if (isEmptyObject(c.resources)) delete c.resources;
      if (c.terminationMessagePath === "/dev/termination-log") delete c.terminationMessagePath;
      if (c.terminationMessagePolicy === "File") delete c.terminationMessagePolicy;
    }
  return out as T;
}

function isEmptyObject(v: unknown): boolean {
  return !!v && typeof v === "object" && !Array.isArray(v) && Object.keys(v).length === 0;
}

/** Two pod specs equal once both carry the server's defaults (an update that only echoes them changes nothing). */
export function withPodDefaults(pod: Pod): Pod {
  return withServerDefaults(structuredClone(pod));
}
