// The fields a v1.19 API server adds to every object that the engine does not store: added when an object is read
// (Cluster.get / list), so every reader — kubectl's printers, the grader, the Kubernetes API — sees the object a
// real cluster would serve, while the stored state stays compact and pod-template hashes stay those of the stored
// templates. Sources (kubernetes v1.19):
// - SetDefaults_PodSpec / SetDefaults_Container (pkg/apis/core/v1/defaults.go): securityContext {},
//   terminationMessagePath /dev/termination-log, terminationMessagePolicy File; resources {} is the empty
//   ResourceRequirements every decoded container carries;
// - SetDefaults_Pod: enableServiceLinks true (pods only, not templates);
// - admission: Priority (priority 0, preemptionPolicy PreemptLowerPriority), ServiceAccount (serviceAccountName
//   and serviceAccount "default", and the account's token Secret as a volume every container mounts read-only at
//   /var/run/secrets/kubernetes.io/serviceaccount; mirror pods are left alone), DefaultTolerationSeconds
//   (not-ready / unreachable NoExecute for 300 s, unless a toleration already covers the taint: its key, or no key,
//   with NoExecute or no effect — so kubeadm's static pods, which tolerate `:NoExecute`, get none);
// - the DaemonSet controller's AddOrUpdateDaemonPodTolerations (pkg/controller/daemon/util/daemonset_util.go): its
//   pods tolerate not-ready / unreachable NoExecute for ever, and disk-pressure, memory-pressure, pid-pressure,
//   unschedulable (and, with hostNetwork, network-unavailable) NoSchedule — so admission adds no 300 s ones; and
//   ReplaceDaemonSetPodNodeNameNodeAffinity: a required node affinity on the pod's node's name.
import type { AnyObject, Container, Pod, PodSpec } from "../objects.ts";
import type { ClusterState } from "../state.ts";
import { TOKEN_MOUNT_PATH, tokenSecretName } from "../serviceaccounts.ts";
import { daemonPodTolerations } from "../controllers/daemonset.ts";

type Spec = PodSpec & Record<string, unknown>;

type EnvVar = { valueFrom?: { fieldRef?: { apiVersion?: string } } };

function containerDefaults(c: Container): Container {
  const x = c as Container & Record<string, unknown>;
  x.resources ??= {};
  x.terminationMessagePath ??= "/dev/termination-log";
  x.terminationMessagePolicy ??= "File";
  // SetDefaults_ObjectFieldSelector: a downward-API env's fieldRef names apiVersion v1
  for (const e of (x.env ?? []) as EnvVar[]) if (e?.valueFrom?.fieldRef) e.valueFrom.fieldRef.apiVersion ??= "v1";
  return c;
}

function podSpecDefaults(spec: Spec): void {
  spec.securityContext ??= {};
  for (const c of [...((spec.initContainers ?? []) as Container[]), ...(spec.containers ?? [])]) containerDefaults(c);
}

const DEFAULT_TOLERATIONS = ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"];

type Toleration = NonNullable<PodSpec["tolerations"]>[number];

/** v1helper.AddOrUpdateTolerationInPodSpec: one with the same key, operator, value and effect is replaced, else appended. */
function addOrUpdateToleration(list: Toleration[], t: Toleration): Toleration[] {
  const same = (a: Toleration) => (a.key ?? "") === t.key && (a.operator ?? "") === t.operator && (a.value ?? "") === "" && (a.effect ?? "") === t.effect;
  const i = list.findIndex(same);
  if (i < 0) return [...list, { ...t }];
  const out = [...list];
  out[i] = { ...t };
  return out;
}

/**
 * What the DaemonSet controller puts in each pod it creates: its tolerations, and (ScheduleDaemonSetPods,
 * ReplaceDaemonSetPodNodeNameNodeAffinity) a required node affinity naming the pod's node by `metadata.name`, in
 * place of any required node terms of the template (its preferred terms and other affinities kept).
 */
function daemonPodDefaults(pod: Pod): void {
  if (!pod.metadata.ownerReferences?.some((o) => o.kind === "DaemonSet" && o.controller)) return;
  const spec = pod.spec as Spec;
  let list = [...(spec.tolerations ?? [])];
  for (const t of daemonPodTolerations(spec)) list = addOrUpdateToleration(list, t);
  spec.tolerations = list;
  if (!spec.nodeName) return;
  const required = { nodeSelectorTerms: [{ matchFields: [{ key: "metadata.name", operator: "In", values: [spec.nodeName] }] }] };
  const affinity = (spec.affinity ?? {}) as { nodeAffinity?: Record<string, unknown> } & Record<string, unknown>;
  spec.affinity = { ...affinity, nodeAffinity: { ...(affinity.nodeAffinity ?? {}), requiredDuringSchedulingIgnoredDuringExecution: required } } as never;
}

interface VolumeMount {
  name: string;
  mountPath: string;
  readOnly?: boolean;
}
interface Volume {
  name: string;
  secret?: { secretName?: string; defaultMode?: number };
}

/**
 * The ServiceAccount plugin's mountServiceAccountToken (v1.19): every container without a mount at the token path
 * gets one of the account's token Secret, and the pod the volume (named after the Secret) unless it has it already.
 */
function mountServiceAccountToken(pod: Pod, st: ClusterState): void {
  const spec = pod.spec as Spec;
  if (spec.automountServiceAccountToken === false) return;
  const secret = tokenSecretName(st, pod.metadata.namespace ?? "default", spec.serviceAccountName as string);
  // (an account that does not exist: the plugin would have refused the pod; kubelab keeps it, without a token)
  if (!secret) return;
  const volumes = (spec.volumes ?? []) as Volume[];
  const existing = volumes.find((v) => v.secret?.secretName === secret);
  const volumeName = existing?.name ?? secret;
  if (!existing && volumes.some((v) => v.name === volumeName)) return;
  let needed = false;
  const containers = [...((spec.initContainers ?? []) as Container[]), ...spec.containers] as (Container & { volumeMounts?: VolumeMount[] })[];
  for (const c of containers) {
    const mounts = c.volumeMounts ?? [];
    if (mounts.some((m) => m.mountPath === TOKEN_MOUNT_PATH)) continue;
    c.volumeMounts = [...mounts, { name: volumeName, readOnly: true, mountPath: TOKEN_MOUNT_PATH }];
    needed = true;
  }
  if (!existing && needed) spec.volumes = [...volumes, { name: volumeName, secret: { secretName: secret, defaultMode: 420 } }];
}

const SYSTEM_PRIORITIES: Record<string, number> = { "system-node-critical": 2000001000, "system-cluster-critical": 2000000000 };

function podAdmission(pod: Pod, st: ClusterState | undefined): void {
  const spec = pod.spec as Spec;
  spec.enableServiceLinks ??= true;
  // the Priority plugin resolves the class (the two system classes every cluster has; anything else: 0)
  spec.priority ??= SYSTEM_PRIORITIES[spec.priorityClassName as string] ?? 0;
  spec.preemptionPolicy ??= "PreemptLowerPriority";
  // the ServiceAccount plugin does not touch mirror pods (the kubelet would delete one whose spec changed)
  if (!pod.metadata.annotations?.["kubernetes.io/config.mirror"]) {
    spec.serviceAccountName ??= "default";
    spec.serviceAccount ??= spec.serviceAccountName as string;
    if (st) mountServiceAccountToken(pod, st);
  }
  const tolerations = [...(spec.tolerations ?? [])];
  for (const key of DEFAULT_TOLERATIONS)
    if (!tolerations.some((t) => (!t.key || t.key === key) && (!t.effect || t.effect === "NoExecute")))
      tolerations.push({ key, operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 } as never);
  spec.tolerations = tolerations;
}

/**
 * Adds the server's defaults to an object the caller owns (a fresh copy or a materialised pod). `st`, the cluster
 * the object is in, names the service-account token a pod mounts (without it, pods get no token volume).
 */
export function withServerDefaults<T extends AnyObject>(obj: T, st?: ClusterState): T {
  switch (obj.kind) {
    case "Pod":
      podSpecDefaults(obj.spec as Spec);
      daemonPodDefaults(obj);
      podAdmission(obj, st);
      break;
    case "Deployment":
    case "ReplicaSet":
    case "DaemonSet":
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
  for (const list of [s.initContainers, s.containers])
    for (const c of (Array.isArray(list) ? list : []) as Record<string, unknown>[]) {
      if (!c || typeof c !== "object") continue;
      if (isEmptyObject(c.resources)) delete c.resources;
      if (c.terminationMessagePath === "/dev/termination-log") delete c.terminationMessagePath;
      if (c.terminationMessagePolicy === "File") delete c.terminationMessagePolicy;
      for (const e of (Array.isArray(c.env) ? c.env : []) as EnvVar[]) {
        const ref = e?.valueFrom?.fieldRef;
        if (ref && typeof ref === "object" && ref.apiVersion === "v1") delete ref.apiVersion;
      }
    }
  return out as T;
}

function isEmptyObject(v: unknown): boolean {
  return !!v && typeof v === "object" && !Array.isArray(v) && Object.keys(v).length === 0;
}

/** Two pod specs equal once both carry the server's defaults (an update that only echoes them changes nothing). */
export function withPodDefaults(pod: Pod, st?: ClusterState): Pod {
  return withServerDefaults(structuredClone(pod), st);
}
