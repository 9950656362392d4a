// kubectl rollout status | history | undo | restart for Deployments, and status | restart for DaemonSets (v1.19
// pkg/cmd/rollout and pkg/polymorphichelpers: Deployment/DaemonSetStatusViewer, DeploymentHistoryViewer,
// DeploymentRollbacker, restart's `kubectl.kubernetes.io/restartedAt` template annotation). `status` waits on the
// virtual clock, as kubectl watches.
import type { DaemonSet, Deployment, ReplicaSet } from "../objects.ts";
import type { ShellCtx } from "../shell/context.ts";
import { rfc3339 } from "../clock.ts";
import { canonicalEqual } from "../hash.ts";
import { structuredCloneJson } from "../apiserver/merge.ts";
import { DESCRIBE_TABWRITER, tabwrite } from "../printers/tabwriter.ts";
import { int, namespaceOf } from "./flags.ts";
import { type Sub, flagsOrUsage, isResult } from "./command.ts";
import { Out, errorText, isKnownError } from "./output.ts";
import { collectTargets, parseResourceArgs } from "./targets.ts";
import { MAX_WAIT_SECONDS } from "./pods.ts";

const REVISION = "deployment.kubernetes.io/revision";

export const rollout: Sub = (ctx, argv) => {
  const verb = argv.find((a) => !a.startsWith("-"));
  const rest = argv.filter((a) => a !== verb);
  const o = new Out();
  if (!verb || !["status", "history", "undo", "restart"].includes(verb)) {
    o.err(verb ? `error: kubelab simulates "kubectl rollout status|history|undo|restart"; not "${verb}"` : "error: Required resource not specified.");
    return o.result();
  }
  const p = flagsOrUsage(`rollout ${verb}`, rest, [
    { name: "revision", type: "int" },
    { name: "to-revision", type: "int" },
    { name: "watch", short: "w", type: "bool" },
    { name: "timeout", type: "string" },
    { name: "selector", short: "l", type: "string" },
  ]);
  if (isResult(p)) return p;
  if (p.args.length === 0) {
    o.err("error: required resource not specified");
    return o.result();
  }
  const ns = namespaceOf(p);
  try {
    for (const t of collectTargets(ctx, parseResourceArgs(p.args), ns, undefined, false)) {
      const kind = t.res.kind;
      if (kind === "DaemonSet" && (verb === "history" || verb === "undo")) {
        // v1.19 reads a DaemonSet's history from ControllerRevisions, which kubelab does not keep.
        o.err(`error: kubelab simulates "kubectl rollout ${verb}" for Deployments only\n`);
        continue;
      }
      if (kind !== "Deployment" && kind !== "DaemonSet") {
        o.err(`error: no ${verb === "status" ? "status viewer" : verb === "history" ? "history viewer" : verb === "undo" ? "rollbacker" : "restarter"} has been implemented for {${t.res.group} ${t.res.kind}}`);
        continue;
      }
      if (verb === "restart") {
        const obj = structuredCloneJson(ctx.c.get(kind, t.name, ns) as Deployment | DaemonSet);
        obj.spec.template.metadata.annotations = { ...obj.spec.template.metadata.annotations, "kubectl.kubernetes.io/restartedAt": rfc3339(ctx.c.nowSeconds()) };
        ctx.c.replace(obj as unknown as Record<string, unknown>, { manager: "kubectl-rollout" });
        o.out(`${t.res.printName}/${t.name} restarted\n`);
        continue;
      }
      if (kind === "DaemonSet") {
        status(ctx, () => daemonSetStatusLine(ctx.c.get("DaemonSet", t.name, ns) as DaemonSet), o);
        continue;
      }
      const d = () => ctx.c.get("Deployment", t.name, ns) as Deployment;
      if (verb === "status") status(ctx, () => deploymentStatusLine(d(), int(p, "revision")), o);
      else if (verb === "history") o.out(`deployment.apps/${t.name} \n${history(ctx, d(), ns, o, int(p, "revision"))}\n`);
      else undo(ctx, d(), ns, o, int(p, "to-revision") ?? 0);
    }
  } catch (e) {
    if (!isKnownError(e)) throw e;
    o.err(errorText(e));
  }
  return o.result();
};

/** A status viewer's answer: the line to print and whether the rollout is done, or an error that ends the wait. */
type StatusLine = [string, boolean] | { error: string };

/** RunStatus: the viewer's line, printed once per change, until the rollout is done (or the time is up). */
function status(ctx: ShellCtx, line: () => StatusLine, o: Out): void {
  let last = "";
  for (let waited = 0; ; waited++) {
    const r = line();
    if (!Array.isArray(r)) return o.err(`error: ${r.error}`);
    const [msg, done] = r;
    if (msg !== last) o.out(msg);
    last = msg;
    if (done) return;
    if (waited >= MAX_WAIT_SECONDS) return o.err("error: timed out waiting for the condition");
    ctx.c.advance(1);
  }
}

/** DeploymentStatusViewer.Status. */
function deploymentStatusLine(d: Deployment, revision?: number): StatusLine {
  if (revision !== undefined && revision > 0) {
    const running = Number(d.metadata.annotations?.[REVISION] ?? 0);
    if (revision !== running) return { error: `desired revision (${revision}) is different from the running revision (${running})` };
  }
  const s = d.status;
  const name = JSON.stringify(d.metadata.name);
  if ((d.metadata.generation ?? 1) > (s.observedGeneration ?? 0)) return ["Waiting for deployment spec update to be observed...\n", false];
  if ((s.updatedReplicas ?? 0) < d.spec.replicas) return [`Waiting for deployment ${name} rollout to finish: ${s.updatedReplicas ?? 0} out of ${d.spec.replicas} new replicas have been updated...\n`, false];
  if ((s.replicas ?? 0) > (s.updatedReplicas ?? 0)) return [`Waiting for deployment ${name} rollout to finish: ${(s.replicas ?? 0) - (s.updatedReplicas ?? 0)} old replicas are pending termination...\n`, false];
  if ((s.availableReplicas ?? 0) < (s.updatedReplicas ?? 0)) return [`Waiting for deployment ${name} rollout to finish: ${s.availableReplicas ?? 0} of ${s.updatedReplicas ?? 0} updated replicas are available...\n`, false];
  return [`deployment ${name} successfully rolled out\n`, true];
}

/** DaemonSetStatusViewer.Status: RollingUpdate only; every scheduled pod updated, then every one available. */
function daemonSetStatusLine(ds: DaemonSet): StatusLine {
  if ((ds.spec.updateStrategy?.type ?? "RollingUpdate") !== "RollingUpdate") return { error: "rollout status is only available for RollingUpdate strategy type" };
  const s = ds.status ?? {};
  const name = JSON.stringify(ds.metadata.name);
  const desired = s.desiredNumberScheduled ?? 0;
  if ((ds.metadata.generation ?? 1) > (s.observedGeneration ?? 0)) return ["Waiting for daemon set spec update to be observed...\n", false];
  if ((s.updatedNumberScheduled ?? 0) < desired) return [`Waiting for daemon set ${name} rollout to finish: ${s.updatedNumberScheduled ?? 0} out of ${desired} new pods have been updated...\n`, false];
  if ((s.numberAvailable ?? 0) < desired) return [`Waiting for daemon set ${name} rollout to finish: ${s.numberAvailable ?? 0} of ${desired} updated pods are available...\n`, false];
  return [`daemon set ${name} successfully rolled out\n`, true];
}

function owned(ctx: ShellCtx, d: Deployment, ns: string): ReplicaSet[] {
  return (ctx.c.list("ReplicaSet", { namespace: ns }) as ReplicaSet[]).filter((rs) => rs.metadata.ownerReferences?.some((r) => r.uid === d.metadata.uid && r.controller));
}

function history(ctx: ShellCtx, d: Deployment, ns: string, o: Out, revision?: number): string {
  const byRev = new Map<number, ReplicaSet>();
  for (const rs of owned(ctx, d, ns)) {
    const v = Number(rs.metadata.annotations?.[REVISION]);
    if (Number.isInteger(v)) byRev.set(v, rs);
  }
  if (byRev.size === 0) return "No rollout history found.";
  if (revision !== undefined && revision > 0 && !byRev.has(revision)) {
    o.err("error: unable to find the specified revision");
    return "";
  }
  const revs = [...byRev.keys()].sort((a, b) => a - b);
  const rows = ["REVISION\tCHANGE-CAUSE", ...revs.map((r) => `${r}\t${byRev.get(r)!.metadata.annotations?.["kubernetes.io/change-cause"] || "<none>"}`)];
  return tabwrite(rows.join("\n") + "\n", DESCRIBE_TABWRITER);
}

/** DeploymentRollbacker: the template of the previous revision (or --to-revision) back on the Deployment. */
function undo(ctx: ShellCtx, d: Deployment, ns: string, o: Out, toRevision: number): void {
  const sets = owned(ctx, d, ns);
  const current = Number(d.metadata.annotations?.[REVISION] ?? Math.max(0, ...sets.map((rs) => Number(rs.metadata.annotations?.[REVISION] ?? 0))));
  let target: ReplicaSet | undefined;
  let best = 0;
  for (const rs of sets) {
    const v = Number(rs.metadata.annotations?.[REVISION] ?? 0);
    if (toRevision > 0 ? v === toRevision : v < current && v > best) {
      target = rs;
      best = v;
    }
  }
  if (!target) return o.err(toRevision > 0 ? `error: unable to find specified revision ${toRevision} in history` : `error: no rollout history found for deployment "${d.metadata.name}"`);
  const template = structuredCloneJson(target.spec.template);
  const labels = { ...(template.metadata.labels ?? {}) };
  delete labels["pod-template-hash"];
  template.metadata.labels = labels;
  const revision = Number(target.metadata.annotations?.[REVISION]);
  if (canonicalEqual(template, d.spec.template)) {
    o.out(`deployment.apps/${d.metadata.name} skipped rollback (current template already matches revision ${revision})\n`);
    return;
  }
  const next = structuredCloneJson(d);
  next.spec.template = template;
  // v1.19's DeploymentRollbacker patches without a fieldManager: the server names it after the User-Agent.
  ctx.c.replace(next as unknown as Record<string, unknown>, { manager: "kubectl" });
  o.out(`deployment.apps/${d.metadata.name} rolled back\n`);
}
