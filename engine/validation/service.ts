// Service validation with the rules and messages of the v1.19 apiserver: ValidateService, ValidateServiceUpdate
// (pkg/apis/core/validation/validation.go) and ValidateServiceExternalTrafficFieldsCombination, which the Service
// REST storage runs after allocation on create and update. v1.19 has a single spec.clusterIP (no clusterIPs /
// ipFamilies / ipFamilyPolicy, no allocateLoadBalancerNodePorts) and still rejects LoadBalancers that mix protocols.
// Allocation errors (IP / port already allocated, out of range) belong to the engine's registry, not here.
//
// Inputs are untrusted: a field of the wrong JSON type gives a type error (see fielderrors.ts) and nothing else,
// as the real apiserver never gets past decoding such a body.

import type { FieldError } from "../errors.ts";
import { isQualifiedName, isValidIP, isValidIPv4, isValidIPv6, isValidPortName, isValidPortNum } from "./names.ts";
import {
  arr,
  dns1123LabelField,
  dns1123SubdomainField,
  duplicate,
  forbidden,
  goSliceV,
  goStringSliceGo,
  int,
  invalidEach,
  invalidField,
  isObj,
  labelsField,
  nameIsDNS1035Label,
  notSupported,
  type Obj,
  q,
  rec,
  required,
  str,
  tooMany,
  typeErrors,
  validateObjectMeta,
  validateObjectMetaUpdate,
  immutableString,
} from "./fielderrors.ts";
import { validateNonSpecialIP } from "./endpoints.ts";

export const SUPPORTED_PORT_PROTOCOLS = ["SCTP", "TCP", "UDP"];
export const SUPPORTED_SESSION_AFFINITY = ["ClientIP", "None"];
export const SUPPORTED_SERVICE_TYPES = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"];
export const KUBELET_PORT = 10250;
export const MAX_CLIENT_IP_SERVICE_AFFINITY_SECONDS = 86400;
export const MAX_SERVICE_TOPOLOGY_KEYS = 16;
export const TOPOLOGY_KEY_ANY = "*";
export const ANNOTATION_LOAD_BALANCER_SOURCE_RANGES = "service.beta.kubernetes.io/load-balancer-source-ranges";

/** ValidateServiceName = NameIsDNS1035Label (a Service name must start with a letter). */
export const validateServiceName = nameIsDNS1035Label;

// ---- small helpers ----

/** intstr.IntOrString as decoded from JSON: a number is Type Int, a string Type String; missing is Int 0. */
function intOrString(v: unknown): { isStr: boolean; intVal: number; strVal: string } {
  if (typeof v === "string") return { isStr: true, intVal: 0, strVal: v };
  return { isStr: false, intVal: int(v), strVal: "" };
}

/** ValidatePortNumOrName. */
export function validatePortNumOrName(port: unknown, field: string): FieldError[] {
  const p = intOrString(port);
  if (p.isStr) return invalidEach(field, q(p.strVal), isValidPortName(p.strVal));
  return invalidEach(field, String(p.intVal), isValidPortNum(p.intVal));
}

/** %#v of an internal core.ServicePort (the Duplicate value of a (protocol, port) key and the mix-protocol error). */
export function goServicePort(p: Obj): string {
  const tp = intOrString(p.targetPort);
  const app = p.appProtocol === undefined || p.appProtocol === null ? "(*string)(nil)" : "(*string)(0xc000010000)";
  const target = tp.isStr ? `intstr.IntOrString{Type:1, IntVal:0, StrVal:${q(tp.strVal)}}` : `intstr.IntOrString{Type:0, IntVal:${tp.intVal}, StrVal:""}`;
  return `core.ServicePort{Name:${q(str(p.name))}, Protocol:${q(str(p.protocol))}, AppProtocol:${app}, Port:${int(p.port)}, TargetPort:${target}, NodePort:${int(p.nodePort)}}`;
}

/** Go net.ParseCIDR acceptance: `<ip>/<prefix>` with the prefix within the address family. */
export function isValidCIDR(s: string): boolean {
  const slash = s.indexOf("/");
  if (slash < 0) return false;
  const ip = s.slice(0, slash);
  const mask = s.slice(slash + 1);
  if (!/^[0-9]{1,3}$/.test(mask)) return false;
  const n = Number(mask);
  if (isValidIPv4(ip)) return n <= 32;
  if (isValidIPv6(ip)) return n <= 128;
  return false;
}

/** apiservice.GetLoadBalancerSourceRanges: true when the field (or else the annotation) parses as CIDRs. */
function loadBalancerSourceRangesValid(ranges: string[], annotation: string | undefined): boolean {
  let specs: string[];
  if (ranges.length > 0) specs = ranges;
  else {
    let val = (annotation ?? "").trim();
    if (val === "") val = "0.0.0.0/0";
    specs = val.split(",");
  }
  return specs.every((s) => isValidCIDR(s.trim()));
}

function needsHealthCheck(spec: Obj): boolean {
  return spec.type === "LoadBalancer" && spec.externalTrafficPolicy === "Local";
}

// ---- ValidateService ----

function validateServicePort(sp: Obj, requireName: boolean, allNames: Set<string>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const name = str(sp.name);
  if (requireName && name.length === 0) errs.push(required(`${path}.name`));
  else if (name.length !== 0) {
    errs.push(...dns1123LabelField(name, `${path}.name`));
    if (allNames.has(name)) errs.push(duplicate(`${path}.name`, q(name)));
    else allNames.add(name);
  }
  const port = int(sp.port);
  errs.push(...invalidEach(`${path}.port`, String(port), isValidPortNum(port)));
  const protocol = str(sp.protocol);
  if (protocol.length === 0) errs.push(required(`${path}.protocol`));
  else if (!SUPPORTED_PORT_PROTOCOLS.includes(protocol)) errs.push(notSupported(`${path}.protocol`, q(protocol), SUPPORTED_PORT_PROTOCOLS));
  errs.push(...validatePortNumOrName(sp.targetPort, `${path}.targetPort`));
  if (sp.appProtocol !== undefined && sp.appProtocol !== null) {
    const app = str(sp.appProtocol);
    errs.push(...invalidEach(`${path}.appProtocol`, q(app), isQualifiedName(app)));
  }
  return errs;
}

function validateClientIPAffinityConfig(config: unknown, path: string): FieldError[] {
  const detail = "when session affinity type is ClientIP";
  if (!isObj(config)) return [required(path, detail)];
  if (!isObj(config.clientIP)) return [required(`${path}.clientIP`, detail)];
  const timeout = config.clientIP.timeoutSeconds;
  const tPath = `${path}.clientIP.timeoutSeconds`;
  if (timeout === undefined || timeout === null) return [required(tPath, detail)];
  const t = int(timeout);
  if (t <= 0 || t > MAX_CLIENT_IP_SERVICE_AFFINITY_SECONDS)
    return [invalidField(tPath, String(t), `must be greater than 0 and less than ${MAX_CLIENT_IP_SERVICE_AFFINITY_SECONDS}`)];
  return [];
}

/** validateServiceExternalTrafficFieldsValue. */
function validateExternalTrafficFieldsValue(spec: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const etp = str(spec.externalTrafficPolicy);
  if (etp !== "" && etp !== "Cluster" && etp !== "Local")
    errs.push(invalidField("spec.externalTrafficPolicy", q(etp), "ExternalTrafficPolicy must be empty, Cluster or Local"));
  const hc = int(spec.healthCheckNodePort);
  if (hc < 0) errs.push(invalidField("spec.healthCheckNodePort", String(hc), "HealthCheckNodePort must be not less than 0"));
  return errs;
}

/** The topologyKeys rules (ServiceTopology; alpha in v1.19, validated as when the gate is on). */
function validateTopologyKeys(spec: Obj): FieldError[] {
  const keys = arr(spec.topologyKeys).map(str);
  if (keys.length === 0) return [];
  const errs: FieldError[] = [];
  const path = "spec.topologyKeys";
  if (spec.externalTrafficPolicy === "Local") errs.push(forbidden(path, "may not be specified when `externalTrafficPolicy=Local`"));
  if (keys.length > MAX_SERVICE_TOPOLOGY_KEYS) errs.push(tooMany(path, keys.length, MAX_SERVICE_TOPOLOGY_KEYS));
  const seen = new Set<string>();
  keys.forEach((key, i) => {
    const kp = `${path}[${i}]`;
    if (seen.has(key)) errs.push(duplicate(kp, q(key)));
    seen.add(key);
    if (key === TOPOLOGY_KEY_ANY && i !== keys.length - 1) errs.push(invalidField(kp, q(key), `"*" must be the last value specified`));
    if (key !== TOPOLOGY_KEY_ANY) errs.push(...invalidEach(kp, goStringSliceGo(keys), isQualifiedName(key)));
  });
  return errs;
}

/** ValidateService (v1.19): metadata, then the spec rules in upstream order. Assumes well-typed input. */
export function validateService(svc: unknown): FieldError[] {
  const s = rec(svc);
  const meta = rec(s.metadata);
  const spec = rec(s.spec);
  const errs = validateObjectMeta(meta, { nameFn: validateServiceName, requiresNamespace: true });
  const type = str(spec.type);
  const clusterIP = str(spec.clusterIP);
  const ports = arr(spec.ports).map(rec);
  const isHeadless = clusterIP === "None";

  if (ports.length === 0 && !isHeadless && type !== "ExternalName") errs.push(required("spec.ports"));
  switch (type) {
    case "LoadBalancer":
      ports.forEach((p, i) => {
        if (int(p.port) === KUBELET_PORT)
          errs.push(invalidField(`spec.ports[${i}]`, String(KUBELET_PORT), `may not expose port ${KUBELET_PORT} externally since it is used by kubelet`));
      });
      if (clusterIP === "None") errs.push(invalidField("spec.clusterIP", q(clusterIP), "may not be set to 'None' for LoadBalancer services"));
      break;
    case "NodePort":
      if (clusterIP === "None") errs.push(invalidField("spec.clusterIP", q(clusterIP), "may not be set to 'None' for NodePort services"));
      break;
    case "ExternalName": {
      if (clusterIP !== "") errs.push(forbidden("spec.clusterIP", "must be empty for ExternalName services"));
      // The value (a CNAME) may have one trailing dot to denote it as fully qualified (since v1.16).
      const externalName = str(spec.externalName);
      const cname = externalName.endsWith(".") ? externalName.slice(0, -1) : externalName;
      if (cname.length > 0) errs.push(...dns1123SubdomainField(cname, "spec.externalName"));
      else errs.push(required("spec.externalName"));
      break;
    }
  }

  const allNames = new Set<string>();
  ports.forEach((p, i) => errs.push(...validateServicePort(p, ports.length > 1, allNames, `spec.ports[${i}]`)));

  if (spec.selector !== undefined && spec.selector !== null) errs.push(...labelsField(spec.selector, "spec.selector"));

  const affinity = str(spec.sessionAffinity);
  if (affinity.length === 0) errs.push(required("spec.sessionAffinity"));
  else if (!SUPPORTED_SESSION_AFFINITY.includes(affinity)) errs.push(notSupported("spec.sessionAffinity", q(affinity), SUPPORTED_SESSION_AFFINITY));
  if (affinity === "ClientIP") errs.push(...validateClientIPAffinityConfig(spec.sessionAffinityConfig, "spec.sessionAffinityConfig"));
  else if (affinity === "None" && spec.sessionAffinityConfig !== undefined && spec.sessionAffinityConfig !== null)
    errs.push(forbidden("spec.sessionAffinityConfig", "must not be set when session affinity is None"));

  if (clusterIP !== "" && clusterIP !== "None" && isValidIP(clusterIP).length > 0)
    errs.push(invalidField("spec.clusterIP", q(clusterIP), "must be empty, 'None', or a valid IP address"));

  arr(spec.externalIPs).forEach((raw, i) => {
    const ip = str(raw);
    const path = `spec.externalIPs[${i}]`;
    const msgs = isValidIP(ip);
    if (msgs.length) errs.push(...invalidEach(path, q(ip), msgs));
    else errs.push(...validateNonSpecialIP(ip, path));
  });

  if (type.length === 0) errs.push(required("spec.type"));
  else if (!SUPPORTED_SERVICE_TYPES.includes(type)) errs.push(notSupported("spec.type", q(type), SUPPORTED_SERVICE_TYPES));

  if (type === "LoadBalancer") {
    const protocols = new Set<string>();
    ports.forEach((p, i) => {
      const protocol = str(p.protocol);
      if (!SUPPORTED_PORT_PROTOCOLS.includes(protocol))
        errs.push(invalidField(`spec.ports[${i}].protocol`, q(protocol), "cannot create an external load balancer with non-TCP/UDP/SCTP ports"));
      else protocols.add(protocol);
    });
    if (protocols.size > 1)
      errs.push(invalidField("spec.ports", `[]core.ServicePort{${ports.map(goServicePort).join(", ")}}`, "cannot create an external load balancer with mix protocols"));
  }

  if (type === "ClusterIP") {
    ports.forEach((p, i) => {
      if (int(p.nodePort) !== 0) errs.push(forbidden(`spec.ports[${i}].nodePort`, "may not be used when `type` is 'ClusterIP'"));
    });
  }

  // duplicate (protocol, nodePort) pairs
  const nodePorts = new Set<string>();
  ports.forEach((p, i) => {
    const np = int(p.nodePort);
    if (np === 0) return;
    const k = `${str(p.protocol)}/${np}`;
    if (nodePorts.has(k)) errs.push(duplicate(`spec.ports[${i}].nodePort`, String(np)));
    nodePorts.add(k);
  });

  // duplicate (protocol, port) pairs
  const portKeys = new Set<string>();
  ports.forEach((p, i) => {
    const k = `${str(p.protocol)}/${int(p.port)}`;
    if (portKeys.has(k)) errs.push(duplicate(`spec.ports[${i}]`, goServicePort({ protocol: p.protocol, port: p.port })));
    portKeys.add(k);
  });

  // loadBalancerSourceRanges field, or else the annotation
  const ranges = arr(spec.loadBalancerSourceRanges).map(str);
  const annotations = rec(meta.annotations);
  const hasAnnotation = Object.prototype.hasOwnProperty.call(annotations, ANNOTATION_LOAD_BALANCER_SOURCE_RANGES);
  if (ranges.length > 0 || hasAnnotation) {
    const annotation = hasAnnotation ? str(annotations[ANNOTATION_LOAD_BALANCER_SOURCE_RANGES]) : undefined;
    const path = ranges.length > 0 ? "spec.LoadBalancerSourceRanges" : `metadata.annotations[${ANNOTATION_LOAD_BALANCER_SOURCE_RANGES}]`;
    const val = ranges.length > 0 ? goSliceV(ranges) : (annotation ?? "");
    if (type !== "LoadBalancer") errs.push(forbidden(path, "may only be used when `type` is 'LoadBalancer'"));
    if (!loadBalancerSourceRangesValid(ranges, annotation))
      errs.push(invalidField(path, q(val), "must be a list of IP ranges. For example, 10.240.0.0/24,10.250.0.0/24 "));
  }

  errs.push(...validateExternalTrafficFieldsValue(spec));
  errs.push(...validateTopologyKeys(spec));
  return errs;
}

/** ValidateServiceExternalTrafficFieldsCombination (run by the Service storage after allocation). */
export function validateServiceExternalTrafficFieldsCombination(svc: unknown): FieldError[] {
  const spec = rec(rec(svc).spec);
  const errs: FieldError[] = [];
  const etp = str(spec.externalTrafficPolicy);
  if (spec.type !== "LoadBalancer" && spec.type !== "NodePort" && etp !== "")
    errs.push(invalidField("spec.externalTrafficPolicy", q(etp), "ExternalTrafficPolicy can only be set on NodePort and LoadBalancer service"));
  const hc = int(spec.healthCheckNodePort);
  if (!needsHealthCheck(spec) && hc !== 0)
    errs.push(invalidField("spec.healthCheckNodePort", String(hc), "HealthCheckNodePort can only be set on LoadBalancer service with ExternalTrafficPolicy=Local"));
  return errs;
}

/**
 * What the v1.19 Service storage does to an update before the combination check (rest.go Update:
 * healthCheckNodePortUpdate + externalTrafficPolicyUpdate): leaving NodePort/LoadBalancer clears
 * externalTrafficPolicy, and no longer needing a health check clears healthCheckNodePort. Returns a new object.
 */
export function serviceUpdateClearedFields(newSvc: unknown, oldSvc: unknown): Obj {
  const n = rec(newSvc);
  const spec: Obj = { ...rec(n.spec) };
  const oldSpec = rec(rec(oldSvc).spec);
  const neededExternal = oldSpec.type === "NodePort" || oldSpec.type === "LoadBalancer";
  const needsExternal = spec.type === "NodePort" || spec.type === "LoadBalancer";
  if (needsHealthCheck(oldSpec) && !needsHealthCheck(spec)) delete spec.healthCheckNodePort;
  if (neededExternal && !needsExternal) delete spec.externalTrafficPolicy;
  return { ...n, spec };
}

/** Create: type check, ValidateService, then (when that passed) the external-traffic combination check. */
export function validateServiceCreate(svc: unknown): FieldError[] {
  const typeErrs = typeErrors(svc, "Service");
  if (typeErrs.length) return typeErrs;
  const errs = validateService(svc);
  if (errs.length) return errs;
  return validateServiceExternalTrafficFieldsCombination(svc);
}

/**
 * Update (v1.19 ValidateServiceUpdate): metadata update rules, spec.clusterIP immutable once set (except to or from
 * ExternalName), ValidateService; then the combination check on the object as the storage clears it.
 */
export function validateServiceUpdate(newSvc: unknown, oldSvc: unknown): FieldError[] {
  const typeErrs = typeErrors(newSvc, "Service");
  if (typeErrs.length) return typeErrs;
  const n = rec(newSvc);
  const o = rec(oldSvc);
  const errs = validateObjectMetaUpdate(n.metadata, o.metadata);
  const spec = rec(n.spec);
  const oldSpec = rec(o.spec);
  if (spec.type !== "ExternalName" && oldSpec.type !== "ExternalName" && str(oldSpec.clusterIP) !== "")
    errs.push(...immutableString(str(spec.clusterIP), str(oldSpec.clusterIP), "spec.clusterIP"));
  errs.push(...validateService(newSvc));
  if (errs.length) return errs;
  return validateServiceExternalTrafficFieldsCombination(withoutStaleTrafficFields(serviceUpdateClearedFields(newSvc, oldSvc), oldSvc));
}

/**
 * Upstream's storage clears externalTrafficPolicy / healthCheckNodePort when a Service leaves NodePort/LoadBalancer,
 * so a stored ClusterIP Service never carries them. If the caller stored such a value anyway (without applying
 * serviceUpdateClearedFields), an unchanged stale value is not held against later updates.
 */
function withoutStaleTrafficFields(svc: Obj, oldSvc: unknown): Obj {
  const spec: Obj = { ...rec(svc.spec) };
  const oldSpec = rec(rec(oldSvc).spec);
  const external = (t: unknown) => t === "NodePort" || t === "LoadBalancer";
  if (!external(spec.type) && !external(oldSpec.type)) {
    if (spec.externalTrafficPolicy === oldSpec.externalTrafficPolicy) delete spec.externalTrafficPolicy;
    if (spec.healthCheckNodePort === oldSpec.healthCheckNodePort) delete spec.healthCheckNodePort;
  }
  return { ...svc, spec };
}
