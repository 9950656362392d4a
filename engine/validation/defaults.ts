// API defaulting as the v1.19 apiserver applies it when it decodes a request (pkg/apis/core/v1/defaults.go,
// pkg/apis/apps/v1/defaults.go): SetDefaults_Service, _PodSpec, _Container, _Probe, _HTTPGetAction, _Deployment,
// _ReplicaSet, _Endpoints. Pure: every function returns a new object and leaves its input alone. Inputs are
// untrusted parsed YAML; a field of the wrong JSON type is left as it is (validation reports it), never "fixed".

import { cloneJson, isObj, type Obj } from "./fielderrors.ts";

/**
 * What a defaulting function returns: a plain JSON object. Typed loosely on purpose (callers cast it to the kind's
 * shape after validation); its contents are still untrusted until validated.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Defaulted = Record<string, any>;

export const DEFAULT_CLIENT_IP_SERVICE_AFFINITY_SECONDS = 10800;
export const DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS = 30;
export const DEFAULT_SCHEDULER_NAME = "default-scheduler";

function copyOf(input: unknown): Obj {
  return isObj(input) ? cloneJson(input) : {};
}

/** Child object of `o` at `k`, created when missing; undefined when present but not an object. */
function child(o: Obj, k: string): Obj | undefined {
  const v = o[k];
  if (v === undefined || v === null) {
    const c: Obj = {};
    o[k] = c;
    return c;
  }
  return isObj(v) ? v : undefined;
}

/** Go's zero value for a string field (missing, null or ""). */
function unset(v: unknown): boolean {
  return v === undefined || v === null || v === "";
}

/** Go's zero value for an integer field (missing, null or 0). */
function zeroInt(v: unknown): boolean {
  return v === undefined || v === null || v === 0;
}

// ---- Service ----

/** SetDefaults_Service. */
export function defaultService(input: unknown): Defaulted {
  const svc = copyOf(input);
  const spec = child(svc, "spec");
  if (!spec) return svc;
  if (unset(spec.sessionAffinity)) spec.sessionAffinity = "None";
  if (spec.sessionAffinity === "None") delete spec.sessionAffinityConfig;
  if (spec.sessionAffinity === "ClientIP") {
    const cfg = spec.sessionAffinityConfig;
    const clientIP = isObj(cfg) ? cfg.clientIP : undefined;
    const timeout = isObj(clientIP) ? clientIP.timeoutSeconds : undefined;
    if (timeout === undefined || timeout === null)
      spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: DEFAULT_CLIENT_IP_SERVICE_AFFINITY_SECONDS } };
  }
  if (unset(spec.type)) spec.type = "ClusterIP";
  if (Array.isArray(spec.ports)) {
    spec.ports = spec.ports.map((p) => {
      if (!isObj(p)) return p;
      const port = { ...p };
      if (unset(port.protocol)) port.protocol = "TCP";
      if (port.targetPort === undefined || port.targetPort === null || port.targetPort === 0 || port.targetPort === "") {
        // intstr.FromInt(int(sp.Port)): the zero value when port itself is missing
        port.targetPort = typeof port.port === "number" ? port.port : 0;
      }
      return port;
    });
  }
  if ((spec.type === "NodePort" || spec.type === "LoadBalancer") && unset(spec.externalTrafficPolicy)) spec.externalTrafficPolicy = "Cluster";
  return svc;
}

// ---- Endpoints ----

/** SetDefaults_EndpointPort on every subset port: protocol TCP. */
export function defaultEndpoints(input: unknown): Defaulted {
  const ep = copyOf(input);
  if (!Array.isArray(ep.subsets)) return ep;
  ep.subsets = ep.subsets.map((s) => {
    if (!isObj(s) || !Array.isArray(s.ports)) return s;
    return { ...s, ports: s.ports.map((p) => (isObj(p) && unset(p.protocol) ? { ...p, protocol: "TCP" } : p)) };
  });
  return ep;
}

// ---- Pods ----

/**
 * The tag parsers.ParseImageName finds: "latest" when the reference has neither tag nor digest, "" when it cannot
 * be parsed (then the pull policy falls back to IfNotPresent, as upstream ignores the parse error).
 */
export function imageTag(image: string): string {
  if (image === "" || /\s/.test(image)) return "";
  let rest = image;
  let digest = "";
  const at = rest.indexOf("@");
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!/^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/.test(digest)) return "";
  }
  let tag = "";
  const slash = rest.lastIndexOf("/");
  const colon = rest.lastIndexOf(":");
  if (colon > slash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!/^[\w][\w.-]{0,127}$/.test(tag)) return "";
  }
  // repository path components must be lower case (the domain, before the first '/', may not be)
  const firstSlash = rest.indexOf("/");
  const head = firstSlash >= 0 ? rest.slice(0, firstSlash) : "";
  const isDomain = head !== "" && (head.includes(".") || head.includes(":") || head === "localhost");
  const path = isDomain ? rest.slice(firstSlash + 1) : rest;
  const component = "[a-z0-9]+(?:(?:[._]|__|[-]*)[a-z0-9]+)*";
  if (!new RegExp(`^${component}(?:/${component})*$`).test(path)) return "";
  if (tag === "" && digest === "") return "latest";
  return tag;
}

/** SetDefaults_Probe (+ SetDefaults_HTTPGetAction for an httpGet handler). */
export function defaultProbe(input: unknown): unknown {
  if (!isObj(input)) return input;
  const p: Obj = { ...input };
  if (zeroInt(p.timeoutSeconds)) p.timeoutSeconds = 1;
  if (zeroInt(p.periodSeconds)) p.periodSeconds = 10;
  if (zeroInt(p.successThreshold)) p.successThreshold = 1;
  if (zeroInt(p.failureThreshold)) p.failureThreshold = 3;
  if (zeroInt(p.initialDelaySeconds)) p.initialDelaySeconds = 0;
  if (isObj(p.httpGet)) {
    const h: Obj = { ...p.httpGet };
    if (unset(h.path)) h.path = "/";
    if (unset(h.scheme)) h.scheme = "HTTP";
    p.httpGet = h;
  }
  return p;
}

function defaultContainer(input: unknown): unknown {
  if (!isObj(input)) return input;
  const c: Obj = { ...input };
  if (unset(c.imagePullPolicy)) c.imagePullPolicy = imageTag(typeof c.image === "string" ? c.image : "") === "latest" ? "Always" : "IfNotPresent";
  if (Array.isArray(c.ports)) c.ports = c.ports.map((p) => (isObj(p) && unset(p.protocol) ? { ...p, protocol: "TCP" } : p));
  for (const k of ["livenessProbe", "readinessProbe", "startupProbe"]) if (isObj(c[k])) c[k] = defaultProbe(c[k]);
  return c;
}

/** SetDefaults_PodSpec with its containers (SetDefaults_Container, _ContainerPort, _Probe). Returns a new spec. */
export function defaultPodSpec(input: unknown): unknown {
  if (!isObj(input)) return input;
  const spec: Obj = { ...input };
  if (unset(spec.dnsPolicy)) spec.dnsPolicy = "ClusterFirst";
  if (unset(spec.restartPolicy)) spec.restartPolicy = "Always";
  if (spec.terminationGracePeriodSeconds === undefined || spec.terminationGracePeriodSeconds === null) spec.terminationGracePeriodSeconds = DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS;
  if (unset(spec.schedulerName)) spec.schedulerName = DEFAULT_SCHEDULER_NAME;
  if (Array.isArray(spec.containers)) spec.containers = spec.containers.map(defaultContainer);
  if (Array.isArray(spec.initContainers)) spec.initContainers = spec.initContainers.map(defaultContainer);
  return spec;
}

/** Pod defaulting: the pod spec. */
export function defaultPod(input: unknown): Defaulted {
  const pod = copyOf(input);
  if (isObj(pod.spec)) pod.spec = defaultPodSpec(pod.spec);
  return pod;
}

function defaultTemplate(spec: Obj): void {
  const t = spec.template;
  if (isObj(t) && isObj(t.spec)) spec.template = { ...t, spec: defaultPodSpec(t.spec) };
}

// ---- apps/v1 ----

/** SetDefaults_Deployment (+ the pod template). */
export function defaultDeployment(input: unknown): Defaulted {
  const d = copyOf(input);
  const spec = child(d, "spec");
  if (!spec) return d;
  if (spec.replicas === undefined || spec.replicas === null) spec.replicas = 1;
  const strategy = child(spec, "strategy");
  if (strategy) {
    if (unset(strategy.type)) strategy.type = "RollingUpdate";
    if (strategy.type === "RollingUpdate") {
      const ru = child(strategy, "rollingUpdate");
      if (ru) {
        if (ru.maxUnavailable === undefined || ru.maxUnavailable === null) ru.maxUnavailable = "25%";
        if (ru.maxSurge === undefined || ru.maxSurge === null) ru.maxSurge = "25%";
      }
    }
  }
  if (spec.revisionHistoryLimit === undefined || spec.revisionHistoryLimit === null) spec.revisionHistoryLimit = 10;
  if (spec.progressDeadlineSeconds === undefined || spec.progressDeadlineSeconds === null) spec.progressDeadlineSeconds = 600;
  defaultTemplate(spec);
  return d;
}

/** SetDefaults_ReplicaSet (+ the pod template). */
export function defaultReplicaSet(input: unknown): Defaulted {
  const rs = copyOf(input);
  const spec = child(rs, "spec");
  if (!spec) return rs;
  if (spec.replicas === undefined || spec.replicas === null) spec.replicas = 1;
  defaultTemplate(spec);
  return rs;
}

/** SetDefaults_DaemonSet (+ the pod template). */
export function defaultDaemonSet(input: unknown): Defaulted {
  const ds = copyOf(input);
  const spec = child(ds, "spec");
  if (!spec) return ds;
  const strategy = child(spec, "updateStrategy");
  if (strategy) {
    if (unset(strategy.type)) strategy.type = "RollingUpdate";
    const ru = strategy.type === "RollingUpdate" ? child(strategy, "rollingUpdate") : undefined;
    if (ru && (ru.maxUnavailable === undefined || ru.maxUnavailable === null)) ru.maxUnavailable = 1;
  }
  if (spec.revisionHistoryLimit === undefined || spec.revisionHistoryLimit === null) spec.revisionHistoryLimit = 10;
  defaultTemplate(spec);
  return ds;
}
