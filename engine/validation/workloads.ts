// Pod, Deployment and ReplicaSet validation with the v1.19 apiserver's rules and messages (pkg/apis/core/validation
// ValidatePod / ValidatePodSpec / validateContainers / validateProbe, pkg/apis/apps/validation ValidateDeployment /
// ValidateReplicaSet, and the deployment storage's selector immutability), limited to the fields kubelab models.
// Volumes, security contexts, resources and affinity are not modeled and not validated.

import type { FieldError } from "../errors.ts";
import { labelSelectorAsSelector } from "../labels/selector.ts";
import type { LabelSelector } from "../objects.ts";
import { isQualifiedName, isValidPortName, isValidPortNum, regexError } from "./names.ts";
import {
  annotationsField,
  arr,
  dns1123LabelField,
  duplicate,
  forbidden,
  goIntOrString,
  goLabelSelector,
  goStringMapGo,
  int,
  invalidEach,
  invalidField,
  isObj,
  labelsField,
  nameIsDNSSubdomain,
  nonNegative,
  notSupported,
  type Obj,
  q,
  rec,
  required,
  str,
  stringMap,
  typeErrors,
  validateObjectMeta,
  validateObjectMetaUpdate,
  FIELD_IMMUTABLE_ERROR_MSG,
} from "./fielderrors.ts";
import { canonicalEqual } from "../hash.ts";

export { validateObjectMeta, validateObjectMetaUpdate } from "./fielderrors.ts";

const SUPPORTED_PORT_PROTOCOLS = ["SCTP", "TCP", "UDP"];
const SUPPORTED_HTTP_SCHEMES = ["HTTP", "HTTPS"];
const RESTART_POLICIES = ["Always", "OnFailure", "Never"];
const DNS_POLICIES = ["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"];
const PULL_POLICIES = ["Always", "IfNotPresent", "Never"];
const MAX_INT32 = 2147483647;

// ---- containers ----

/** ValidatePortNumOrName for a probe handler's port. */
function portNumOrName(port: unknown, field: string): FieldError[] {
  if (typeof port === "string") return invalidEach(field, q(port), isValidPortName(port));
  const n = int(port);
  return invalidEach(field, String(n), isValidPortNum(n));
}

const ENV_VAR_NAME_FMT = "[-._a-zA-Z][-._a-zA-Z0-9]*";
const envVarNameRe = new RegExp(`^${ENV_VAR_NAME_FMT}$`);

/** validation.IsEnvVarName. */
export function isEnvVarName(value: string): string[] {
  if (envVarNameRe.test(value)) return [];
  return [
    regexError(
      "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit",
      ENV_VAR_NAME_FMT,
      "my.env-name",
      "MY_ENV.NAME",
      "MyEnvName1",
    ),
  ];
}

/** validateHandler: exactly one of exec, httpGet, tcpSocket. */
function validateHandler(h: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let n = 0;
  if (isObj(h.exec)) {
    n++;
    if (arr(h.exec.command).length === 0) errs.push(required(`${path}.exec.command`));
  }
  if (isObj(h.httpGet)) {
    if (n > 0) errs.push(forbidden(`${path}.httpGet`, "may not specify more than 1 handler type"));
    else {
      n++;
      const g = h.httpGet;
      if (str(g.path).length === 0) errs.push(required(`${path}.httpGet.path`));
      errs.push(...portNumOrName(g.port, `${path}.httpGet.port`));
      const scheme = str(g.scheme);
      if (!SUPPORTED_HTTP_SCHEMES.includes(scheme)) errs.push(notSupported(`${path}.httpGet.scheme`, q(scheme), SUPPORTED_HTTP_SCHEMES));
    }
  }
  if (isObj(h.tcpSocket)) {
    if (n > 0) errs.push(forbidden(`${path}.tcpSocket`, "may not specify more than 1 handler type"));
    else {
      n++;
      errs.push(...portNumOrName(h.tcpSocket.port, `${path}.tcpSocket.port`));
    }
  }
  if (n === 0) errs.push(required(path, "must specify a handler type"));
  return errs;
}

/** validateProbe (nil probe: nothing to check). */
export function validateProbe(probe: unknown, path: string): FieldError[] {
  if (!isObj(probe)) return [];
  const errs = validateHandler(probe, path);
  for (const k of ["initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold", "failureThreshold"])
    errs.push(...nonNegative(int(probe[k]), `${path}.${k}`));
  return errs;
}

function validateContainerPorts(ports: unknown[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  ports.forEach((raw, i) => {
    const p = rec(raw);
    const idx = `${path}[${i}]`;
    const name = str(p.name);
    if (name.length > 0) {
      const msgs = isValidPortName(name);
      if (msgs.length) errs.push(...invalidEach(`${idx}.name`, q(name), msgs));
      else if (names.has(name)) errs.push(duplicate(`${idx}.name`, q(name)));
      else names.add(name);
    }
    const cp = int(p.containerPort);
    if (cp === 0) errs.push(required(`${idx}.containerPort`));
    else errs.push(...invalidEach(`${idx}.containerPort`, String(cp), isValidPortNum(cp)));
    const hp = int(p.hostPort);
    if (hp !== 0) errs.push(...invalidEach(`${idx}.hostPort`, String(hp), isValidPortNum(hp)));
    const protocol = str(p.protocol);
    if (protocol.length === 0) errs.push(required(`${idx}.protocol`));
    else if (!SUPPORTED_PORT_PROTOCOLS.includes(protocol)) errs.push(notSupported(`${idx}.protocol`, q(protocol), SUPPORTED_PORT_PROTOCOLS));
  });
  return errs;
}

function validateEnv(env: unknown[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  env.forEach((raw, i) => {
    const name = str(rec(raw).name);
    const idx = `${path}[${i}].name`;
    if (name.length === 0) errs.push(required(idx));
    else errs.push(...invalidEach(idx, q(name), isEnvVarName(name)));
  });
  return errs;
}

function validatePullPolicy(policy: unknown, path: string): FieldError[] {
  const p = str(policy);
  if (p === "") return [required(path)];
  if (!PULL_POLICIES.includes(p)) return [notSupported(path, q(p), PULL_POLICIES)];
  return [];
}

/** validateContainers (modeled fields). Missing imagePullPolicy / terminationMessagePolicy count as defaulted. */
function validateContainers(containers: unknown[], path: string, isInit: boolean): FieldError[] {
  if (containers.length === 0) return isInit ? [] : [required(path)];
  const errs: FieldError[] = [];
  const names = new Set<string>();
  containers.forEach((raw, i) => {
    const c = rec(raw);
    const idx = `${path}[${i}]`;
    const name = str(c.name);
    if (name.length === 0) errs.push(required(`${idx}.name`));
    else errs.push(...dns1123LabelField(name, `${idx}.name`));
    if (names.has(name)) errs.push(duplicate(`${idx}.name`, q(name)));
    else names.add(name);
    if (str(c.image).length === 0) errs.push(required(`${idx}.image`));
    errs.push(...validateProbe(c.livenessProbe, `${idx}.livenessProbe`));
    if (isObj(c.livenessProbe) && int(c.livenessProbe.successThreshold) !== 1)
      errs.push(invalidField(`${idx}.livenessProbe.successThreshold`, String(int(c.livenessProbe.successThreshold)), "must be 1"));
    errs.push(...validateProbe(c.startupProbe, `${idx}.startupProbe`));
    if (isObj(c.startupProbe) && int(c.startupProbe.successThreshold) !== 1)
      errs.push(invalidField(`${idx}.startupProbe.successThreshold`, String(int(c.startupProbe.successThreshold)), "must be 1"));
    if (c.terminationMessagePolicy !== undefined && c.terminationMessagePolicy !== null) {
      const tmp = str(c.terminationMessagePolicy);
      if (tmp === "") errs.push(required(`${idx}.terminationMessagePolicy`, "must be 'File' or 'FallbackToLogsOnError'"));
      else if (tmp !== "File" && tmp !== "FallbackToLogsOnError")
        errs.push(invalidField(`${idx}.terminationMessagePolicy`, q(tmp), "must be 'File' or 'FallbackToLogsOnError'"));
    }
    errs.push(...validateProbe(c.readinessProbe, `${idx}.readinessProbe`));
    errs.push(...validateContainerPorts(arr(c.ports), `${idx}.ports`));
    errs.push(...validateEnv(arr(c.env), `${idx}.env`));
    if (c.imagePullPolicy !== undefined) errs.push(...validatePullPolicy(c.imagePullPolicy, `${idx}.imagePullPolicy`));
  });
  // host port conflicts (checkHostPortConflicts / AccumulateUniqueHostPorts)
  const seen = new Set<string>();
  containers.forEach((raw, ci) => {
    if (isInit) seen.clear(); // init containers run one at a time
    arr(rec(raw).ports).forEach((rp, pi) => {
      const p = rec(rp);
      const hp = int(p.hostPort);
      if (hp === 0) return;
      const k = `${str(p.protocol)}/${str(p.hostIP)}/${hp}`;
      if (seen.has(k)) errs.push(duplicate(`${path}[${ci}].ports[${pi}].hostPort`, q(k)));
      else seen.add(k);
    });
  });
  return errs;
}

// ---- pod spec ----

/** ValidatePodSpec (modeled fields). */
export function validatePodSpec(spec: unknown, path = "spec"): FieldError[] {
  const s = rec(spec);
  const errs = validateContainers(arr(s.containers), `${path}.containers`, false);
  errs.push(...validateContainers(arr(s.initContainers), `${path}.initContainers`, true));
  const rp = str(s.restartPolicy);
  if (rp === "") errs.push(required(`${path}.restartPolicy`));
  else if (!RESTART_POLICIES.includes(rp)) errs.push(notSupported(`${path}.restartPolicy`, q(rp), RESTART_POLICIES));
  const dns = str(s.dnsPolicy);
  if (dns === "") errs.push(required(`${path}.dnsPolicy`));
  else if (!DNS_POLICIES.includes(dns)) errs.push(notSupported(`${path}.dnsPolicy`, q(dns), DNS_POLICIES));
  errs.push(...labelsField(s.nodeSelector, `${path}.nodeSelector`));
  const sa = str(s.serviceAccountName);
  if (sa.length > 0) errs.push(...invalidEach(`${path}.serviceAccountName`, q(sa), nameIsDNSSubdomain(sa, false)));
  const node = str(s.nodeName);
  if (node.length > 0) errs.push(...invalidEach(`${path}.nodeName`, q(node), nameIsDNSSubdomain(node, false)));
  if (s.activeDeadlineSeconds !== undefined && s.activeDeadlineSeconds !== null) {
    const v = int(s.activeDeadlineSeconds);
    if (v < 1 || v > MAX_INT32) errs.push(invalidField(`${path}.activeDeadlineSeconds`, String(v), `must be between 1 and ${MAX_INT32}, inclusive`));
  }
  const hostname = str(s.hostname);
  if (hostname.length > 0) errs.push(...dns1123LabelField(hostname, `${path}.hostname`));
  const subdomain = str(s.subdomain);
  if (subdomain.length > 0) errs.push(...dns1123LabelField(subdomain, `${path}.subdomain`));
  if (s.terminationGracePeriodSeconds !== undefined && s.terminationGracePeriodSeconds !== null)
    errs.push(...nonNegative(int(s.terminationGracePeriodSeconds), `${path}.terminationGracePeriodSeconds`));
  return errs;
}

/** ValidatePod (create): type check, metadata (DNS-1123 subdomain name), spec. */
export function validatePod(pod: unknown): FieldError[] {
  const typeErrs = typeErrors(pod, "Pod");
  if (typeErrs.length) return typeErrs;
  const p = rec(pod);
  return [...validateObjectMeta(p.metadata, { nameFn: nameIsDNSSubdomain }), ...validatePodSpec(p.spec)];
}

/** ValidatePodTemplateSpec: labels and annotations checked on `<path>.labels` / `<path>.annotations` (upstream's path). */
export function validatePodTemplateSpec(template: unknown, path: string): FieldError[] {
  const t = rec(template);
  const meta = rec(t.metadata);
  return [...labelsField(meta.labels, `${path}.labels`), ...annotationsField(meta.annotations, `${path}.annotations`), ...validatePodSpec(t.spec, `${path}.spec`)];
}

// ---- selectors ----

/** metav1validation.ValidateLabelSelector. */
export function validateLabelSelector(sel: unknown, path: string): FieldError[] {
  if (!isObj(sel)) return [];
  const errs = labelsField(sel.matchLabels, `${path}.matchLabels`);
  arr(sel.matchExpressions).forEach((raw, i) => {
    const r = rec(raw);
    const ep = `${path}.matchExpressions[${i}]`;
    const op = str(r.operator);
    const values = arr(r.values);
    switch (op) {
      case "In":
      case "NotIn":
        if (values.length === 0) errs.push(required(`${ep}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
        break;
      case "Exists":
      case "DoesNotExist":
        if (values.length > 0) errs.push(forbidden(`${ep}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
        break;
      default:
        errs.push(invalidField(`${ep}.operator`, q(op), "not a valid selector operator"));
    }
    const key = str(r.key);
    errs.push(...invalidEach(`${ep}.key`, q(key), isQualifiedName(key)));
  });
  return errs;
}

/** metav1.LabelSelectorAsSelector; undefined when it fails ("invalid label selector"). */
function selectorOf(sel: unknown): { matches(labels: Record<string, string> | undefined): boolean; empty(): boolean } | undefined {
  try {
    if (!isObj(sel)) return labelSelectorAsSelector(undefined);
    const ls: LabelSelector = {};
    if (isObj(sel.matchLabels)) ls.matchLabels = stringMap(sel.matchLabels);
    if (Array.isArray(sel.matchExpressions))
      ls.matchExpressions = sel.matchExpressions.map((e) => {
        const r = rec(e);
        return { key: str(r.key), operator: str(r.operator) as "In", values: Array.isArray(r.values) ? r.values.map(str) : undefined };
      });
    return labelSelectorAsSelector(ls);
  } catch {
    return undefined;
  }
}

/** ValidatePodTemplateSpecForReplicaSet. */
function validateTemplateForReplicaSet(template: unknown, sel: ReturnType<typeof selectorOf>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const t = rec(template);
  const labels = isObj(rec(t.metadata).labels) ? stringMap(rec(t.metadata).labels) : undefined;
  if (sel && !sel.empty() && !sel.matches(labels))
    errs.push(invalidField(`${path}.metadata.labels`, goStringMapGo(labels), "`selector` does not match template `labels`"));
  errs.push(...validatePodTemplateSpec(template, path));
  const rp = str(rec(t.spec).restartPolicy);
  if (rp !== "Always") errs.push(notSupported(`${path}.spec.restartPolicy`, q(rp), ["Always"]));
  const ads = rec(t.spec).activeDeadlineSeconds;
  if (ads !== undefined && ads !== null) errs.push(invalidField(`${path}.spec.activeDeadlineSeconds`, String(int(ads)), "activeDeadlineSeconds in ReplicaSet is not Supported"));
  return errs;
}

/** The selector rules shared by Deployment and ReplicaSet specs. */
export function validateSelectorAndTemplate(spec: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const sel = spec.selector;
  if (!isObj(sel)) errs.push(required(`${path}.selector`));
  else {
    errs.push(...validateLabelSelector(sel, `${path}.selector`));
    const n = Object.keys(rec(sel.matchLabels)).length + arr(sel.matchExpressions).length;
    if (n === 0) errs.push(invalidField(`${path}.selector`, goLabelSelector(sel), "empty selector is invalid for deployment"));
  }
  const selector = selectorOf(sel);
  if (!selector) errs.push(invalidField(`${path}.selector`, goLabelSelector(sel), "invalid label selector"));
  else errs.push(...validateTemplateForReplicaSet(spec.template, selector, `${path}.template`));
  return errs;
}

// ---- Deployment ----

const PERCENT_FMT = "[0-9]+%";

/** validation.IsValidPercent. */
export function isValidPercent(percent: string): string[] {
  if (new RegExp(`^${PERCENT_FMT}$`).test(percent)) return [];
  return [regexError("a valid percent string must be a numeric string followed by an ending '%'", PERCENT_FMT, "1%", "93%")];
}

function percentValue(v: unknown): number | undefined {
  if (typeof v !== "string" || isValidPercent(v).length) return undefined;
  return Number(v.slice(0, -1));
}

function intOrPercentValue(v: unknown): number {
  const p = percentValue(v);
  if (p !== undefined) return p;
  if (typeof v === "string") return /^[+-]?[0-9]+$/.test(v) ? Number(v) : 0;
  return int(v);
}

function validatePositiveIntOrPercent(v: unknown, path: string): FieldError[] {
  if (typeof v === "string") return invalidEach(path, goIntOrString(v), isValidPercent(v));
  return nonNegative(int(v), path);
}

function validateDeploymentStrategy(strategy: unknown, path: string): FieldError[] {
  const s = rec(strategy);
  const type = str(s.type);
  const errs: FieldError[] = [];
  switch (type) {
    case "Recreate":
      if (s.rollingUpdate !== undefined && s.rollingUpdate !== null)
        errs.push(forbidden(`${path}.rollingUpdate`, "may not be specified when strategy `type` is 'Recreate'"));
      break;
    case "RollingUpdate": {
      if (!isObj(s.rollingUpdate)) {
        errs.push(required(`${path}.rollingUpdate`, "this should be defaulted and never be nil"));
        break;
      }
      const ru = s.rollingUpdate;
      const rp = `${path}.rollingUpdate`;
      errs.push(...validatePositiveIntOrPercent(ru.maxUnavailable, `${rp}.maxUnavailable`));
      errs.push(...validatePositiveIntOrPercent(ru.maxSurge, `${rp}.maxSurge`));
      if (intOrPercentValue(ru.maxUnavailable) === 0 && intOrPercentValue(ru.maxSurge) === 0)
        errs.push(invalidField(`${rp}.maxUnavailable`, goIntOrString(ru.maxUnavailable), "may not be 0 when `maxSurge` is 0"));
      const pct = percentValue(ru.maxUnavailable);
      if (pct !== undefined && pct > 100) errs.push(invalidField(`${rp}.maxUnavailable`, goIntOrString(ru.maxUnavailable), "must not be greater than 100%"));
      break;
    }
    default: {
      const ru = isObj(s.rollingUpdate) ? "(*apps.RollingUpdateDeployment)(0xc000010000)" : "(*apps.RollingUpdateDeployment)(nil)";
      errs.push(notSupported(path, `apps.DeploymentStrategy{Type:${q(type)}, RollingUpdate:${ru}}`, ["Recreate", "RollingUpdate"]));
    }
  }
  return errs;
}

/** ValidateDeploymentSpec. */
export function validateDeploymentSpec(spec: unknown, path = "spec"): FieldError[] {
  const s = rec(spec);
  const errs = nonNegative(int(s.replicas), `${path}.replicas`);
  errs.push(...validateSelectorAndTemplate(s, path));
  errs.push(...validateDeploymentStrategy(s.strategy, `${path}.strategy`));
  const minReady = int(s.minReadySeconds);
  errs.push(...nonNegative(minReady, `${path}.minReadySeconds`));
  if (s.revisionHistoryLimit !== undefined && s.revisionHistoryLimit !== null)
    errs.push(...nonNegative(int(s.revisionHistoryLimit), `${path}.revisionHistoryLimit`));
  if (s.progressDeadlineSeconds !== undefined && s.progressDeadlineSeconds !== null) {
    const pds = int(s.progressDeadlineSeconds);
    errs.push(...nonNegative(pds, `${path}.progressDeadlineSeconds`));
    if (pds <= minReady) errs.push(invalidField(`${path}.progressDeadlineSeconds`, String(pds), "must be greater than minReadySeconds"));
  }
  return errs;
}

/** ValidateDeployment (create): type check, metadata (DNS-1123 subdomain name), spec. */
export function validateDeployment(d: unknown): FieldError[] {
  const typeErrs = typeErrors(d, "Deployment");
  if (typeErrs.length) return typeErrs;
  const o = rec(d);
  return [...validateObjectMeta(o.metadata, { nameFn: nameIsDNSSubdomain }), ...validateDeploymentSpec(o.spec)];
}

/** Drops empty maps and lists: apimachinery's Semantic.DeepEqual treats nil and empty alike. */
function withoutEmpty(v: unknown): unknown {
  if (Array.isArray(v)) return v.length ? v.map(withoutEmpty) : undefined;
  if (!isObj(v)) return v ?? undefined;
  const out: Obj = {};
  for (const [k, x] of Object.entries(v)) {
    const y = withoutEmpty(x);
    if (y !== undefined) out[k] = y;
  }
  return Object.keys(out).length ? out : undefined;
}

/** Semantic.DeepEqual of two selectors (a missing selector is nil; nil and empty maps/lists compare equal). */
function sameSelector(a: unknown, b: unknown): boolean {
  if (!isObj(a) || !isObj(b)) return !isObj(a) && !isObj(b);
  return canonicalEqual(withoutEmpty(a) ?? {}, withoutEmpty(b) ?? {});
}

/**
 * ValidateDeploymentUpdate plus the apps/v1 storage's rule that the selector is immutable:
 * `spec.selector: Invalid value: v1.LabelSelector{...}: field is immutable`.
 */
export function validateDeploymentUpdate(d: unknown, old: unknown): FieldError[] {
  const typeErrs = typeErrors(d, "Deployment");
  if (typeErrs.length) return typeErrs;
  const n = rec(d);
  const o = rec(old);
  const errs = [...validateObjectMetaUpdate(n.metadata, o.metadata), ...validateDeploymentSpec(n.spec)];
  const sel = rec(n.spec).selector;
  if (!sameSelector(sel, rec(o.spec).selector)) errs.push(invalidField("spec.selector", goLabelSelector(sel), FIELD_IMMUTABLE_ERROR_MSG));
  return errs;
}

// ---- ReplicaSet ----

/** ValidateReplicaSetSpec. */
export function validateReplicaSetSpec(spec: unknown, path = "spec"): FieldError[] {
  const s = rec(spec);
  const errs = nonNegative(int(s.replicas), `${path}.replicas`);
  errs.push(...nonNegative(int(s.minReadySeconds), `${path}.minReadySeconds`));
  errs.push(...validateSelectorAndTemplate(s, path));
  return errs;
}

/** ValidateReplicaSet (create or update of the spec): type check, metadata, spec. */
export function validateReplicaSet(rs: unknown): FieldError[] {
  const typeErrs = typeErrors(rs, "ReplicaSet");
  if (typeErrs.length) return typeErrs;
  const o = rec(rs);
  return [...validateObjectMeta(o.metadata, { nameFn: nameIsDNSSubdomain }), ...validateReplicaSetSpec(o.spec)];
}
