// The pod kubectl picks for a command given a controller or a Service: the pods its selector matches
// (SelectorsForObject), sorted with Go's sort.Sort, the first one taken (GetFirstPod) —
//  - `kubectl logs deploy/web`: podutils.ByLogging (scheduled first; Running, then Unknown, then Pending; Ready first,
//    the longest Ready first; more restarts first; older first);
//  - `kubectl exec deploy/web` (attachablePodForObject): sort.Reverse(podutils.ActivePods) — the most active first
//    (scheduled; Running, then Unknown, then Pending and the rest; Ready; the longest Ready; fewer restarts; older).
import type { AnyObject, Pod } from "../objects.ts";
import type { ResourceInfo } from "../resources.ts";
import type { ShellCtx } from "../shell/context.ts";
import { ClientError } from "../errors.ts";
import { formatLabelSelector, selectorFromSet } from "../labels/index.ts";
import { goSort } from "../printers/go-sort.ts";
import { parseRfc3339 } from "../clock.ts";

const PHASE_RANK: Record<string, number> = { Running: 0, Unknown: 1, Pending: 2 };
const readyCondition = (p: Pod) => p.status.conditions?.find((c) => c.type === "Ready");
const isReady = (p: Pod) => readyCondition(p)?.status === "True";
const secs = (t: string | undefined) => (t ? parseRfc3339(t) : undefined);
const maxRestarts = (p: Pod) => Math.max(0, ...(p.status.containerStatuses ?? []).map((c) => c.restartCount ?? 0));
/** a after b, or a zero (afterOrZero) */
const afterOrZero = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined ? a === undefined : a > b);

function byLogging(a: Pod, b: Pod): boolean {
  const an = a.spec.nodeName ?? "", bn = b.spec.nodeName ?? "";
  if (an !== bn && (!an || !bn)) return !!an;
  const ar = PHASE_RANK[a.status.phase ?? ""] ?? 0, br = PHASE_RANK[b.status.phase ?? ""] ?? 0;
  if (ar !== br) return ar < br;
  if (isReady(a) !== isReady(b)) return isReady(a);
  const at = secs(readyCondition(a)?.lastTransitionTime), bt = secs(readyCondition(b)?.lastTransitionTime);
  if (isReady(a) && isReady(b) && at !== bt) return afterOrZero(bt, at);
  if (maxRestarts(a) !== maxRestarts(b)) return maxRestarts(a) > maxRestarts(b);
  const ac = secs(a.metadata.creationTimestamp), bc = secs(b.metadata.creationTimestamp);
  if (ac !== bc) return afterOrZero(bc, ac);
  return false;
}

/** podutils.ActivePods' Less: a is less active than b (the one a ReplicaSet would delete first). */
function lessActive(a: Pod, b: Pod): boolean {
  const an = a.spec.nodeName ?? "", bn = b.spec.nodeName ?? "";
  if (an !== bn && (!an || !bn)) return !an;
  const ar = ACTIVE_PHASE_RANK[a.status.phase ?? ""] ?? 0, br = ACTIVE_PHASE_RANK[b.status.phase ?? ""] ?? 0;
  if (ar !== br) return ar < br;
  if (isReady(a) !== isReady(b)) return !isReady(a);
  const at = secs(readyCondition(a)?.lastTransitionTime), bt = secs(readyCondition(b)?.lastTransitionTime);
  if (isReady(a) && isReady(b) && at !== bt) return afterOrZero(at, bt);
  if (maxRestarts(a) !== maxRestarts(b)) return maxRestarts(a) > maxRestarts(b);
  const ac = secs(a.metadata.creationTimestamp), bc = secs(b.metadata.creationTimestamp);
  if (ac !== bc) return afterOrZero(ac, bc);
  return false;
}
/** Pending (and every phase not named) < Unknown < Running, as ActivePods ranks them. */
const ACTIVE_PHASE_RANK: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

/** What the pods are sorted by, and the words kubectl puts before a selector's error. */
export const POD_CHOICE = {
  logs: { less: byLogging, refusal: "cannot get the logs from" },
  exec: { less: (a: Pod, b: Pod) => lessActive(b, a), refusal: "cannot attach to" },
} as const;

/** The label selector of an object kubectl can find pods for (SelectorsForObject), as text. */
function selectorOf(obj: AnyObject, refusal: string): string {
  const kind = obj.kind;
  if (kind === "Service") {
    const sel = (obj.spec as { selector?: Record<string, string> }).selector;
    if (!sel || Object.keys(sel).length === 0) throw new ClientError(`${refusal} *v1.Service: invalid service '${obj.metadata.name}': Service is defined without a selector`);
    return selectorFromSet(sel).toString();
  }
  if (kind === "Deployment" || kind === "ReplicaSet" || kind === "DaemonSet") return formatLabelSelector((obj.spec as { selector?: Parameters<typeof formatLabelSelector>[0] }).selector);
  throw new ClientError(`${refusal} *v1.${kind}: selector for *v1.${kind} not implemented`);
}

/** The pod kubectl `use`s for `res/name`, and how many matched; a selector with no pod is kubectl's wait timing out. */
export function firstPodFor(ctx: ShellCtx, res: ResourceInfo, name: string, ns: string, use: keyof typeof POD_CHOICE = "logs"): { pod: Pod; count: number } {
  const { less, refusal } = POD_CHOICE[use];
  const obj = ctx.c.get(res.kind, name, ns);
  const pods = ctx.c.list("Pod", { namespace: ns, selector: selectorOf(obj, refusal) }) as Pod[];
  if (pods.length === 0) throw new ClientError("timed out waiting for the condition");
  const sorted = pods.slice();
  goSort(sorted, less);
  return { pod: sorted[0], count: pods.length };
}
