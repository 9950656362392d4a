// The kubelet on each node: starts bound pods (pod IP from the node's podCIDR, host-local style), runs readiness
// and liveness probes on their periods against the simulated app, keeps the Ready condition, restarts containers
// that fail liveness (with CrashLoopBackOff back-off between restarts).
import type { Container, Probe } from "../objects.ts";
import type { ClusterState, ContainerRt, PodRec } from "../state.ts";
import { tableValues } from "../state.ts";
import { podSpec, recordEvent } from "../store.ts";
import { cidrAddr, parseCidr } from "../ipnet.ts";
import { touchPod, setReady } from "./podlifecycle.ts";
import { listensOn, podApp, serveHttp } from "../network/apps.ts";
import { noteWrite } from "../change-mark.ts";

export function startPods(st: ClusterState): void {
  // One pass over the pods: those bound and not started yet, and (in table order) every pod the restart pass below
  // must look at — the ones starting, and those with a container whose CrashLoopBackOff delay is over.
  const starting: PodRec[] = [];
  const check: PodRec[] = [];
  for (const k in st.pods) {
    const p = st.pods[k];
    const start = !!p.node && p.phase === "Pending" && p.deleting === undefined;
    if (start) starting.push(p);
    if (start || anyBackOffOver(st, p)) check.push(p);
  }
  if (starting.length) {
    const used = new Set<string>();
    for (const k in st.pods) if (st.pods[k].ip) used.add(st.pods[k].ip!);
    for (const p of starting) startPod(st, p, used);
  }
  for (const p of check) for (const c of p.c) if (backOffOver(st, c)) restartNow(st, p, c);
}

function anyBackOffOver(st: ClusterState, p: PodRec): boolean {
  for (const c of p.c) if (backOffOver(st, c)) return true;
  return false;
}

function backOffOver(st: ClusterState, c: ContainerRt): boolean {
  return c.state === "waiting" && c.reason === "CrashLoopBackOff" && (c.until ?? 0) <= st.now;
}

function allocatePodIP(st: ClusterState, node: string, used: Set<string>): string | undefined {
  const n = st.topo.nodes.find((x) => x.name === node)!;
  const cidr = parseCidr(n.podCIDR)!;
  const max = cidr.size - 2;
  let off = st.ipam[node] ?? 1;
  for (let i = 0; i < max; i++) {
    off = off >= max ? 2 : off + 1;
    const ip = cidrAddr(cidr, off);
    if (!used.has(ip)) {
      st.ipam[node] = off;
      used.add(ip);
      return ip;
    }
  }
  return undefined;
}

function initProbes(st: ClusterState, c: Container, rt: ContainerRt): void {
  if (c.readinessProbe) rt.rp = { next: st.now + c.readinessProbe.initialDelaySeconds, ok: 0, fail: 0, pass: false };
  else delete rt.rp;
  if (c.livenessProbe) rt.lp = { next: st.now + c.livenessProbe.initialDelaySeconds, ok: 0, fail: 0, pass: true };
  else delete rt.lp;
  rt.ready = !c.readinessProbe;
}

function startPod(st: ClusterState, p: PodRec, used: Set<string>): void {
  const spec = podSpec(st, p);
  const ref = { kind: "Pod", name: p.name, namespace: p.ns, uid: p.uid };
  const node = st.nodes[p.node!];
  const ip = spec.hostNetwork ? node?.status.addresses.find((a) => a.type === "InternalIP")?.address : allocatePodIP(st, p.node!, used);
  if (!ip) {
    recordEvent(st, ref, "Warning", "FailedCreatePodSandBox", `Failed to create pod sandbox: failed to allocate for range 0: no IP addresses available in range set`, `kubelet, ${p.node}`);
    return;
  }
  p.ip = ip;
  p.phase = "Running";
  p.start = st.now;
  spec.containers.forEach((c, i) => {
    const rt: ContainerRt = { state: "running", ready: false, restarts: 0, startedAt: st.now };
    initProbes(st, c, rt);
    p.c[i] = rt;
    const source = `kubelet, ${p.node}`;
    recordEvent(st, ref, "Normal", "Pulled", `Container image "${c.image}" already present on machine`, source);
    recordEvent(st, ref, "Normal", "Created", `Created container ${c.name}`, source);
    recordEvent(st, ref, "Normal", "Started", `Started container ${c.name}`, source);
  });
  touchPod(st, p);
  setReady(st, p);
}

function restartNow(st: ClusterState, p: PodRec, rt: ContainerRt): void {
  const spec = podSpec(st, p);
  const i = p.c.indexOf(rt);
  const c = spec.containers[i];
  rt.state = "running";
  delete rt.reason;
  delete rt.until;
  rt.startedAt = st.now;
  initProbes(st, c, rt);
  const source = `kubelet, ${p.node}`;
  const ref = { kind: "Pod", name: p.name, namespace: p.ns, uid: p.uid };
  recordEvent(st, ref, "Normal", "Pulled", `Container image "${c.image}" already present on machine`, source);
  recordEvent(st, ref, "Normal", "Created", `Created container ${c.name}`, source);
  recordEvent(st, ref, "Normal", "Started", `Started container ${c.name}`, source);
  touchPod(st, p);
  setReady(st, p);
}

// ---- Probes ----

interface ProbeOutcome {
  ok: boolean;
  message: string;
}

function probePort(c: Container, port: number | string): number | undefined {
  if (typeof port === "number") return port;
  if (/^\d+$/.test(port)) return Number(port);
  return c.ports?.find((x) => x.name === port)?.containerPort;
}

export function runProbe(st: ClusterState, p: PodRec, c: Container, probe: Probe, kind: "Readiness" | "Liveness"): ProbeOutcome {
  const app = podApp(p.name, c, (p.app ??= {}));
  if (probe.httpGet) {
    const port = probePort(c, probe.httpGet.port);
    if (port === undefined || !listensOn(app, port))
      return { ok: false, message: `${kind} probe failed: Get "http://${p.ip}:${port ?? probe.httpGet.port}${probe.httpGet.path ?? "/"}": dial tcp ${p.ip}:${port ?? probe.httpGet.port}: connect: connection refused` };
    const r = serveHttp(app, { method: "GET", path: probe.httpGet.path ?? "/", headers: { "User-Agent": "kube-probe/1.19" }, clientIP: nodeBridgeIP(st, p.node!), serverIP: p.ip!, port });
    if (!Object.keys(p.app).length) delete p.app;
    if (r.status >= 200 && r.status < 400) return { ok: true, message: "" };
    return { ok: false, message: `${kind} probe failed: HTTP probe failed with statuscode: ${r.status}` };
  }
  if (probe.tcpSocket) {
    const port = probePort(c, probe.tcpSocket.port);
    if (!Object.keys(p.app).length) delete p.app;
    if (port !== undefined && listensOn(app, port)) return { ok: true, message: "" };
    return { ok: false, message: `${kind} probe failed: dial tcp ${p.ip}:${port ?? probe.tcpSocket.port}: connect: connection refused` };
  }
  if (!Object.keys(p.app).length) delete p.app;
  // exec: the command succeeds unless it tests for a file the app does not have (`cat /tmp/healthy` after rm).
  const cmd = probe.exec?.command ?? [];
  const file = cmd.find((a) => a.startsWith("/"));
  if (file && p.app?.[`rm:${file}`]) return { ok: false, message: `${kind} probe failed: cat: can't open '${file}': No such file or directory` };
  return { ok: true, message: "" };
}

/** The node's cni0 address (.1 of its podCIDR): the source of kubelet probes and of node-local traffic to pods. */
export function nodeBridgeIP(st: ClusterState, node: string): string {
  const n = st.topo.nodes.find((x) => x.name === node)!;
  return cidrAddr(parseCidr(n.podCIDR)!, 1);
}

/** The earliest pending probe time after `st.now`, or undefined. */
export function nextProbeTime(st: ClusterState): number | undefined {
  let t: number | undefined;
  for (const p of tableValues(st.pods)) {
    if (p.phase !== "Running") continue;
    for (const c of p.c) {
      if (c.state === "waiting" && c.until !== undefined) t = t === undefined ? c.until : Math.min(t, c.until);
      // a terminating pod is not probed (runDueProbes): its probe times never move, so counting them would make
      // every round of a sleep "due" at once and spend the round budget, skipping every other pod's probes
      if (c.state !== "running" || p.deleting !== undefined) continue;
      for (const pr of [c.rp, c.lp]) if (pr) t = t === undefined ? pr.next : Math.min(t, pr.next);
    }
  }
  return t;
}

/** Move every pending probe (and crash-loop restart) past `target` on its own schedule, without running it. */
export function skipProbesTo(st: ClusterState, target: number): void {
  for (const p of tableValues(st.pods)) {
    for (const c of p.c) {
      if (c.state === "waiting" && c.until !== undefined && c.until < target) {
        c.until = target;
        noteWrite(st);
      }
      for (const pr of [c.rp, c.lp]) {
        if (!pr || pr.next > target) continue;
        const spec = podSpec(st, p).containers[p.c.indexOf(c)];
        const period = (pr === c.rp ? spec?.readinessProbe : spec?.livenessProbe)?.periodSeconds ?? 10;
        pr.next += Math.ceil((target - pr.next + 1) / period) * period;
        noteWrite(st);
      }
    }
  }
}

/** Run every probe due at `st.now`. */
export function runDueProbes(st: ClusterState): void {
  for (const p of tableValues(st.pods)) {
    if (p.phase !== "Running" || p.deleting !== undefined) continue;
    const spec = podSpec(st, p);
    spec.containers.forEach((c, i) => {
      const rt = p.c[i];
      if (!rt || rt.state !== "running") return;
      if (rt.lp && c.livenessProbe && rt.lp.next <= st.now) {
        step(st, p, c, c.livenessProbe, rt.lp, "Liveness");
        if (!rt.lp.pass) return killForLiveness(st, p, c, rt);
      }
      if (rt.rp && c.readinessProbe && rt.rp.next <= st.now) {
        step(st, p, c, c.readinessProbe, rt.rp, "Readiness");
        if (rt.ready !== rt.rp.pass) {
          rt.ready = rt.rp.pass;
          touchPod(st, p);
        }
      }
    });
    setReady(st, p);
  }
}

function step(st: ClusterState, p: PodRec, c: Container, probe: Probe, pr: NonNullable<ContainerRt["rp"]>, kind: "Readiness" | "Liveness"): void {
  const out = runProbe(st, p, c, probe, kind);
  noteWrite(st); // the probe's bookkeeping, and what the probe did to the app
  pr.next = st.now + probe.periodSeconds;
  if (out.ok) {
    pr.ok += 1;
    pr.fail = 0;
    if (pr.ok >= probe.successThreshold) pr.pass = true;
  } else {
    pr.fail += 1;
    pr.ok = 0;
    recordEvent(st, { kind: "Pod", name: p.name, namespace: p.ns, uid: p.uid }, "Warning", "Unhealthy", out.message, `kubelet, ${p.node}`);
    if (pr.fail >= probe.failureThreshold) pr.pass = false;
  }
}

function killForLiveness(st: ClusterState, p: PodRec, c: Container, rt: ContainerRt): void {
  const ref = { kind: "Pod", name: p.name, namespace: p.ns, uid: p.uid };
  recordEvent(st, ref, "Normal", "Killing", `Container ${c.name} failed liveness probe, will be restarted`, `kubelet, ${p.node}`);
  rt.lastExit = { code: 137, reason: "Error", startedAt: rt.startedAt, finishedAt: st.now };
  rt.restarts += 1;
  rt.ready = false;
  // The process restarts: the app's in-memory state (demoapp's flags) is gone.
  if (p.app) {
    delete p.app.readyz;
    delete p.app.livez;
    if (!Object.keys(p.app).length) delete p.app;
  }
  // Upstream back-off: the first restart is immediate, then 10s, 20s, ... capped at 300s.
  const backoff = rt.restarts <= 1 ? 0 : Math.min(300, 10 * 2 ** (rt.restarts - 2));
  if (backoff === 0) {
    restartNow(st, p, rt);
  } else {
    rt.state = "waiting";
    rt.reason = "CrashLoopBackOff";
    rt.until = st.now + backoff;
    delete rt.rp;
    delete rt.lp;
    recordEvent(st, ref, "Warning", "BackOff", "Back-off restarting failed container", `kubelet, ${p.node}`);
    touchPod(st, p);
    setReady(st, p);
  }
}
