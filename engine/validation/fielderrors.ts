// Shared pieces of apiserver validation: field.Error constructors, Go-style rendering of bad values (what
// field.Error.ErrorBody prints: %q for strings, bare numbers, %#v for slices/maps/structs), a small JSON-type check
// of the fields kubelab models (so a manifest with `port: "abc"` or `ports: 5` gets a clear error instead of a crash),
// and ObjectMeta validation (ValidateObjectMeta / ValidateObjectMetaUpdate) shared by every kind.
//
// Everything here takes untrusted parsed YAML/JSON (`unknown`) and never assumes a type.

import type { FieldError } from "../errors.ts";
import { goQuoteString } from "../labels/selector.ts";
import { structuredCloneJson } from "../apiserver/merge.ts";
import { isDNS1035Label, isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidLabelValue, utf8Length } from "./names.ts";

export type Obj = Record<string, unknown>;

// ---- reading untrusted values ----

export function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The value as a record, or an empty record when it is missing or not an object. */
export function rec(v: unknown): Obj {
  return isObj(v) ? v : {};
}

/** The value as an array, or [] when it is missing or not an array. */
export function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** A string field; missing/null read as "" (Go's zero value). Non-strings are rendered (the type check reports them). */
export function str(v: unknown): string {
  if (typeof v === "string") return v;
  if (v === undefined || v === null) return "";
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return "";
}

/** An integer field; missing/null/garbage read as 0 (Go's zero value). */
export function int(v: unknown): number {
  return typeof v === "number" && Number.isFinite(v) ? Math.trunc(v) : 0;
}

/** A map[string]string, or undefined (nil) when missing; non-string values are rendered. */
export function stringMap(v: unknown): Record<string, string> | undefined {
  if (!isObj(v)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) out[k] = str(x);
  return out;
}

/** Deep copy of JSON-shaped data (drops functions/undefined like JSON would). */
export function cloneJson<T>(v: T): T {
  return structuredCloneJson(v);
}

// ---- Go rendering of bad values ----

/** %q of a string. */
export const q = goQuoteString;

/** %v of a []string: `[a b]`. */
export function goSliceV(items: readonly string[]): string {
  return `[${items.join(" ")}]`;
}

/** %#v of a []string: `[]string{"a", "b"}`, `[]string(nil)` for nil. */
export function goStringSliceGo(items: readonly string[] | undefined, typeName = "[]string"): string {
  if (items === undefined) return `${typeName}(nil)`;
  return `${typeName}{${items.map(q).join(", ")}}`;
}

/** %#v of a map[string]string: keys sorted (fmt sorts map keys), `map[string]string(nil)` for nil. */
export function goStringMapGo(m: Record<string, string> | undefined): string {
  if (m === undefined) return "map[string]string(nil)";
  const keys = Object.keys(m).sort(compareBytes);
  return `map[string]string{${keys.map((k) => `${q(k)}:${q(m[k])}`).join(", ")}}`;
}

/** Go string ordering (bytewise on UTF-8; code-unit order is the same for the ASCII users type). */
export function compareBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** %#v of a metav1.LabelSelector value (as ValidateImmutableField / field.Invalid print a *LabelSelector). */
export function goLabelSelector(sel: unknown): string {
  if (sel === undefined || sel === null) return "null";
  const s = rec(sel);
  const ml = isObj(s.matchLabels) ? stringMap(s.matchLabels) : undefined;
  let exprs: string;
  if (!Array.isArray(s.matchExpressions)) exprs = "[]v1.LabelSelectorRequirement(nil)";
  else {
    const items = s.matchExpressions.map((e) => {
      const r = rec(e);
      const values = Array.isArray(r.values) ? r.values.map(str) : undefined;
      return `v1.LabelSelectorRequirement{Key:${q(str(r.key))}, Operator:${q(str(r.operator))}, Values:${goStringSliceGo(values)}}`;
    });
    exprs = `[]v1.LabelSelectorRequirement{${items.join(", ")}}`;
  }
  return `v1.LabelSelector{MatchLabels:${goStringMapGo(ml)}, MatchExpressions:${exprs}}`;
}

/** %#v of an intstr.IntOrString value. */
export function goIntOrString(v: unknown): string {
  if (typeof v === "string") return `intstr.IntOrString{Type:1, IntVal:0, StrVal:${q(v)}}`;
  return `intstr.IntOrString{Type:0, IntVal:${int(v)}, StrVal:""}`;
}

/** A JSON value rendered the way ErrorBody would print it after decoding (strings quoted, numbers bare). */
export function goAny(v: unknown): string {
  if (typeof v === "string") return q(v);
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (v === null || v === undefined) return "null";
  if (Array.isArray(v)) return `[]interface {}{${v.map(goAny).join(", ")}}`;
  const o = v as Obj;
  const keys = Object.keys(o).sort(compareBytes);
  return `map[string]interface {}{${keys.map((k) => `${q(k)}:${goAny(o[k])}`).join(", ")}}`;
}

// ---- field.Error constructors ----

export function required(field: string, detail?: string): FieldError {
  return detail ? { field, type: "Required value", detail } : { field, type: "Required value" };
}

export function invalidField(field: string, value: string, detail: string): FieldError {
  return { field, type: "Invalid value", value, detail };
}

/** field.NotSupported: detail `supported values: "a", "b"`. */
export function notSupported(field: string, value: string, supported: readonly string[]): FieldError {
  const e: FieldError = { field, type: "Unsupported value", value };
  if (supported.length) e.detail = `supported values: ${supported.map(q).join(", ")}`;
  return e;
}

export function duplicate(field: string, value: string): FieldError {
  return { field, type: "Duplicate value", value };
}

export function forbidden(field: string, detail: string): FieldError {
  return { field, type: "Forbidden", detail };
}

export function tooMany(field: string, actual: number, max: number): FieldError {
  return { field, type: "Too many", value: String(actual), detail: `must have at most ${max} items` };
}

export function tooLong(field: string, max: number): FieldError {
  return { field, type: "Too long", detail: `must have at most ${max} bytes` };
}

/** One Invalid error per message, all on `field` with the same value (the `for _, msg := range ...` idiom). */
export function invalidEach(field: string, value: string, msgs: readonly string[]): FieldError[] {
  return msgs.map((m) => invalidField(field, value, m));
}

// ---- shared small validators (apimachinery / core validation helpers) ----

export const IS_NEGATIVE_ERROR_MSG = "must be greater than or equal to 0";
export const FIELD_IMMUTABLE_ERROR_MSG = "field is immutable";

/** ValidateNonnegativeField. */
export function nonNegative(value: number, field: string): FieldError[] {
  return value < 0 ? [invalidField(field, String(value), IS_NEGATIVE_ERROR_MSG)] : [];
}

/** ValidateDNS1123Label as a field validator. */
export function dns1123LabelField(value: string, field: string): FieldError[] {
  return invalidEach(field, q(value), isDNS1123Label(value));
}

/** ValidateDNS1123Subdomain as a field validator. */
export function dns1123SubdomainField(value: string, field: string): FieldError[] {
  return invalidEach(field, q(value), isDNS1123Subdomain(value));
}

/** metav1validation.ValidateLabels on an untrusted map (keys: qualified names; values: label values). */
export function labelsField(labels: unknown, field: string): FieldError[] {
  const out: FieldError[] = [];
  if (!isObj(labels)) return out;
  for (const [k, raw] of Object.entries(labels)) {
    const v = str(raw);
    for (const msg of isQualifiedName(k)) out.push(invalidField(field, q(k), msg));
    for (const msg of isValidLabelValue(v)) out.push(invalidField(field, q(v), msg));
  }
  return out;
}

// ---- ObjectMeta ----

export type NameFn = (name: string, prefix: boolean) => string[];

/** NameIsDNSSubdomain / NameIsDNSLabel / NameIsDNS1035Label: with prefix, a trailing '-' is allowed (masked). */
function maskTrailingDash(name: string): string {
  return name.length > 1 && name.endsWith("-") ? name.slice(0, -2) + "a" : name;
}

export const nameIsDNSSubdomain: NameFn = (name, prefix) => isDNS1123Subdomain(prefix ? maskTrailingDash(name) : name);
export const nameIsDNSLabel: NameFn = (name, prefix) => isDNS1123Label(prefix ? maskTrailingDash(name) : name);
export const nameIsDNS1035Label: NameFn = (name, prefix) => isDNS1035Label(prefix ? maskTrailingDash(name) : name);

/** ValidateNamespaceName = NameIsDNSLabel. */
export const validateNamespaceName = nameIsDNSLabel;

export const TOTAL_ANNOTATION_SIZE_LIMIT_B = 256 * 1024;

/** apimachinery ValidateAnnotations: keys are qualified names (checked lower-cased), 256 KiB in total. */
export function annotationsField(annotations: unknown, field: string): FieldError[] {
  const out: FieldError[] = [];
  if (!isObj(annotations)) return out;
  let total = 0;
  for (const [k, raw] of Object.entries(annotations)) {
    for (const msg of isQualifiedName(k.toLowerCase())) out.push(invalidField(field, q(k), msg));
    total += utf8Length(k) + utf8Length(str(raw));
  }
  if (total > TOTAL_ANNOTATION_SIZE_LIMIT_B) out.push(tooLong(field, TOTAL_ANNOTATION_SIZE_LIMIT_B));
  return out;
}

export interface ObjectMetaOptions {
  /** Name rule of the kind: Services use DNS-1035 labels, most other kinds DNS-1123 subdomains. */
  nameFn?: NameFn;
  /** Namespaced kinds need a namespace; cluster-scoped kinds must not have one. */
  requiresNamespace?: boolean;
  /** Field path prefix, "metadata" unless validating a template's metadata. */
  path?: string;
}

/** ValidateObjectMeta (apimachinery v0.19 pkg/api/validation/objectmeta.go). */
export function validateObjectMeta(meta: unknown, opts: ObjectMetaOptions = {}): FieldError[] {
  const m = rec(meta);
  const path = opts.path ?? "metadata";
  const nameFn = opts.nameFn ?? nameIsDNSSubdomain;
  const requiresNamespace = opts.requiresNamespace ?? true;
  const errs: FieldError[] = [];
  const name = str(m.name);
  const generateName = str(m.generateName);
  const namespace = str(m.namespace);
  if (generateName.length !== 0) errs.push(...invalidEach(`${path}.generateName`, q(generateName), nameFn(generateName, true)));
  if (name.length === 0) {
    if (generateName.length === 0) errs.push(required(`${path}.name`, "name or generateName is required"));
  } else {
    errs.push(...invalidEach(`${path}.name`, q(name), nameFn(name, false)));
  }
  if (requiresNamespace) {
    if (namespace.length === 0) errs.push(required(`${path}.namespace`));
    else errs.push(...invalidEach(`${path}.namespace`, q(namespace), validateNamespaceName(namespace, false)));
  } else if (namespace.length !== 0) {
    errs.push(forbidden(`${path}.namespace`, "not allowed on this type"));
  }
  if (typeof m.generation === "number") errs.push(...nonNegative(m.generation, `${path}.generation`));
  errs.push(...labelsField(m.labels, `${path}.labels`));
  errs.push(...annotationsField(m.annotations, `${path}.annotations`));
  return errs;
}

/** ValidateImmutableField for strings: `Invalid value: "<new>": field is immutable`. */
export function immutableString(newVal: string, oldVal: string, field: string): FieldError[] {
  return newVal === oldVal ? [] : [invalidField(field, q(newVal), FIELD_IMMUTABLE_ERROR_MSG)];
}

/** ValidateObjectMetaUpdate: name, namespace and uid immutable, generation not decremented, labels/annotations valid. */
export function validateObjectMetaUpdate(newMeta: unknown, oldMeta: unknown, path = "metadata"): FieldError[] {
  const n = rec(newMeta);
  const o = rec(oldMeta);
  const errs: FieldError[] = [];
  if (typeof n.generation === "number" && typeof o.generation === "number" && n.generation < o.generation)
    errs.push(invalidField(`${path}.generation`, String(n.generation), "must not be decremented"));
  errs.push(...immutableString(str(n.name), str(o.name), `${path}.name`));
  errs.push(...immutableString(str(n.namespace), str(o.namespace), `${path}.namespace`));
  if (n.uid !== undefined && o.uid !== undefined) errs.push(...immutableString(str(n.uid), str(o.uid), `${path}.uid`));
  errs.push(...labelsField(n.labels, `${path}.labels`));
  errs.push(...annotationsField(n.annotations, `${path}.annotations`));
  return errs;
}

// ---- JSON type check of the modeled fields ----
//
// The apiserver decodes the body into typed Go structs before any validation, so a wrong JSON type never reaches
// ValidateService: kubectl's client-side OpenAPI check (kube-openapi proto/validation) reports it first as
// `ValidationError(<Kind>.<path>): invalid type for <definition>.<field>: got "<kind>", expected "<type>"`.
// kubelab checks the fields it models with the same wording and reports them as field errors, so a bad manifest is
// rejected before validation instead of crashing it.

type Prim = "string" | "integer" | "boolean" | "int-or-string";
export type TypeSpec = Prim | { map: TypeSpec } | { array: TypeSpec } | { def: string };
type Def = Record<string, TypeSpec>;

const S: TypeSpec = "string";
const I: TypeSpec = "integer";
const B: TypeSpec = "boolean";
const IS: TypeSpec = "int-or-string";
const SMAP: TypeSpec = { map: S };
const SARR: TypeSpec = { array: S };
const ref = (def: string): TypeSpec => ({ def });
const arrOf = (def: string): TypeSpec => ({ array: ref(def) });

const CORE = "io.k8s.api.core.v1.";
const APPS = "io.k8s.api.apps.v1.";
const META = "io.k8s.apimachinery.pkg.apis.meta.v1.";

export const DEFS: Record<string, Def> = {
  [META + "ObjectMeta"]: {
    name: S,
    generateName: S,
    namespace: S,
    uid: S,
    resourceVersion: S,
    generation: I,
    labels: SMAP,
    annotations: SMAP,
    finalizers: SARR,
  },
  [META + "LabelSelector"]: { matchLabels: SMAP, matchExpressions: arrOf(META + "LabelSelectorRequirement") },
  [META + "LabelSelectorRequirement"]: { key: S, operator: S, values: SARR },
  [CORE + "Service"]: { apiVersion: S, kind: S, metadata: ref(META + "ObjectMeta"), spec: ref(CORE + "ServiceSpec") },
  [CORE + "ServiceSpec"]: {
    type: S,
    selector: SMAP,
    ports: arrOf(CORE + "ServicePort"),
    clusterIP: S,
    externalIPs: SARR,
    externalName: S,
    externalTrafficPolicy: S,
    healthCheckNodePort: I,
    loadBalancerIP: S,
    loadBalancerSourceRanges: SARR,
    sessionAffinity: S,
    sessionAffinityConfig: ref(CORE + "SessionAffinityConfig"),
    publishNotReadyAddresses: B,
    topologyKeys: SARR,
    ipFamily: S,
  },
  [CORE + "ServicePort"]: { name: S, protocol: S, appProtocol: S, port: I, targetPort: IS, nodePort: I },
  [CORE + "SessionAffinityConfig"]: { clientIP: ref(CORE + "ClientIPConfig") },
  [CORE + "ClientIPConfig"]: { timeoutSeconds: I },
  [CORE + "Endpoints"]: { apiVersion: S, kind: S, metadata: ref(META + "ObjectMeta"), subsets: arrOf(CORE + "EndpointSubset") },
  [CORE + "EndpointSubset"]: {
    addresses: arrOf(CORE + "EndpointAddress"),
    notReadyAddresses: arrOf(CORE + "EndpointAddress"),
    ports: arrOf(CORE + "EndpointPort"),
  },
  [CORE + "EndpointAddress"]: { ip: S, hostname: S, nodeName: S, targetRef: ref(CORE + "ObjectReference") },
  [CORE + "ObjectReference"]: { apiVersion: S, kind: S, name: S, namespace: S, uid: S, resourceVersion: S, fieldPath: S },
  [CORE + "EndpointPort"]: { name: S, port: I, protocol: S, appProtocol: S },
  [CORE + "Pod"]: { apiVersion: S, kind: S, metadata: ref(META + "ObjectMeta"), spec: ref(CORE + "PodSpec") },
  [CORE + "PodTemplateSpec"]: { metadata: ref(META + "ObjectMeta"), spec: ref(CORE + "PodSpec") },
  [CORE + "PodSpec"]: {
    containers: arrOf(CORE + "Container"),
    initContainers: arrOf(CORE + "Container"),
    nodeName: S,
    nodeSelector: SMAP,
    hostNetwork: B,
    restartPolicy: S,
    tolerations: arrOf(CORE + "Toleration"),
    schedulerName: S,
    terminationGracePeriodSeconds: I,
    activeDeadlineSeconds: I,
    dnsPolicy: S,
    serviceAccountName: S,
    hostname: S,
    subdomain: S,
  },
  [CORE + "Toleration"]: { key: S, operator: S, value: S, effect: S, tolerationSeconds: I },
  [CORE + "Container"]: {
    name: S,
    image: S,
    imagePullPolicy: S,
    command: SARR,
    args: SARR,
    workingDir: S,
    env: arrOf(CORE + "EnvVar"),
    ports: arrOf(CORE + "ContainerPort"),
    readinessProbe: ref(CORE + "Probe"),
    livenessProbe: ref(CORE + "Probe"),
    startupProbe: ref(CORE + "Probe"),
  },
  [CORE + "EnvVar"]: { name: S, value: S },
  [CORE + "ContainerPort"]: { name: S, containerPort: I, protocol: S, hostPort: I, hostIP: S },
  [CORE + "Probe"]: {
    exec: ref(CORE + "ExecAction"),
    httpGet: ref(CORE + "HTTPGetAction"),
    tcpSocket: ref(CORE + "TCPSocketAction"),
    initialDelaySeconds: I,
    timeoutSeconds: I,
    periodSeconds: I,
    successThreshold: I,
    failureThreshold: I,
  },
  [CORE + "ExecAction"]: { command: SARR },
  [CORE + "HTTPGetAction"]: { path: S, port: IS, host: S, scheme: S, httpHeaders: arrOf(CORE + "HTTPHeader") },
  [CORE + "HTTPHeader"]: { name: S, value: S },
  [CORE + "TCPSocketAction"]: { port: IS, host: S },
  [APPS + "Deployment"]: { apiVersion: S, kind: S, metadata: ref(META + "ObjectMeta"), spec: ref(APPS + "DeploymentSpec") },
  [APPS + "DeploymentSpec"]: {
    replicas: I,
    selector: ref(META + "LabelSelector"),
    template: ref(CORE + "PodTemplateSpec"),
    strategy: ref(APPS + "DeploymentStrategy"),
    minReadySeconds: I,
    revisionHistoryLimit: I,
    progressDeadlineSeconds: I,
    paused: B,
  },
  [APPS + "DeploymentStrategy"]: { type: S, rollingUpdate: ref(APPS + "RollingUpdateDeployment") },
  [APPS + "RollingUpdateDeployment"]: { maxUnavailable: IS, maxSurge: IS },
  [APPS + "ReplicaSet"]: { apiVersion: S, kind: S, metadata: ref(META + "ObjectMeta"), spec: ref(APPS + "ReplicaSetSpec") },
  [APPS + "ReplicaSetSpec"]: { replicas: I, selector: ref(META + "LabelSelector"), template: ref(CORE + "PodTemplateSpec"), minReadySeconds: I },
};

/** The OpenAPI definition of a top-level kind kubelab validates. */
export const KIND_DEFS: Record<string, string> = {
  Service: CORE + "Service",
  Endpoints: CORE + "Endpoints",
  Pod: CORE + "Pod",
  Deployment: APPS + "Deployment",
  ReplicaSet: APPS + "ReplicaSet",
};

/** kube-openapi's name for the JSON kind of a value. */
function jsonKind(v: unknown): string {
  if (Array.isArray(v)) return "array";
  if (v === null) return "null";
  switch (typeof v) {
    case "string":
      return "string";
    case "boolean":
      return "boolean";
    case "number":
      return Number.isInteger(v) ? "integer" : "number";
    case "object":
      return "map";
    default:
      return typeof v;
  }
}

export interface TypeProblem {
  /** Field path as field.Path prints it, e.g. `spec.ports[0].port`. */
  field: string;
  /** kube-openapi schema path of the field, e.g. `io.k8s.api.core.v1.ServicePort.port`. */
  schemaPath: string;
  expected: string;
  actual: string;
  value: unknown;
}

function join(path: string, child: string): string {
  return path ? `${path}.${child}` : child;
}

function checkValue(spec: TypeSpec, v: unknown, field: string, schemaPath: string, out: TypeProblem[]): void {
  if (v === null || v === undefined) return; // null is the zero value when decoded
  const kind = jsonKind(v);
  if (typeof spec === "string") {
    let ok: boolean;
    switch (spec) {
      case "string":
        ok = kind === "string";
        break;
      case "integer":
        ok = kind === "integer";
        break;
      case "boolean":
        ok = kind === "boolean";
        break;
      case "int-or-string":
        ok = kind === "string" || kind === "integer";
        break;
    }
    if (!ok) out.push({ field, schemaPath, expected: spec === "int-or-string" ? "integer or string" : spec, actual: kind, value: v });
    return;
  }
  if ("array" in spec) {
    if (kind !== "array") {
      out.push({ field, schemaPath, expected: "array", actual: kind, value: v });
      return;
    }
    (v as unknown[]).forEach((item, i) => checkValue(spec.array, item, `${field}[${i}]`, schemaPath, out));
    return;
  }
  if ("map" in spec) {
    if (kind !== "map") {
      out.push({ field, schemaPath, expected: "map", actual: kind, value: v });
      return;
    }
    for (const [k, item] of Object.entries(v as Obj)) checkValue(spec.map, item, `${field}[${k}]`, schemaPath, out);
    return;
  }
  const def = DEFS[spec.def];
  if (kind !== "map") {
    out.push({ field, schemaPath: spec.def, expected: "map", actual: kind, value: v });
    return;
  }
  for (const [k, item] of Object.entries(v as Obj)) {
    const fs = def[k];
    if (fs) checkValue(fs, item, join(field, k), `${spec.def}.${k}`, out);
  }
}

/** Wrong JSON types among the modeled fields of `obj`, read as the given definition (a kind or a nested type). */
export function typeProblems(obj: unknown, defName: string, path = ""): TypeProblem[] {
  const out: TypeProblem[] = [];
  checkValue({ def: defName }, obj, path, defName, out);
  return out;
}

/** Type problems as field errors: `spec.ports[0].port: Invalid value: "abc": invalid type for ...: got "string", expected "integer"`. */
export function typeErrors(obj: unknown, kind: string): FieldError[] {
  const def = KIND_DEFS[kind];
  if (!def) return [];
  return typeProblems(obj, def).map((p) =>
    invalidField(p.field || ".", goAny(p.value), `invalid type for ${p.schemaPath}: got ${q(p.actual)}, expected ${q(p.expected)}`),
  );
}

/**
 * The text kubectl (client-side validation, the default `--validate=true`) prints for the type problems of a
 * manifest, or undefined when there are none:
 * `error validating "<source>": error validating data: ValidationError(Service.spec.ports[0].port): invalid type
 * for io.k8s.api.core.v1.ServicePort.port: got "string", expected "integer"; if you choose to ignore these errors,
 * turn validation off with --validate=false` (several problems are joined as `[a, b]`).
 */
export function kubectlTypeValidationMessage(obj: unknown, kind: string, source: string): string | undefined {
  const def = KIND_DEFS[kind];
  if (!def) return undefined;
  const problems = typeProblems(obj, def);
  if (!problems.length) return undefined;
  const lines = problems.map(
    (p) => `ValidationError(${kind}${p.field ? "." + p.field : ""}): invalid type for ${p.schemaPath}: got ${q(p.actual)}, expected ${q(p.expected)}`,
  );
  const body = lines.length === 1 ? lines[0] : `[${lines.join(", ")}]`;
  return `error validating ${q(source)}: error validating data: ${body}; if you choose to ignore these errors, turn validation off with --validate=false`;
}
