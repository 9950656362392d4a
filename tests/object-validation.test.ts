// Defaulting (SetDefaults_*), Endpoints / Pod / Deployment / ReplicaSet validation and the JSON type check, against a
// hand-written table of v1.19 apiserver behaviour: each expected line is the exact upstream field error text
// (pkg/apis/core/validation, pkg/apis/apps/validation, apimachinery ValidateObjectMeta / ValidateLabelSelector).

import { describe, expect, it } from "vitest";
import { formatFieldError, invalid } from "../engine/errors.ts";
import { defaultDeployment, defaultEndpoints, defaultPod, defaultPodSpec, defaultProbe, defaultReplicaSet, defaultService, imageTag } from "../engine/validation/defaults.ts";
import { validateEndpoints, validateEndpointsUpdate } from "../engine/validation/endpoints.ts";
import { kubectlTypeValidationMessage } from "../engine/validation/fielderrors.ts";
import { validateServiceCreate, validateServiceUpdate } from "../engine/validation/service.ts";
import { validateDeployment, validateDeploymentUpdate, validatePod, validateReplicaSet } from "../engine/validation/workloads.ts";

type Obj = Record<string, any>;
const msgs = (errs: { field: string }[]) => errs.map((e) => formatFieldError(e as never));

const DNS1123_LABEL =
  "a DNS-1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS1123_SUBDOMAIN =
  "a DNS-1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const DNS1035_LABEL =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const QUALIFIED_NAME =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

// ---- builders ----

function service(spec: Obj, meta: Obj = {}): Obj {
  return { apiVersion: "v1", kind: "Service", metadata: { name: "web", namespace: "default", ...meta }, spec };
}

function endpoints(subsets: unknown, meta: Obj = {}): Obj {
  return { apiVersion: "v1", kind: "Endpoints", metadata: { name: "web", namespace: "default", ...meta }, subsets };
}

function podSpec(over: Obj = {}): Obj {
  return defaultPodSpec({ containers: [{ name: "nginx", image: "nginx:1.19", ports: [{ containerPort: 80 }] }], ...over }) as Obj;
}

function pod(over: Obj = {}, meta: Obj = {}): Obj {
  return { apiVersion: "v1", kind: "Pod", metadata: { name: "web-1", namespace: "default", ...meta }, spec: podSpec(over) };
}

function deployment(spec: Obj = {}, meta: Obj = {}): Obj {
  return defaultDeployment({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", namespace: "default", ...meta },
    spec: {
      selector: { matchLabels: { app: "web" } },
      template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "nginx", image: "nginx:1.19", ports: [{ containerPort: 80 }] }] } },
      ...spec,
    },
  });
}

// ---- defaulting ----

describe("defaultService (SetDefaults_Service)", () => {
  it("fills type, sessionAffinity, port protocol and targetPort; no externalTrafficPolicy on ClusterIP", () => {
    const s = defaultService(service({ selector: { app: "web" }, ports: [{ port: 80 }] }));
    expect(s.spec).toEqual({ selector: { app: "web" }, ports: [{ port: 80, protocol: "TCP", targetPort: 80 }], type: "ClusterIP", sessionAffinity: "None" });
  });
  it.each(["NodePort", "LoadBalancer"])("defaults externalTrafficPolicy to Cluster for %s", (type) => {
    expect(defaultService(service({ type, ports: [{ port: 80 }] })).spec.externalTrafficPolicy).toBe("Cluster");
    expect(defaultService(service({ type, externalTrafficPolicy: "Local", ports: [{ port: 80 }] })).spec.externalTrafficPolicy).toBe("Local");
  });
  it.each(["ClusterIP", "ExternalName"])("leaves externalTrafficPolicy empty for %s", (type) => {
    expect(defaultService(service({ type, ports: [{ port: 80 }] })).spec).not.toHaveProperty("externalTrafficPolicy");
  });
  it("ClientIP affinity gets a 10800 s timeout unless one is given; None drops any config", () => {
    expect(defaultService(service({ sessionAffinity: "ClientIP" })).spec.sessionAffinityConfig).toEqual({ clientIP: { timeoutSeconds: 10800 } });
    expect(defaultService(service({ sessionAffinity: "ClientIP", sessionAffinityConfig: { clientIP: {} } })).spec.sessionAffinityConfig).toEqual({
      clientIP: { timeoutSeconds: 10800 },
    });
    const kept = defaultService(service({ sessionAffinity: "ClientIP", sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } } }));
    expect(kept.spec.sessionAffinityConfig).toEqual({ clientIP: { timeoutSeconds: 60 } });
    expect(defaultService(service({ sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } } })).spec).not.toHaveProperty("sessionAffinityConfig");
  });
  it("targetPort 0 or '' becomes the port; a named or numeric targetPort is kept", () => {
    const s = defaultService(
      service({
        ports: [
          { name: "a", port: 80, targetPort: 0 },
          { name: "b", port: 81, targetPort: "" },
          { name: "c", port: 82, targetPort: "http" },
          { name: "d", port: 83, targetPort: 8080, protocol: "UDP" },
        ],
      }),
    );
    expect(s.spec.ports.map((p: Obj) => [p.targetPort, p.protocol])).toEqual([
      [80, "TCP"],
      [81, "TCP"],
      ["http", "TCP"],
      [8080, "UDP"],
    ]);
  });
  it("returns a new object and leaves wrongly typed fields for validation", () => {
    const input = service({ ports: 5, type: 7 });
    const copy = JSON.parse(JSON.stringify(input));
    const out = defaultService(input);
    expect(input).toEqual(copy);
    expect(out.spec.ports).toBe(5);
    expect(out.spec.type).toBe(7);
    expect(defaultService(null)).toEqual({ spec: { type: "ClusterIP", sessionAffinity: "None" } });
    expect(defaultService({ spec: "x" })).toEqual({ spec: "x" });
  });
});

describe("defaultPodSpec / defaultProbe / imageTag", () => {
  it("fills restartPolicy, dnsPolicy, terminationGracePeriodSeconds, schedulerName and container port protocols", () => {
    const s = defaultPodSpec({ containers: [{ name: "c", image: "nginx:1.19", ports: [{ containerPort: 80 }, { containerPort: 53, protocol: "UDP" }] }] }) as Obj;
    expect(s).toEqual({
      containers: [
        {
          name: "c",
          image: "nginx:1.19",
          imagePullPolicy: "IfNotPresent",
          ports: [
            { containerPort: 80, protocol: "TCP" },
            { containerPort: 53, protocol: "UDP" },
          ],
        },
      ],
      restartPolicy: "Always",
      dnsPolicy: "ClusterFirst",
      terminationGracePeriodSeconds: 30,
      schedulerName: "default-scheduler",
    });
  });
  it.each([
    ["nginx", "Always"],
    ["nginx:latest", "Always"],
    ["docker.io/library/nginx", "Always"],
    ["localhost:5000/app", "Always"],
    ["nginx:1.19", "IfNotPresent"],
    ["registry.example.com:5000/team/app:v2", "IfNotPresent"],
    ["nginx@sha256:" + "a".repeat(64), "IfNotPresent"],
    ["Nginx", "IfNotPresent"], // not a valid reference: upstream ignores the parse error
    ["", "IfNotPresent"],
  ])("image %j gets imagePullPolicy %s", (image, policy) => {
    const s = defaultPodSpec({ containers: [{ name: "c", image }] }) as Obj;
    expect(s.containers[0].imagePullPolicy).toBe(policy);
  });
  it("keeps an explicit imagePullPolicy", () => {
    expect((defaultPodSpec({ containers: [{ name: "c", image: "nginx", imagePullPolicy: "Never" }] }) as Obj).containers[0].imagePullPolicy).toBe("Never");
    expect(imageTag("nginx:1.19")).toBe("1.19");
  });
  it("probes: timeout 1, period 10, success 1, failure 3, initialDelay 0; httpGet path / and scheme HTTP", () => {
    expect(defaultProbe({ httpGet: { port: 80 } })).toEqual({
      httpGet: { port: 80, path: "/", scheme: "HTTP" },
      timeoutSeconds: 1,
      periodSeconds: 10,
      successThreshold: 1,
      failureThreshold: 3,
      initialDelaySeconds: 0,
    });
    expect(defaultProbe({ tcpSocket: { port: 80 }, periodSeconds: 2, failureThreshold: 0, initialDelaySeconds: 5 })).toEqual({
      tcpSocket: { port: 80 },
      timeoutSeconds: 1,
      periodSeconds: 2,
      successThreshold: 1,
      failureThreshold: 3,
      initialDelaySeconds: 5,
    });
    const s = defaultPodSpec({ containers: [{ name: "c", image: "x:1", readinessProbe: { exec: { command: ["true"] } }, livenessProbe: { tcpSocket: { port: 1 } } }] }) as Obj;
    expect(s.containers[0].readinessProbe.periodSeconds).toBe(10);
    expect(s.containers[0].livenessProbe.failureThreshold).toBe(3);
  });
  it("defaultPod defaults the spec only", () => {
    const p = defaultPod({ metadata: { name: "p" }, spec: { containers: [{ name: "c", image: "nginx" }] } });
    expect(p.metadata).toEqual({ name: "p" });
    expect(p.spec.restartPolicy).toBe("Always");
  });
});

describe("defaultDeployment / defaultReplicaSet / defaultEndpoints", () => {
  it("fills replicas 1, RollingUpdate 25%/25%, revisionHistoryLimit 10, progressDeadlineSeconds 600 and the template", () => {
    const d = defaultDeployment({ spec: { selector: { matchLabels: { a: "b" } }, template: { spec: { containers: [{ name: "c", image: "nginx" }] } } } });
    expect(d.spec.replicas).toBe(1);
    expect(d.spec.strategy).toEqual({ type: "RollingUpdate", rollingUpdate: { maxUnavailable: "25%", maxSurge: "25%" } });
    expect(d.spec.revisionHistoryLimit).toBe(10);
    expect(d.spec.progressDeadlineSeconds).toBe(600);
    expect(d.spec.template.spec.restartPolicy).toBe("Always");
    expect(d.spec.template.spec.containers[0].imagePullPolicy).toBe("Always");
  });
  it("keeps replicas 0, a Recreate strategy and a partial rollingUpdate", () => {
    expect(defaultDeployment({ spec: { replicas: 0 } }).spec.replicas).toBe(0);
    expect(defaultDeployment({ spec: { strategy: { type: "Recreate" } } }).spec.strategy).toEqual({ type: "Recreate" });
    expect(defaultDeployment({ spec: { strategy: { rollingUpdate: { maxSurge: 1 } } } }).spec.strategy).toEqual({
      type: "RollingUpdate",
      rollingUpdate: { maxSurge: 1, maxUnavailable: "25%" },
    });
  });
  it("ReplicaSet replicas 1 and template defaults", () => {
    const rs = defaultReplicaSet({ spec: { template: { spec: { containers: [] } } } });
    expect(rs.spec.replicas).toBe(1);
    expect(rs.spec.template.spec.dnsPolicy).toBe("ClusterFirst");
  });
  it("Endpoints ports get protocol TCP", () => {
    const ep = defaultEndpoints(endpoints([{ addresses: [{ ip: "10.244.1.5" }], ports: [{ port: 80 }, { port: 53, protocol: "UDP" }] }]));
    expect(ep.subsets[0].ports).toEqual([
      { port: 80, protocol: "TCP" },
      { port: 53, protocol: "UDP" },
    ]);
  });
});

// ---- Endpoints ----

describe("validateEndpoints (ValidateEndpoints, v1.19)", () => {
  const ok = { addresses: [{ ip: "10.244.1.5" }, { ip: "fd00::5" }], notReadyAddresses: [{ ip: "10.244.2.7" }], ports: [{ name: "http", port: 80, protocol: "TCP" }] };
  const table: [string, unknown, string[]][] = [
    ["a valid hand-written Endpoints", [ok], []],
    ["no subsets (a Service without endpoints)", undefined, []],
    ["headless: addresses without ports", [{ addresses: [{ ip: "10.244.1.5" }] }], []],
    [
      "loopback address",
      [{ ...ok, addresses: [{ ip: "127.0.0.1" }] }],
      ['subsets[0].addresses[0].ip: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8)'],
    ],
    ["IPv6 loopback", [{ ...ok, addresses: [{ ip: "::1" }] }], ['subsets[0].addresses[0].ip: Invalid value: "::1": may not be in the loopback range (127.0.0.0/8)']],
    [
      "link-local (the cloud metadata service)",
      [{ ...ok, addresses: [{ ip: "169.254.169.254" }] }],
      ['subsets[0].addresses[0].ip: Invalid value: "169.254.169.254": may not be in the link-local range (169.254.0.0/16)'],
    ],
    [
      "IPv6 link-local",
      [{ ...ok, notReadyAddresses: [{ ip: "fe80::1" }] }],
      ['subsets[0].notReadyAddresses[0].ip: Invalid value: "fe80::1": may not be in the link-local range (169.254.0.0/16)'],
    ],
    [
      "link-local multicast",
      [{ ...ok, addresses: [{ ip: "224.0.0.251" }] }],
      ['subsets[0].addresses[0].ip: Invalid value: "224.0.0.251": may not be in the link-local multicast range (224.0.0.0/24)'],
    ],
    ["unspecified", [{ ...ok, addresses: [{ ip: "0.0.0.0" }] }], ['subsets[0].addresses[0].ip: Invalid value: "0.0.0.0": may not be unspecified (0.0.0.0)']],
    [
      "not an IP: IsValidIP and validateNonSpecialIP both report it",
      [{ ...ok, addresses: [{ ip: "web-1" }] }],
      [
        'subsets[0].addresses[0].ip: Invalid value: "web-1": must be a valid IP address, (e.g. 10.9.8.7)',
        'subsets[0].addresses[0].ip: Invalid value: "web-1": must be a valid IP address',
      ],
    ],
    ["neither addresses nor notReadyAddresses", [{ ports: ok.ports }], ["subsets[0]: Required value: must specify `addresses` or `notReadyAddresses`"]],
    [
      "two ports need names",
      [{ addresses: ok.addresses, ports: [{ port: 80, protocol: "TCP" }, { name: "https", port: 443, protocol: "TCP" }] }],
      ["subsets[0].ports[0].name: Required value"],
    ],
    ["port name must be a DNS-1123 label", [{ addresses: ok.addresses, ports: [{ name: "HTTP", port: 80, protocol: "TCP" }] }], [`subsets[0].ports[0].name: Invalid value: "HTTP": ${DNS1123_LABEL}`]],
    [
      "port number range",
      [{ addresses: ok.addresses, ports: [{ port: 0, protocol: "TCP" }] }],
      ["subsets[0].ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive"],
    ],
    [
      "protocol",
      [{ addresses: ok.addresses, ports: [{ port: 80, protocol: "HTTP" }] }],
      ['subsets[0].ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"'],
    ],
    ["protocol missing (not defaulted)", [{ addresses: ok.addresses, ports: [{ port: 80 }] }], ["subsets[0].ports[0].protocol: Required value"]],
    ["hostname must be a DNS-1123 label", [{ addresses: [{ ip: "10.244.1.5", hostname: "Web_1" }] }], [`subsets[0].addresses[0].hostname: Invalid value: "Web_1": ${DNS1123_LABEL}`]],
  ];
  it.each(table)("%s", (_, subsets, want) => {
    expect(msgs(validateEndpoints(endpoints(subsets)))).toEqual(want);
  });
  it("defaulting fills the missing protocol", () => {
    expect(validateEndpoints(defaultEndpoints(endpoints([{ addresses: [{ ip: "10.244.1.5" }], ports: [{ port: 80 }] }])))).toEqual([]);
  });
  it("names are DNS-1123 subdomains (dots allowed, unlike Services)", () => {
    expect(validateEndpoints(endpoints([ok], { name: "web.v1" }))).toEqual([]);
    expect(msgs(validateEndpoints(endpoints([ok], { name: "Web" })))).toEqual([`metadata.name: Invalid value: "Web": ${DNS1123_SUBDOMAIN}`]);
  });
  it("update keeps the name", () => {
    expect(msgs(validateEndpointsUpdate(endpoints([ok], { name: "web2" }), endpoints([ok])))).toEqual(['metadata.name: Invalid value: "web2": field is immutable']);
  });
});

// ---- Pods ----

describe("validatePod (ValidatePod / ValidatePodSpec, modeled fields)", () => {
  const table: [string, Obj, Obj, string[]][] = [
    ["a defaulted pod", {}, {}, []],
    ["name must be a DNS-1123 subdomain", {}, { name: "my_pod" }, [`metadata.name: Invalid value: "my_pod": ${DNS1123_SUBDOMAIN}`]],
    ["no containers", { containers: [] }, {}, ["spec.containers: Required value"]],
    [
      "container name and image",
      { containers: [{ name: "Web", image: "", imagePullPolicy: "Always" }] },
      {},
      [`spec.containers[0].name: Invalid value: "Web": ${DNS1123_LABEL}`, "spec.containers[0].image: Required value"],
    ],
    [
      "duplicate container names",
      { containers: [{ name: "a", image: "x:1", imagePullPolicy: "Always" }, { name: "a", image: "y:1", imagePullPolicy: "Always" }] },
      {},
      ['spec.containers[1].name: Duplicate value: "a"'],
    ],
    [
      "restartPolicy",
      { restartPolicy: "Sometimes" },
      {},
      ['spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"'],
    ],
    [
      "dnsPolicy",
      { dnsPolicy: "Google" },
      {},
      ['spec.dnsPolicy: Unsupported value: "Google": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"'],
    ],
    [
      "container ports: number, name and protocol",
      {
        containers: [
          {
            name: "c",
            image: "x:1",
            imagePullPolicy: "Always",
            ports: [
              { containerPort: 70000, protocol: "TCP" },
              { name: "http-server-port1", containerPort: 80, protocol: "TCP" },
              { name: "a--b", containerPort: 81, protocol: "TCP" },
              { containerPort: 82, protocol: "ICMP" },
              { protocol: "TCP" },
            ],
          },
        ],
      },
      {},
      [
        "spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive",
        'spec.containers[0].ports[1].name: Invalid value: "http-server-port1": must be no more than 15 characters',
        'spec.containers[0].ports[2].name: Invalid value: "a--b": must not contain consecutive hyphens',
        'spec.containers[0].ports[3].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"',
        "spec.containers[0].ports[4].containerPort: Required value",
      ],
    ],
    [
      "duplicate container port names",
      { containers: [{ name: "c", image: "x:1", imagePullPolicy: "Always", ports: [{ name: "http", containerPort: 80, protocol: "TCP" }, { name: "http", containerPort: 81, protocol: "TCP" }] }] },
      {},
      ['spec.containers[0].ports[1].name: Duplicate value: "http"'],
    ],
    [
      "imagePullPolicy",
      { containers: [{ name: "c", image: "x:1", imagePullPolicy: "Sometimes" }] },
      {},
      ['spec.containers[0].imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"'],
    ],
    [
      "probe without a handler, negative period, liveness successThreshold",
      {
        containers: [
          {
            name: "c",
            image: "x:1",
            imagePullPolicy: "Always",
            readinessProbe: defaultProbe({ periodSeconds: -5 }),
            livenessProbe: defaultProbe({ tcpSocket: { port: 8080 }, successThreshold: 2 }),
          },
        ],
      },
      {},
      [
        "spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1",
        "spec.containers[0].readinessProbe: Required value: must specify a handler type",
        "spec.containers[0].readinessProbe.periodSeconds: Invalid value: -5: must be greater than or equal to 0",
      ],
    ],
    [
      "probe handlers: two kinds, bad named port, bad scheme",
      {
        containers: [
          {
            name: "c",
            image: "x:1",
            imagePullPolicy: "Always",
            readinessProbe: defaultProbe({ exec: { command: ["true"] }, tcpSocket: { port: 80 } }),
            livenessProbe: defaultProbe({ httpGet: { port: "Web_Port", scheme: "FTP" } }),
          },
        ],
      },
      {},
      [
        'spec.containers[0].livenessProbe.httpGet.port: Invalid value: "Web_Port": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
        'spec.containers[0].livenessProbe.httpGet.scheme: Unsupported value: "FTP": supported values: "HTTP", "HTTPS"',
        "spec.containers[0].readinessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type",
      ],
    ],
    [
      "env var names",
      { containers: [{ name: "c", image: "x:1", imagePullPolicy: "Always", env: [{ name: "1X" }, { value: "v" }] }] },
      {},
      [
        "spec.containers[0].env[0].name: Invalid value: \"1X\": a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')",
        "spec.containers[0].env[1].name: Required value",
      ],
    ],
    [
      "host port conflicts",
      {
        containers: [
          { name: "a", image: "x:1", imagePullPolicy: "Always", ports: [{ containerPort: 80, hostPort: 8080, protocol: "TCP" }] },
          { name: "b", image: "x:1", imagePullPolicy: "Always", ports: [{ containerPort: 81, hostPort: 8080, protocol: "TCP" }] },
        ],
      },
      {},
      ['spec.containers[1].ports[0].hostPort: Duplicate value: "TCP//8080"'],
    ],
    ["node selector keys are label keys", { nodeSelector: { "disk type": "ssd" } }, {}, [`spec.nodeSelector: Invalid value: "disk type": ${QUALIFIED_NAME}`]],
  ];
  it.each(table)("%s", (_, spec, meta, want) => {
    expect(msgs(validatePod(pod(spec, meta)))).toEqual(want);
  });
});

// ---- Deployments / ReplicaSets ----

const SELECTOR_MISMATCH = "`selector` does not match template `labels`";

describe("validateDeployment (ValidateDeployment, v1.19)", () => {
  const table: [string, Obj, string[]][] = [
    ["a defaulted deployment", {}, []],
    ["replicas 0 is fine", { replicas: 0 }, []],
    ["negative replicas", { replicas: -1 }, ["spec.replicas: Invalid value: -1: must be greater than or equal to 0"]],
    [
      "selector does not match the template labels",
      { selector: { matchLabels: { app: "x" } }, template: { metadata: { labels: { app: "web", tier: "fe" } }, spec: podSpec() } },
      [`spec.template.metadata.labels: Invalid value: map[string]string{"app":"web", "tier":"fe"}: ${SELECTOR_MISMATCH}`],
    ],
    [
      "the brief's example: selector app=web, template app=x",
      { template: { metadata: { labels: { app: "x" } }, spec: podSpec() } },
      [`spec.template.metadata.labels: Invalid value: map[string]string{"app":"x"}: ${SELECTOR_MISMATCH}`],
    ],
    [
      "template without labels",
      { template: { spec: podSpec() } },
      [`spec.template.metadata.labels: Invalid value: map[string]string(nil): ${SELECTOR_MISMATCH}`],
    ],
    [
      "no selector (apps/v1 requires one): Required, and nil selects nothing so the template never matches",
      { selector: undefined },
      ["spec.selector: Required value", `spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: ${SELECTOR_MISMATCH}`],
    ],
    [
      "empty selector",
      { selector: {} },
      ["spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment"],
    ],
    [
      "matchExpressions are matched against the template",
      { selector: { matchExpressions: [{ key: "app", operator: "In", values: ["web", "api"] }] } },
      [],
    ],
    [
      "bad matchExpressions",
      { selector: { matchLabels: { app: "web" }, matchExpressions: [{ key: "tier", operator: "In" }, { key: "x", operator: "Exists", values: ["a"] }, { key: "y", operator: "Has" }] } },
      [
        "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
        "spec.selector.matchExpressions[1].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
        'spec.selector.matchExpressions[2].operator: Invalid value: "Has": not a valid selector operator',
        'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web"}, MatchExpressions:[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:"tier", Operator:"In", Values:[]string(nil)}, v1.LabelSelectorRequirement{Key:"x", Operator:"Exists", Values:[]string{"a"}}, v1.LabelSelectorRequirement{Key:"y", Operator:"Has", Values:[]string(nil)}}}: invalid label selector',
      ],
    ],
    [
      "bad selector label key",
      { selector: { matchLabels: { "my app": "web" } }, template: { metadata: { labels: { "my app": "web" } }, spec: podSpec() } },
      [
        `spec.selector.matchLabels: Invalid value: "my app": ${QUALIFIED_NAME}`,
        `spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"my app":"web"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: invalid label selector`,
      ],
    ],
    [
      "template labels are checked on spec.template.labels (upstream's path)",
      { selector: { matchLabels: { app: "web" } }, template: { metadata: { labels: { app: "web", "-bad": "x" } }, spec: podSpec() } },
      [`spec.template.labels: Invalid value: "-bad": ${QUALIFIED_NAME}`],
    ],
    [
      "no containers, bad container name, no image",
      { template: { metadata: { labels: { app: "web" } }, spec: podSpec({ containers: [] }) } },
      ["spec.template.spec.containers: Required value"],
    ],
    [
      "container name and image in the template",
      { template: { metadata: { labels: { app: "web" } }, spec: podSpec({ containers: [{ name: "Nginx", imagePullPolicy: "Always" }] }) } },
      [`spec.template.spec.containers[0].name: Invalid value: "Nginx": ${DNS1123_LABEL}`, "spec.template.spec.containers[0].image: Required value"],
    ],
    [
      "template restartPolicy must be Always",
      { template: { metadata: { labels: { app: "web" } }, spec: podSpec({ restartPolicy: "Never" }) } },
      ['spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"'],
    ],
    [
      "maxUnavailable not a percent",
      { strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "abc", maxSurge: "25%" } } },
      [
        "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:\"abc\"}: a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
      ],
    ],
    [
      "maxUnavailable and maxSurge both 0",
      { strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: "0%" } } },
      ['spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:0, IntVal:0, StrVal:""}: may not be 0 when `maxSurge` is 0'],
    ],
    [
      "maxUnavailable over 100%",
      { strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "150%", maxSurge: 1 } } },
      ['spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"150%"}: must not be greater than 100%'],
    ],
    [
      "Recreate with rollingUpdate",
      { strategy: { type: "Recreate", rollingUpdate: { maxSurge: 1 } } },
      ["spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'"],
    ],
    [
      "unknown strategy type",
      { strategy: { type: "BlueGreen" } },
      ['spec.strategy: Unsupported value: apps.DeploymentStrategy{Type:"BlueGreen", RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}: supported values: "Recreate", "RollingUpdate"'],
    ],
    [
      "progressDeadlineSeconds must exceed minReadySeconds",
      { minReadySeconds: 30, progressDeadlineSeconds: 30 },
      ["spec.progressDeadlineSeconds: Invalid value: 30: must be greater than minReadySeconds"],
    ],
    ["negative revisionHistoryLimit", { revisionHistoryLimit: -1 }, ["spec.revisionHistoryLimit: Invalid value: -1: must be greater than or equal to 0"]],
  ];
  it.each(table)("%s", (_, spec, want) => {
    expect(msgs(validateDeployment(deployment(spec)))).toEqual(want);
  });
  it("the kubectl message for a selector mismatch", () => {
    const errs = validateDeployment(deployment({ template: { metadata: { labels: { app: "x" } }, spec: podSpec() } }));
    expect(invalid("Deployment", "web", errs).kubectlMessage()).toBe(
      'The Deployment "web" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"x"}: `selector` does not match template `labels`',
    );
  });
  it("names are DNS-1123 subdomains", () => {
    expect(validateDeployment(deployment({}, { name: "web.v2" }))).toEqual([]);
    expect(msgs(validateDeployment(deployment({}, { name: "Web" })))).toEqual([`metadata.name: Invalid value: "Web": ${DNS1123_SUBDOMAIN}`]);
  });
});

describe("validateDeploymentUpdate (selector immutable in apps/v1)", () => {
  const old = deployment();
  it("accepts a new image and a scale", () => {
    const d = deployment({ replicas: 5 });
    d.spec.template.spec.containers[0].image = "nginx:1.20";
    expect(validateDeploymentUpdate(d, old)).toEqual([]);
  });
  it("rejects a changed selector with upstream's %#v value", () => {
    const d = deployment({ selector: { matchLabels: { app: "web2" } }, template: { metadata: { labels: { app: "web2" } }, spec: podSpec() } });
    expect(msgs(validateDeploymentUpdate(d, old))).toEqual([
      'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web2"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
    ]);
  });
  it("reports the template mismatch before the immutable selector", () => {
    const d = deployment({ selector: { matchLabels: { app: "api" } } });
    expect(msgs(validateDeploymentUpdate(d, old))).toEqual([
      `spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: ${SELECTOR_MISMATCH}`,
      'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"api"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
    ]);
  });
  it("an empty matchExpressions list equals a missing one (Semantic.DeepEqual)", () => {
    const d = deployment({ selector: { matchLabels: { app: "web" }, matchExpressions: [] } });
    expect(validateDeploymentUpdate(d, old)).toEqual([]);
  });
  it("name and namespace are immutable", () => {
    expect(msgs(validateDeploymentUpdate(deployment({}, { namespace: "prod" }), old))).toEqual(['metadata.namespace: Invalid value: "prod": field is immutable']);
  });
});

describe("validateReplicaSet", () => {
  it("shares the selector/template rules (including upstream's 'for deployment' wording)", () => {
    const rs = defaultReplicaSet({
      metadata: { name: "web-5d4f", namespace: "default" },
      spec: { selector: {}, template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "c", image: "x:1" }] } } },
    });
    expect(msgs(validateReplicaSet(rs))).toEqual([
      "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment",
    ]);
    rs.spec.selector = { matchLabels: { app: "web" } };
    expect(validateReplicaSet(rs)).toEqual([]);
  });
});

// ---- metadata shared by every kind ----

describe("object metadata (ValidateObjectMeta)", () => {
  it("Services need DNS-1035 names, other kinds accept DNS-1123 subdomains", () => {
    const svc = service({ selector: { app: "web" }, ports: [{ port: 80 }] }, { name: "1web" });
    expect(msgs(validateServiceCreate(defaultService(svc)))).toEqual([`metadata.name: Invalid value: "1web": ${DNS1035_LABEL}`]);
    expect(validatePod(pod({}, { name: "1web" }))).toEqual([]);
    expect(validateDeployment(deployment({}, { name: "1web" }))).toEqual([]);
    expect(validateEndpoints(endpoints(undefined, { name: "1web" }))).toEqual([]);
  });
  it("missing name, missing namespace, bad label value, bad annotation key", () => {
    const p = pod({}, { name: undefined, namespace: "", labels: { app: "web server" }, annotations: { "a b": "x" } });
    expect(msgs(validatePod(p))).toEqual([
      "metadata.name: Required value: name or generateName is required",
      "metadata.namespace: Required value",
      `metadata.labels: Invalid value: "web server": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
      `metadata.annotations: Invalid value: "a b": ${QUALIFIED_NAME}`,
    ]);
  });
  it("generateName may end with '-'", () => {
    expect(validatePod(pod({}, { name: undefined, generateName: "web-" }))).toEqual([]);
  });
  it("annotations are limited to 256 KiB in total", () => {
    const p = pod({}, { annotations: { big: "x".repeat(256 * 1024) } });
    expect(msgs(validatePod(p))).toEqual(["metadata.annotations: Too long: must have at most 262144 bytes"]);
  });
});

// ---- Service update behaviour the storage adds in v1.19 ----

describe("validateServiceUpdate: type changes", () => {
  const oldNodePort = defaultService(service({ type: "NodePort", clusterIP: "10.96.10.10", selector: { app: "web" }, ports: [{ port: 80, nodePort: 30080 }] }));
  it("NodePort -> ClusterIP: the storage clears externalTrafficPolicy, but a kept nodePort is still forbidden (v1.19)", () => {
    const withoutNodePort = { ...oldNodePort, spec: { ...oldNodePort.spec, type: "ClusterIP", ports: [{ port: 80, protocol: "TCP", targetPort: 80 }] } };
    expect(validateServiceUpdate(withoutNodePort, oldNodePort)).toEqual([]);
    const keptNodePort = { ...oldNodePort, spec: { ...oldNodePort.spec, type: "ClusterIP" } };
    expect(msgs(validateServiceUpdate(keptNodePort, oldNodePort))).toEqual(["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"]);
  });
  it("a stale externalTrafficPolicy left on a stored ClusterIP Service does not block later updates", () => {
    const stored = defaultService(service({ clusterIP: "10.96.10.10", selector: { app: "web" }, ports: [{ port: 80 }] }));
    stored.spec.externalTrafficPolicy = "Cluster";
    const relabeled = { ...stored, metadata: { ...stored.metadata, labels: { tier: "fe" } } };
    expect(validateServiceUpdate(relabeled, stored)).toEqual([]);
    const changed = { ...stored, spec: { ...stored.spec, externalTrafficPolicy: "Local" } };
    expect(msgs(validateServiceUpdate(changed, stored))).toEqual([
      'spec.externalTrafficPolicy: Invalid value: "Local": ExternalTrafficPolicy can only be set on NodePort and LoadBalancer service',
    ]);
  });
  it("a ClusterIP Service may not set externalTrafficPolicy", () => {
    const s = defaultService(service({ selector: { app: "web" }, ports: [{ port: 80 }], externalTrafficPolicy: "Local" }));
    expect(msgs(validateServiceCreate(s))).toEqual([
      'spec.externalTrafficPolicy: Invalid value: "Local": ExternalTrafficPolicy can only be set on NodePort and LoadBalancer service',
    ]);
  });
  it("clusterIP is immutable (kubectl replace without clusterIP fails in v1.19)", () => {
    const replaced = { ...oldNodePort, spec: { ...oldNodePort.spec, clusterIP: undefined } };
    expect(msgs(validateServiceUpdate(replaced, oldNodePort))).toEqual(['spec.clusterIP: Invalid value: "": field is immutable']);
  });
});

// ---- wrong JSON types ----

describe("wrong JSON types give a type error, never a crash", () => {
  it("port: \"abc\" on a Service", () => {
    const s = defaultService(service({ selector: { app: "web" }, ports: [{ port: "abc" }] }));
    expect(msgs(validateServiceCreate(s))).toEqual([
      'spec.ports[0].port: Invalid value: "abc": invalid type for io.k8s.api.core.v1.ServicePort.port: got "string", expected "integer"',
    ]);
  });
  it("ports: 5 on a Service", () => {
    expect(msgs(validateServiceCreate(defaultService(service({ ports: 5 }))))).toEqual([
      'spec.ports: Invalid value: 5: invalid type for io.k8s.api.core.v1.ServiceSpec.ports: got "integer", expected "array"',
    ]);
  });
  it("several problems at once, in document order", () => {
    const s = service({ selector: ["app=web"], ports: [{ port: 80, targetPort: { n: 1 } }], type: "ClusterIP", sessionAffinity: "None" });
    expect(msgs(validateServiceCreate(s))).toEqual([
      'spec.selector: Invalid value: []interface {}{"app=web"}: invalid type for io.k8s.api.core.v1.ServiceSpec.selector: got "array", expected "map"',
      'spec.ports[0].targetPort: Invalid value: map[string]interface {}{"n":1}: invalid type for io.k8s.api.core.v1.ServicePort.targetPort: got "map", expected "integer or string"',
    ]);
  });
  it("Deployment replicas as a string and container ports as a number (in the object's key order)", () => {
    const d = deployment({ replicas: "3" });
    d.spec.template.spec.containers[0].ports = 80;
    expect(msgs(validateDeployment(d))).toEqual([
      'spec.template.spec.containers[0].ports: Invalid value: 80: invalid type for io.k8s.api.core.v1.Container.ports: got "integer", expected "array"',
      'spec.replicas: Invalid value: "3": invalid type for io.k8s.api.apps.v1.DeploymentSpec.replicas: got "string", expected "integer"',
    ]);
  });
  it("the kubectl client-side validation text for the same problems", () => {
    const s = service({ ports: [{ port: "abc" }] });
    expect(kubectlTypeValidationMessage(s, "Service", "svc.yaml")).toBe(
      'error validating "svc.yaml": error validating data: ValidationError(Service.spec.ports[0].port): invalid type for io.k8s.api.core.v1.ServicePort.port: got "string", expected "integer"; if you choose to ignore these errors, turn validation off with --validate=false',
    );
    expect(kubectlTypeValidationMessage(service({ ports: [{ port: 80 }] }), "Service", "svc.yaml")).toBeUndefined();
    const two = kubectlTypeValidationMessage(service({ ports: 5, type: 1 }), "Service", "svc.yaml")!;
    expect(two).toContain("error validating data: [ValidationError(Service.spec.ports): ");
    expect(two).toContain(', ValidationError(Service.spec.type): invalid type for io.k8s.api.core.v1.ServiceSpec.type: got "integer", expected "string"]');
  });
  it("every validator and defaulter survives garbage", () => {
    const garbage: unknown[] = [
      null,
      undefined,
      5,
      "x",
      [],
      {},
      { spec: null },
      { spec: [] },
      { metadata: 5, spec: { ports: [null, 5, "a", { port: null }], selector: null } },
      { spec: { template: 5, selector: "a", strategy: [] } },
      { spec: { template: { spec: { containers: [null, { name: 5, readinessProbe: "x", ports: [null] }] } } } },
      { subsets: [null, { addresses: [null, { ip: 5 }], ports: "x" }] },
    ];
    const fns: ((v: unknown) => unknown)[] = [
      (v) => validateServiceCreate(defaultService(v)),
      (v) => validateServiceUpdate(v, v),
      (v) => validateEndpoints(defaultEndpoints(v)),
      (v) => validatePod(defaultPod(v)),
      (v) => validateDeployment(defaultDeployment(v)),
      (v) => validateDeploymentUpdate(v, {}),
      (v) => validateReplicaSet(defaultReplicaSet(v)),
      validateServiceCreate,
      validateDeployment,
      validatePod,
      validateEndpoints,
    ];
    for (const g of garbage) for (const f of fns) expect(() => f(g)).not.toThrow();
  });
});
