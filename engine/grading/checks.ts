// The declarative checks, each evaluated on a Cluster without changing it. A failed check says what it found
// and points at the cause (a selector no Ready pod carries, a wrong field, a policy dropping traffic), so the
// student knows what to look at next.
import { Cluster, labelMatcher } from "../cluster.ts";
import type { AnyObject, Endpoints, Pod, Service } from "../objects.ts";
import type { Kind, RequestResult, RequestSource, TraceHop } from "../types.ts";
import { matchesSelector, parseSelector, SelectorParseError } from "../labels/index.ts";
import { KubeError } from "../errors.ts";
import { findObject, listPodRecords, podRecordReady } from "../store.ts";
import type { PodRec } from "../state.ts";
import type { Check, CheckResult, CommandCheck, CommandEntry, DnsCheck, EndpointsCheck, HostIPCheck, LabelCheck, RequestCheck, ResourceCheck, SelectCheck } from "./types.ts";
import { expandTemplate, TemplateError } from "./template.ts";

export interface CheckContext {
  cluster: Cluster;
  /** The student's commands, when known (command checks fail without them). */
  commandLog?: CommandEntry[];
}

const pass = (type: Check["type"], explanation: string): CheckResult => ({ type, passed: true, explanation });
const fail = (type: Check["type"], explanation: string): CheckResult => ({ type, passed: false, explanation });

export function runCheck(ctx: CheckContext, check: Check): CheckResult {
  try {
    switch (check.type) {
      case "resource":
        return resourceCheck(ctx.cluster, check);
      case "select":
        return selectCheck(ctx.cluster, check);
      case "endpoints":
        return endpointsCheck(ctx.cluster, check);
      case "request":
        return requestCheck(ctx, check);
      case "label":
        return labelCheck(ctx.cluster, check);
      case "dns":
        return dnsCheck(ctx.cluster, check);
      case "hostIP":
        return hostIPCheck(ctx.cluster, check);
      case "command":
        return commandCheck(ctx.commandLog, check);
    }
  } catch (e) {
    if (e instanceof TemplateError || e instanceof SelectorParseError || e instanceof KubeError)
      return fail(check.type, /[.!?]$/.test(e.message) ? e.message : `${e.message}.`);
    throw e;
  }
}

// ---- helpers ----

function ns(n: string | undefined): string {
  return n ?? "default";
}

/**
 * The object, or undefined when it does not exist. Not a copy (checks only read it) and no error thrown and caught
 * for an expected miss. The store's key puts a namespaced object without a namespace in default, and ignores the
 * namespace of a cluster-scoped one.
 */
function find(c: Cluster, kind: Kind, name: string, namespace?: string): AnyObject | undefined {
  return findObject(c.state, kind, name, namespace);
}

function where(namespace: string | undefined): string {
  return namespace && namespace !== "default" ? ` in namespace ${namespace}` : "";
}

export function isPodReady(p: Pod): boolean {
  return (p.status.conditions ?? []).some((c) => c.type === "Ready" && c.status === "True");
}

function readyCount(p: Pod): string {
  const cs = p.status.containerStatuses ?? [];
  return `${cs.filter((c) => c.ready).length}/${p.spec.containers.length}`;
}

function fmt(v: unknown): string {
  return v === undefined ? "missing" : JSON.stringify(v);
}

function labelsText(l: Record<string, string> | undefined): string {
  const e = Object.entries(l ?? {});
  return e.length ? e.map(([k, v]) => `${k}=${v}`).join(",") : "<none>";
}

function plural(n: number, word: string, pl = `${word}s`): string {
  return `${n} ${n === 1 ? word : pl}`;
}

function list(items: string[], max = 6): string {
  return items.length <= max ? items.join(", ") : `${items.slice(0, max).join(", ")} and ${items.length - max} more`;
}

/** First place where `actual` does not contain `expected`, as `path: found X, expected Y`. */
export function subsetMismatch(actual: unknown, expected: unknown, path: string): string | undefined {
  if (expected === null) return actual === undefined || actual === null ? undefined : `${path} is ${fmt(actual)}, expected it to be unset`;
  if (typeof expected !== "object") {
    if (actual === expected || (typeof expected === "number" && typeof actual === "string" && actual === String(expected))) return undefined;
    return `${path} is ${fmt(actual)}, expected ${fmt(expected)}`;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `${path} is ${fmt(actual)}, expected a list of ${expected.length}`;
    if (actual.length !== expected.length) return `${path} has ${actual.length} item(s), expected ${expected.length}: ${JSON.stringify(expected)}`;
    for (let i = 0; i < expected.length; i++) {
      const m = subsetMismatch(actual[i], expected[i], `${path}[${i}]`);
      if (m) return m;
    }
    return undefined;
  }
  if (actual === null || typeof actual !== "object" || Array.isArray(actual)) return `${path} is ${fmt(actual)}, expected ${JSON.stringify(expected)}`;
  for (const [k, v] of Object.entries(expected as Record<string, unknown>)) {
    const m = subsetMismatch((actual as Record<string, unknown>)[k], v, path ? `${path}.${k}` : k);
    if (m) return m;
  }
  return undefined;
}

// ---- resource ----

function resourceCheck(c: Cluster, ch: ResourceCheck): CheckResult {
  const o = find(c, ch.kind, ch.name, ch.namespace);
  const what = `${ch.kind} ${ch.name}${where(ch.namespace)}`;
  if (ch.absent) return o ? fail("resource", `${what} still exists; delete it (kubectl delete ${ch.kind.toLowerCase()} ${ch.name}).`) : pass("resource", `${what} does not exist, as expected.`);
  if (!o) return fail("resource", `${what} does not exist yet.`);
  if (ch.match) {
    const m = subsetMismatch(o, ch.match, "");
    if (m) return fail("resource", `${what}: ${m}.`);
  }
  return pass("resource", `${what} exists${ch.match ? " with the expected fields" : ""}.`);
}

// ---- select ----

function selectCheck(c: Cluster, ch: SelectCheck): CheckResult {
  let names: string[];
  if (ch.kind === "Pod") {
    // Names and readiness only: read off the pod records, not materialised Pods (same pods, same order).
    // Terminating pods are on their way out (the Endpoints dropped them already): no check counts them.
    let recs = listPodRecords(c.state, ns(ch.namespace), labelMatcher(ch.selector)).filter((p) => p.deleting === undefined);
    if (ch.readyOnly) recs = recs.filter(podRecordReady);
    names = recs.map((p) => p.name);
  } else names = c.list(ch.kind, { namespace: ns(ch.namespace), selector: ch.selector }).map((o) => o.metadata.name); // cluster-scoped kinds ignore the namespace
  const n = names.length;
  const what = `${ch.readyOnly ? "Ready " : ""}${ch.kind}s matching "${ch.selector}"`;
  const found = n ? `${plural(n, "match", "matches")}: ${list(names)}` : "nothing matches";
  if (ch.count !== undefined && n !== ch.count) return fail("select", `Expected ${ch.count} ${what}, ${found}.`);
  if (ch.min !== undefined && n < ch.min) return fail("select", `Expected at least ${ch.min} ${what}, ${found}.`);
  if (ch.max !== undefined && n > ch.max) return fail("select", `Expected at most ${ch.max} ${what}, ${found}.`);
  if (ch.names) {
    const want = new Set(ch.names);
    const missing = ch.names.filter((x) => !names.includes(x));
    const extra = names.filter((x) => !want.has(x));
    if (missing.length || extra.length)
      return fail(
        "select",
        `${what}: ${[missing.length ? `missing ${list(missing)}` : "", extra.length ? `unexpected ${list(extra)}` : ""].filter(Boolean).join("; ")} (${found}).`,
      );
  }
  return pass("select", `${what}: ${found}.`);
}

// ---- endpoints ----

interface EpView {
  ready: { ip: string; pod?: string }[];
  notReady: { ip: string; pod?: string }[];
  ports: { port: number; name?: string; protocol: string }[];
}

function epView(ep: Endpoints | undefined): EpView {
  const v: EpView = { ready: [], notReady: [], ports: [] };
  for (const s of ep?.subsets ?? []) {
    for (const a of s.addresses ?? []) v.ready.push({ ip: a.ip, pod: a.targetRef?.name });
    for (const a of s.notReadyAddresses ?? []) v.notReady.push({ ip: a.ip, pod: a.targetRef?.name });
    for (const p of s.ports ?? []) if (!v.ports.some((x) => x.port === p.port && x.name === p.name && x.protocol === p.protocol)) v.ports.push({ port: p.port, name: p.name, protocol: p.protocol });
  }
  return v;
}

/**
 * Why a Service has no (or too few) ready endpoints, in terms a student can act on: its selector, the pods that
 * nearly match, pods that match but are not Ready, or a missing selector.
 */
export function diagnoseService(c: Cluster, svc: Service): string {
  const name = svc.metadata.name;
  const namespace = svc.metadata.namespace ?? "default";
  if (svc.spec.type === "ExternalName") return `Service ${name} is an ExternalName Service (a DNS CNAME to ${svc.spec.externalName}); it has no endpoints.`;
  const selector = svc.spec.selector ?? {};
  const pods = c.list("Pod", { namespace }) as Pod[];
  if (!Object.keys(selector).length) {
    const ep = find(c, "Endpoints", name, namespace) as Endpoints | undefined;
    return ep
      ? `Service ${name} has no selector; its Endpoints are the hand-written object ${name}.`
      : `Service ${name} has no selector, so no controller writes its Endpoints; create an Endpoints object named ${name} yourself.`;
  }
  const selText = labelsText(selector);
  const matching = pods.filter((p) => Object.entries(selector).every(([k, v]) => p.metadata.labels?.[k] === v));
  if (!matching.length) {
    // Pods that share the selector's keys but with other values: the usual typo.
    const near = new Map<string, number>();
    for (const p of pods)
      for (const k of Object.keys(selector)) {
        const v = p.metadata.labels?.[k];
        if (v !== undefined && v !== selector[k]) near.set(`${k}: ${v}`, (near.get(`${k}: ${v}`) ?? 0) + 1);
      }
    const nearText = [...near].map(([kv, n]) => `${kv} ×${n}`).join(", ");
    // No near miss: name the keys no pod has (a pod may carry some of the selector's labels, with its values).
    const absent = Object.keys(selector).filter((k) => !pods.some((p) => p.metadata.labels?.[k] !== undefined));
    const instead = nearText
      ? `; pods with ${nearText}`
      : absent.length
        ? `; no pod in namespace ${namespace} has a label ${absent.join(" or ")}`
        : "; each is on some pod, never all on one";
    return `Service ${name} selects ${selText}, but no pod carries ${Object.keys(selector).length > 1 ? "all those labels" : "that label"}${instead}.`;
  }
  const ready = matching.filter(isPodReady);
  if (!ready.length) {
    const states = matching.map((p) => `${p.metadata.name} ${readyCount(p)} ${p.status.phase}`);
    return `Service ${name} selects ${selText}; ${plural(matching.length, "pod matches", "pods match")} but none is Ready (${list(states)}), so every address is in NotReadyAddresses and the Service sends them no traffic. Check the readiness probe (kubectl describe pod).`;
  }
  const withIP = ready.filter((p) => p.status.podIP);
  const ep = epView(find(c, "Endpoints", name, namespace) as Endpoints | undefined);
  if (withIP.length && !ep.ready.length)
    return `Service ${name} selects ${selText} and ${plural(withIP.length, "Ready pod matches", "Ready pods match")}, but its Endpoints list no address: check that targetPort ${list((svc.spec.ports ?? []).map((p) => String(p.targetPort)))} exists on those pods.`;
  return `Service ${name} selects ${selText}: ${plural(ready.length, "Ready pod")} of ${matching.length} matching.`;
}

function endpointsCheck(c: Cluster, ch: EndpointsCheck): CheckResult {
  const namespace = ns(ch.namespace);
  const svc = find(c, "Service", ch.service, namespace) as Service | undefined;
  const ep = find(c, "Endpoints", ch.service, namespace) as Endpoints | undefined;
  if (!ep)
    return fail(
      "endpoints",
      svc ? `Endpoints ${ch.service} do not exist. ${diagnoseService(c, svc)}` : `Service ${ch.service}${where(ch.namespace)} does not exist yet, and neither do its Endpoints.`,
    );
  const v = epView(ep);
  const why = () => (svc ? ` ${diagnoseService(c, svc)}` : ` There is no Service ${ch.service}: Endpoints only carry traffic for a Service of the same name.`);
  const readyIPs = v.ready.map((a) => a.ip);
  const summary = `Endpoints ${ch.service}: ${plural(v.ready.length, "ready address", "ready addresses")}${v.ready.length ? ` (${list(readyIPs)})` : ""}, ${v.notReady.length} not ready${v.notReady.length ? ` (${list(v.notReady.map((a) => a.ip))})` : ""}`;
  const want: string[] = [];
  if (ch.ready !== undefined && v.ready.length !== ch.ready) want.push(`${ch.ready} ready`);
  if (ch.minReady !== undefined && v.ready.length < ch.minReady) want.push(`at least ${ch.minReady} ready`);
  if (ch.notReady !== undefined && v.notReady.length !== ch.notReady) want.push(`${ch.notReady} in NotReadyAddresses`);
  if (want.length) {
    const tooFewNotReady = ch.notReady !== undefined && v.notReady.length < ch.notReady;
    const tooFewReady = (ch.ready !== undefined && v.ready.length < ch.ready) || (ch.minReady !== undefined && v.ready.length < ch.minReady);
    const hint = tooFewNotReady
      ? svc?.spec.selector && Object.keys(svc.spec.selector).length
        ? " A pod moves there when its readiness probe fails (after periodSeconds × failureThreshold of failures): has enough time passed?"
        : " Hand-written Endpoints only change when you edit them: put the address under notReadyAddresses."
      : tooFewReady
        ? why()
        : "";
    return fail("endpoints", `${summary}; expected ${want.join(" and ")}.${hint}`);
  }
  for (const p of ch.ports ?? []) {
    const proto = p.protocol ?? "TCP";
    if (!v.ports.some((x) => x.port === p.port && x.protocol === proto && (p.name === undefined || x.name === p.name)))
      return fail(
        "endpoints",
        `${summary}; expected port ${p.name ? `${p.name} ` : ""}${p.port}/${proto}, found ${v.ports.length ? v.ports.map((x) => `${x.name ? `${x.name} ` : ""}${x.port}/${x.protocol}`).join(", ") : "no ports"}.`,
      );
  }
  if (ch.addresses) {
    const want = [...ch.addresses].sort();
    const got = [...readyIPs].sort();
    if (want.join() !== got.join()) return fail("endpoints", `${summary}; expected exactly ${want.join(", ")}.`);
  }
  if (ch.readyPodsMatching !== undefined) {
    const sel = parseSelector(ch.readyPodsMatching);
    const pods = (c.list("Pod", { namespace }) as Pod[]).filter((p) => matchesSelector(sel, p.metadata.labels ?? {}) && isPodReady(p) && p.status.podIP);
    const want = new Map(pods.map((p) => [p.status.podIP!, p.metadata.name]));
    const missing = [...want].filter(([ip]) => !readyIPs.includes(ip)).map(([ip, n]) => `${n} (${ip})`);
    const extra = v.ready.filter((a) => !want.has(a.ip)).map((a) => (a.pod ? `${a.pod} (${a.ip})` : a.ip));
    if (!pods.length) return fail("endpoints", `No Ready pod matches ${ch.readyPodsMatching}, so there is nothing for Endpoints ${ch.service} to list. ${summary}.`);
    if (missing.length || extra.length)
      return fail(
        "endpoints",
        `${summary}; the ready addresses should be exactly the ${plural(pods.length, "Ready pod")} matching ${ch.readyPodsMatching}: ${[missing.length ? `missing ${list(missing)}` : "", extra.length ? `not expected ${list(extra)}` : ""].filter(Boolean).join("; ")}.${missing.length ? why() : ""}`,
      );
  }
  return pass("endpoints", `${summary}.`);
}

// ---- request ----

interface Target {
  host: string;
  port?: number;
  path: string;
}

function parseUrl(url: string): Target {
  const m = /^(?:(https?):\/\/)?([^/:]+)(?::(\d+))?(\/.*)?$/.exec(url.trim());
  if (!m) throw new TemplateError(`bad URL in check: ${url}`);
  return { host: m[2], port: m[3] ? Number(m[3]) : m[1] === "https" ? 443 : undefined, path: m[4] ?? "/" };
}

function resolveSource(c: Cluster, from: RequestCheck["from"]): { src: RequestSource; label: string; ip?: string } | string {
  if ("node" in from) {
    const h = c.hosts().find((x) => x.name === from.node);
    return h ? { src: { kind: "node", node: from.node }, label: from.node } : `node ${from.node} does not exist`;
  }
  if ("external" in from) {
    const ip = from.ip ?? c.state.topo.externalClientIP;
    return { src: { kind: "external", ip }, label: `a client outside the cluster (${ip})`, ip };
  }
  const namespace = ns(from.namespace);
  const pods = c.list("Pod", { namespace }) as Pod[];
  let pod: Pod | undefined;
  if ("pod" in from) {
    pod = pods.find((p) => p.metadata.name === from.pod);
    if (!pod) return `pod ${from.pod}${where(from.namespace)} does not exist, so the requests cannot be sent from it`;
  } else {
    const sel = parseSelector(from.podSelector);
    pod = pods.find((p) => matchesSelector(sel, p.metadata.labels ?? {}) && p.status.phase === "Running" && p.status.podIP);
    if (!pod) return `no Running pod matches ${from.podSelector} to send the requests from`;
  }
  if (pod.status.phase !== "Running" || !pod.status.podIP) return `pod ${pod.metadata.name} is not running`;
  return { src: { kind: "pod", pod: pod.metadata.name, namespace }, label: `pod ${pod.metadata.name}`, ip: pod.status.podIP };
}

function hopText(h: TraceHop): string {
  return `${h.at}: ${h.rule}${h.detail ? ` — ${h.detail}` : ""}`;
}

function lastHop(r: RequestResult): string {
  const hops = r.trace.filter((t) => t.detail);
  const h = hops[hops.length - 1];
  return h ? ` (${hopText(h)})` : "";
}

/**
 * Why a response saw another client address, from its trace: the rule that marked it for SNAT (nodePort traffic with
 * externalTrafficPolicy Cluster) or else the masquerade that did it (kube-proxy's for a pod reaching itself through
 * its Service, flannel's for pod traffic leaving the pod network).
 */
function snatReason(r: RequestResult): string {
  const h = r.trace.find((t) => t.rule === "KUBE-MARK-MASQ") ?? r.trace.find((t) => /masq/i.test(t.rule));
  return h ? hopText(h) : "by the network on the way, not by a kube-proxy rule";
}

/** Who answered, by name ("?" for an answer without a server, which the engine never gives). */
function backendName(r: RequestResult): string {
  return r.servedBy?.name ?? "?";
}

/** The pod records by namespace/name: labels and readiness of the pods that answered, not materialised Pods. */
function podRecordsByKey(c: Cluster): Map<string, PodRec> {
  return new Map(listPodRecords(c.state).map((p) => [`${p.ns}/${p.name}`, p]));
}

/** The pod that answered, when a pod did. */
function servingPod(r: RequestResult, pods: Map<string, PodRec>): PodRec | undefined {
  return r.servedBy?.kind === "pod" ? pods.get(`${r.servedBy.namespace}/${r.servedBy.name}`) : undefined;
}

function requestCheck(ctx: CheckContext, ch: RequestCheck): CheckResult {
  const c = ctx.cluster;
  const url = expandTemplate(c, ch.url);
  const target = parseUrl(url);
  const s = resolveSource(c, ch.from);
  if (typeof s === "string") return fail("request", `Could not send the requests: ${s}.`);
  const n = Math.max(1, Math.min(ch.count ?? 10, 500));
  // Sent detached: the student's cluster is left exactly as it was, and every check starts from the same state.
  const req = { from: s.src, host: target.host, port: target.port, path: target.path, method: ch.method, body: ch.body };
  const results: RequestResult[] = c.requestDetached(Array.from({ length: n }, () => req));
  const head = `${n} request${n === 1 ? "" : "s"} from ${s.label} to ${url}`;
  const ok = results.filter((r) => r.ok);
  const failed = results.filter((r) => !r.ok);
  const byCode = new Map<string, number>();
  for (const r of failed) byCode.set(r.error!.code, (byCode.get(r.error!.code) ?? 0) + 1);
  const failText = () => {
    const first = failed[0];
    return `${failed.length} failed (${[...byCode].map(([k, v]) => `${k} ×${v}`).join(", ")}): ${first.error!.message}${lastHop(first)}`;
  };
  if (ch.expect !== "success") {
    const bad = ch.expect === "fail" ? ok : results.filter((r) => r.ok || r.error!.code !== ch.expect);
    if (bad.length) {
      const r = bad[0];
      const got = r.ok ? `${ok.length} answered (first by ${backendName(r)}, HTTP ${r.status})` : `${bad.length} failed another way: ${r.error!.message}`;
      return fail("request", `${head}: expected every one to fail${ch.expect === "fail" ? "" : ` with ${ch.expect === "refused" ? "Connection refused" : "a timeout"}`}, but ${got}${lastHop(r)}.`);
    }
    return pass("request", `${head}: all failed as expected (${failed[0].error!.message}).`);
  }
  if (failed.length) return fail("request", `${head}: ${failText()}.`);
  const badStatus = ok.filter((r) => (r.status ?? 0) >= 400);
  if (badStatus.length) return fail("request", `${head}: ${badStatus.length} got HTTP ${badStatus[0].status} from ${backendName(badStatus[0])}.`);
  const backends = [...new Set(ok.map(backendName))].sort();
  const summary = `${head}: all answered, by ${plural(backends.length, "backend")} (${list(backends)})`;
  if (ch.bodyMatches !== undefined) {
    const re = new RegExp(ch.bodyMatches);
    const miss = ok.find((r) => !re.test(r.body ?? ""));
    if (miss) return fail("request", `${head}: a response from ${backendName(miss)} did not match /${ch.bodyMatches}/: ${JSON.stringify((miss.body ?? "").slice(0, 160))}.`);
  }
  if (ch.minDistinctBackends !== undefined && backends.length < ch.minDistinctBackends)
    return fail("request", `${summary}; expected at least ${ch.minDistinctBackends} different backends.`);
  if (ch.backendsMatching !== undefined) {
    const sel = parseSelector(ch.backendsMatching);
    // A record's empty labels read as none, as on the Pod.
    const pods = podRecordsByKey(c);
    const off = ok.filter((r) => {
      const p = servingPod(r, pods);
      return !p || !matchesSelector(sel, p.labels ?? {});
    });
    if (off.length) {
      // Each backend with its own labels (two pods of one name in two namespaces are two backends).
      const labels = [
        ...new Set(
          off.map((r) => {
            const p = servingPod(r, pods);
            return p ? `${p.name} (${labelsText(p.labels)})` : backendName(r);
          }),
        ),
      ];
      return fail("request", `${summary}; ${plural(off.length, "request was", "requests were")} served by ${list(labels)}, which ${labels.length === 1 ? "does" : "do"} not match ${ch.backendsMatching}.`);
    }
  }
  if (ch.onlyReadyBackends) {
    const pods = podRecordsByKey(c);
    const unready = ok.filter((r) => {
      const p = servingPod(r, pods);
      return p !== undefined && !podRecordReady(p);
    });
    if (unready.length) return fail("request", `${summary}; ${plural(unready.length, "request was", "requests were")} served by ${list([...new Set(unready.map((r) => r.servedBy!.name))])}, which is not Ready.`);
  }
  if (ch.clientIP) {
    const own = s.ip;
    if (own === undefined) return fail("request", `${summary}; a client-IP check needs a pod or outside client as the source, not a node.`);
    const seen = [...new Set(ok.map((r) => r.clientIP ?? "?"))];
    const kept = seen.every((x) => x === own);
    if (ch.clientIP === "preserved" && !kept)
      return fail("request", `${summary}; the backends saw the client as ${list(seen)}, not ${own}: the source address was SNATed (${snatReason(ok.find((r) => r.clientIP !== own)!)}).`);
    if (ch.clientIP === "snat" && kept)
      return fail("request", `${summary}; the backends saw the client's own address ${own}: no SNAT happened.`);
    return pass("request", `${summary}; the backends saw ${list(seen)}.`);
  }
  return pass("request", `${summary}.`);
}

// ---- label ----

function parseKV(s: string): { key: string; value?: string } {
  const i = s.indexOf("=");
  return i < 0 ? { key: s.trim() } : { key: s.slice(0, i).trim(), value: s.slice(i + 1).trim() };
}

function labelCheck(c: Cluster, ch: LabelCheck): CheckResult {
  const o = find(c, ch.kind, ch.name, ch.namespace);
  const what = `${ch.kind} ${ch.name}${where(ch.namespace)}`;
  if (!o) return fail("label", `${what} does not exist.`);
  const labels = o.metadata.labels ?? {};
  const now = `its labels are ${labelsText(labels)}`;
  for (const h of ch.has ?? []) {
    const { key, value } = parseKV(h);
    if (!(key in labels)) return fail("label", `${what} has no label ${key}${value !== undefined ? ` (expected ${key}=${value})` : ""}; ${now}.`);
    if (value !== undefined && labels[key] !== value)
      return fail("label", `${what} has ${key}=${labels[key]}, expected ${key}=${value}; change it with kubectl label --overwrite.`);
  }
  for (const l of ch.lacks ?? []) {
    const { key, value } = parseKV(l);
    if (key in labels && (value === undefined || labels[key] === value))
      return fail("label", `${what} still has the label ${key}=${labels[key]}; remove it with kubectl label ${ch.kind.toLowerCase()} ${ch.name} ${key}-.`);
  }
  return pass("label", `${what}: ${now}.`);
}

// ---- dns ----

function dnsCheck(c: Cluster, ch: DnsCheck): CheckResult {
  let fromPod: string | undefined;
  if (ch.fromPodSelector !== undefined) {
    const sel = parseSelector(ch.fromPodSelector);
    const pod = (c.list("Pod", { namespace: ns(ch.namespace) }) as Pod[]).find((p) => matchesSelector(sel, p.metadata.labels ?? {}) && p.status.phase === "Running");
    if (!pod) return fail("dns", `No Running pod matches ${ch.fromPodSelector} to resolve ${ch.name} from.`);
    fromPod = pod.metadata.name;
  }
  const r = c.dnsLookup(ch.name, { fromPod, namespace: ns(ch.namespace) });
  const got = r.found ? `${r.name}${r.cname ? ` is a CNAME for ${r.cname}` : ""}${r.addresses.length ? ` -> ${r.addresses.join(", ")}` : ""}` : `${ch.name} does not resolve (NXDOMAIN from ${r.server || "the resolver"})`;
  if (ch.found !== undefined && r.found !== ch.found) return fail("dns", `${got}; expected it ${ch.found ? "to resolve" : "not to resolve"}.`);
  if (ch.cname !== undefined && r.cname !== ch.cname) return fail("dns", `${got}; expected a CNAME to ${ch.cname}.`);
  if (ch.addresses && [...ch.addresses].sort().join() !== [...r.addresses].sort().join()) return fail("dns", `${got}; expected ${ch.addresses.join(", ")}.`);
  return pass("dns", `${got}.`);
}

// ---- hostIP ----

function hostIPCheck(c: Cluster, ch: HostIPCheck): CheckResult {
  if (!c.hosts().some((h) => h.name === ch.node)) return fail("hostIP", `node ${ch.node} does not exist.`);
  const addrs = c.hostInterfaces(ch.node).flatMap((i) => i.addrs.map((a) => `${a.ip}/${a.prefix} ${i.dev}`));
  if (addrs.some((a) => a.split("/")[0] === ch.ip)) return pass("hostIP", `${ch.ip} is bound on ${ch.node}.`);
  const other = c.hosts().find((h) => c.hostInterfaces(h.name).some((i) => i.addrs.some((a) => a.ip === ch.ip)));
  return fail("hostIP", `${ch.ip} is not bound on ${ch.node}${other ? ` (it is on ${other.name})` : ""}; add it there with ip addr add ${ch.ip}/21 dev eth0. ${ch.node} has ${list(addrs.filter((a) => !a.startsWith("127.")))}.`);
}

// ---- command ----

function commandCheck(log: CommandEntry[] | undefined, ch: CommandCheck): CheckResult {
  const what = ch.description ?? `a command matching /${ch.pattern}/`;
  if (!log) return fail("command", `No command log to check for ${what}.`);
  const re = new RegExp(ch.pattern);
  const hit = log.find((e) => re.test(e.line));
  return hit ? pass("command", `You ran: ${hit.line}`) : fail("command", `None of your ${log.length} commands is ${what}; try it in the terminal.`);
}

export { Cluster };
