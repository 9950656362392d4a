// Fidelity judged by the client itself: the REAL kubectl v1.20.2 reads a kubelab cluster through the Kubernetes API
// facade (api/k8s) and its `describe` and `get -o yaml|json|name|jsonpath` output is compared byte for byte with the
// engine's own terminal on the same cluster, for every kind the engine models, with awkward labels and annotations.
//
// Timestamps: the facade serves virtual times shifted to the wall clock (api/k8s/time.ts), so absolute times in
// real kubectl's output are mapped back by that shift before comparing; ages are the same on both sides.
//
// Where kubectl v1.19.4 (the course's client generation) and v1.20.2 (the client installed here) print differently,
// the engine prints v1.19.4 and the comparison maps v1.20.2's text to v1.19.4's (sources: kubernetes/kubectl tags
// v0.19.4 and v0.20.2, pkg/describe/describe.go):
//
// | what                                   | v1.19.4                                   | v1.20.2                        | handled                         |
// |----------------------------------------|-------------------------------------------|--------------------------------|---------------------------------|
// | describe service, after Type:          | `IP:` only                                | `IP Families:`, `IP:`, `IPs:`  | none: the course's transcript   |
// |                                        |                                           |                                | shows the 1.20 lines, the spec  |
// |                                        |                                           |                                | wins (describeService L2707)    |
// | describe pod Tolerations, op=Exists    | ` op=Exists` only when the key is set     | also when only the effect is   | mapped (flannel's pods and the  |
// |   with an effect and no key            | (`:NoScheduleop=Exists`)                  |   set (`:NoSchedule op=Exists`,|   static pods have one):        |
// |                                        |                                           |   printTolerationsMultiline…)  |   v1.20's space taken out       |
// | describe Events From                   | `e.Source.Component`, else                | the same                       | identical: `kubelet`, not       |
// |                                        | `e.ReportingController` (v1.19.2+:        |                                | `kubelet, node01` (v1.19.0-1's  |
// |                                        | #93687, in release-1.19 as #94680)        |                                | formatEventSource)              |
// | describe secret, Data lines            | Go map order (differs from run to run)    | the same                       | lines sorted on both sides      |
// |                                        |                                           |                                | (describeSecret L2379)          |
// | annotate's --overwrite refusal, keys   | Go map order (differs from run to run)    | the same                       | keys sorted on both sides       |
// |                                        |                                           |                                | (annotate.go L405)              |
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "./helpers/db-app.ts";
import { hasKubectl, kubectlFor, kubectlLine, serve, terminalLine, type Kubectl } from "./helpers/kubectl.ts";

const run = hasKubectl();

const AWKWARD_META = `
  labels:
    app: awkward
    version: "1.0"
    flag: "true"
    "yes": "yes"
    "on": "off"
    date: "2021-12-05"
    hex: "0x1F"
    exp: "1e3"
    none: "null"
    example.com/tier: web_1.x
  annotations:
    owner: "team-a: ops"
    brackets: "[a, b]"
    braces: "{x}"
    lead: "  leading spaces"
    trail: "trailing "
    multi: "line one\\nline two\\n"
    multi2: "a\\nb"
    multi3: "a \\nb"
    num: "42"
    float: "1.50"
    octal: "0755"
    base60: "1:20"
    bool: "on"
    date: "2021-12-05 16:00:00"
    datefrac: "2021-12-05T16:00:00.5Z"
    nul: "null"
    empty: ""
    tilde: "~"
    dash: "-"
    star: "*ref"
    hash: "a #b"
    quote: "it's \\"q\\""
    unicode: "日本語 ünïcödé"
    tab: "a\\tb"
    percent: "%x"
    long: "${"word ".repeat(40)}end"
    longnospace: "${"x".repeat(150)}"
    example.com/json: '{"a":[1,2],"b":"c"}'`;

const MANIFESTS = `apiVersion: v1
kind: Pod
metadata:
  name: awkward${AWKWARD_META}
spec:
  containers:
  - name: demoapp
    image: ikubernetes/demoapp:v1.0
    ports:
    - name: http
      containerPort: 80
    env:
    - name: MY_NAME
      valueFrom:
        fieldRef:
          fieldPath: metadata.name
    - name: MY_NAMESPACE
      valueFrom:
        fieldRef:
          fieldPath: metadata.namespace
    - name: MY_IP
      valueFrom:
        fieldRef:
          fieldPath: status.podIP
    - name: MY_NODE
      valueFrom:
        fieldRef:
          fieldPath: spec.nodeName
    - name: MY_APP
      valueFrom:
        fieldRef:
          fieldPath: metadata.labels['app']
    - name: MULTI
      value: "one\\ntwo"
---
apiVersion: v1
kind: Service
metadata:
  name: awkward${AWKWARD_META}
spec:
  type: NodePort
  externalTrafficPolicy: Local
  selector:
    app: awkward
  ports:
  - name: http
    port: 80
    targetPort: http
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: awkward${AWKWARD_META}
spec:
  replicas: 2
  selector:
    matchLabels:
      app: awkward-d
  template:
    metadata:
      labels:
        app: awkward-d
        version: "2.0"
    spec:
      containers:
      - name: demoapp
        image: ikubernetes/demoapp:v1.0
---
apiVersion: v1
kind: Namespace
metadata:
  name: awkward${AWKWARD_META}
`;

// The timestamps the facade shifts (api/k8s/time.ts TIME_KEYS), as they appear in YAML and JSON; annotations keep
// their text (endpoints.kubernetes.io/last-change-trigger-time is virtual time on both sides).
// Leases' renewTime/acquireTime are MicroTimes (the fraction stays); kubectl's generic describer prints the served
// strings under smart labels (`Creation Timestamp:`, `Renew Time:`). managedFields' `time` is matched as a whole key
// only (not `…/last-change-trigger-time`).
const RFC3339 =
  /((?:(?<![\w./-])time|creationTimestamp|deletionTimestamp|startTime|lastTransitionTime|lastProbeTime|lastUpdateTime|lastHeartbeatTime|startedAt|finishedAt|firstTimestamp|lastTimestamp|renewTime|acquireTime)"?: "?|(?:Creation Timestamp|Renew Time|Acquire Time): +)(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d+)?Z/g;
const RFC1123Z = /\b((?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} \+0000)/g;
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
function rfc1123z(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${DAYS[d.getUTCDay()]}, ${p(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}
/** Real kubectl's text with every served timestamp moved back by the facade's shift (seconds). */
function unshift(text: string, shift: number): string {
  return text
    .replace(RFC3339, (_m, key: string, ts: string, fraction?: string) => key + new Date(Date.parse(`${ts}Z`) - shift * 1000).toISOString().replace(/\.\d{3}Z$/, `${fraction ?? ""}Z`))
    .replace(RFC1123Z, (ts) => rfc1123z(Date.parse(ts) - shift * 1000));
}

/**
 * What the Kubernetes API facade does not serve yet, so real kubectl prints its fallback there: ResourceQuotas /
 * LimitRanges (describe namespace then omits `No resource quota.` / `No LimitRange resource.`). Those lines are
 * taken out of the terminal's side; everything else is compared. (Node Leases are served: describe node's `Lease:`
 * section is compared.) And the Data lines of describe secret are sorted on both sides: kubectl ranges over a Go
 * map there, so their order changes from run to run.
 */
function facadeGaps(text: string, side: "kubectl" | "terminal"): string {
  const sorted = text.replace(/^(Data\n====\n)((?:[^\n]+\n)*)/m, (_m, head: string, lines: string) => head + lines.split("\n").filter((l) => l).sort().map((l) => l + "\n").join(""));
  if (side === "terminal") return sorted.replace(/\nNo resource quota\.\n\nNo LimitRange resource\.\n$/, "");
  // v1.20.2 -> v1.19.4 (the table above): a toleration with an effect and no key prints `op=Exists` without the space
  return sorted.replace(/^(Tolerations: +| +)(:[A-Za-z]+) op=Exists/gm, "$1$2op=Exists");
}

describe.skipIf(!run)("real kubectl v1.20.2 and the engine's terminal print the same objects the same way", () => {
  let t: TestApp;
  let server: { origin: string; close(): Promise<void> };
  let kubectl: Kubectl;
  let token: string;
  let id: string;

  const terminal = (command: string, stdin?: string) => terminalLine(t, token, id, command, stdin);
  const line = kubectlLine;

  /** The facade's clock shift, read off an object's creationTimestamp on both sides. */
  async function shift(): Promise<number> {
    const real = await kubectl.run(["get", "ns", "default", "-o", "jsonpath={.metadata.creationTimestamp}"]);
    const ours = await terminal("kubectl get ns default -o jsonpath={.metadata.creationTimestamp}");
    return (Date.parse(real.stdout) - Date.parse(ours.stdout)) / 1000;
  }

  /** Same bytes on stdout and stderr, same success; a second try when the wall clock ticked in between. */
  async function compare(args: string[]): Promise<string | undefined> {
    let diff: string | undefined;
    for (let attempt = 0; attempt < 3; attempt++) {
      // The facade computes its shift per response, after this read: the response's shift is s or a second or two more.
      const s = await shift();
      const real = await kubectl.run(args);
      const ours = await terminal(line(args));
      const b = facadeGaps(ours.stdout, "terminal") + "\n--stderr--\n" + ours.stderr + `\n--ok ${ours.exitCode === 0}`;
      const bl = b.split("\n");
      // Each line is read back with the shift that matches it: one kubectl command makes several requests (describe
      // node: the node, its pods, its Lease, events), each answered with the shift of its own wall-clock second.
      const variants = [s, s + 1, s + 2].map((by) => (facadeGaps(unshift(real.stdout, by), "kubectl") + "\n--stderr--\n" + real.stderr + `\n--ok ${real.code === 0}`).split("\n"));
      const al = variants[0].map((l, k) => variants.find((v) => v[k] === bl[k])?.[k] ?? l);
      if (al.join("\n") === b) return undefined;
      const i = al.findIndex((l, k) => l !== bl[k]);
      diff = `${line(args)}\n  line ${i + 1}\n  kubectl:  ${JSON.stringify(al[i])}\n  terminal: ${JSON.stringify(bl[i])}`;
    }
    return diff;
  }
  /** Every command of a case compared; the case fails listing each difference (first differing line). */
  async function same(...commands: string[][]) {
    const diffs: string[] = [];
    for (const args of commands) {
      const d = await compare(args);
      if (d) diffs.push(d);
    }
    expect(diffs.join("\n\n")).toBe("");
  }

  beforeAll(async () => {
    t = await createTestApp();
    server = await serve(t.app, [4400, 4499]);
    token = await t.token({ sub: "alice", role: "student", course: "c1" });
    const r = await t.gql(token, `mutation { createCluster(input: { name: "fidelity", labSlug: "clusterip-services", seed: 11 }) { ... on CreateClusterPayload { cluster { id } } ... on Error { message } } }`);
    id = r.data.createCluster.cluster.id;
    for (const [cmd, stdin] of [
      ["kubectl apply -f services-clusterip-demo.yaml"],
      ["kubectl apply -f -", MANIFESTS],
      ["kubectl label node node01 example.com/rack=42 zone=2021-12-05"],
      ["sleep 600"],
      ["kubectl scale deployment demoapp --replicas=2"],
    ] as [string, string?][]) {
      const out = await terminal(cmd, stdin);
      expect(out.exitCode, `${cmd}: ${out.stderr}`).toBe(0);
    }
    kubectl = await kubectlFor(server.origin, { id, name: "fidelity" }, { sub: "alice", role: "student", course: "c1" });
  }, 120_000);
  afterAll(async () => {
    kubectl?.close();
    await server?.close();
    await t?.close();
  });

  const objects = async (): Promise<[string, string][]> => {
    const names = (await terminal("kubectl get pods,svc,ep,endpointslices,deploy,rs -o name")).stdout.trim().split("\n");
    return [...names.map((n) => n.split("/") as [string, string]), ["node", "node01"], ["node", "master01"], ["namespace", "awkward"], ["namespace", "default"]];
  };

  it("describe, every object", async () => {
    await same(...(await objects()).map(([kind, name]) => ["describe", kind, name]));
  }, 120_000);

  for (const out of ["yaml", "json", "name"])
    it(`get -o ${out}, every object and every list`, async () => {
      await same(
        ...(await objects()).map(([kind, name]) => ["get", kind, name, "-o", out]),
        ...["pods", "services", "endpoints", "endpointslices", "deployments", "replicasets", "nodes", "namespaces"].map((kind) => ["get", kind, "-o", out]),
      );
    }, 120_000);

  it("node Leases, service accounts and their token Secrets: get (tables, -o yaml|json|name), describe", async () => {
    const token = (await terminal("kubectl get secrets -o name")).stdout.trim().split("/")[1];
    expect(token).toMatch(/^default-token-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    const lease = ["-n", "kube-node-lease"];
    await same(
      ["get", "leases", ...lease],
      ["get", "lease", "node01", ...lease, "-o", "yaml"],
      ["get", "leases", ...lease, "-o", "json"],
      ["describe", "lease", "node01", ...lease],
      ["describe", "node", "node02"],
      ["get", "ns"],
      ["get", "sa"],
      ["get", "sa", "-n", "kube-system"],
      ["get", "sa", "default", "-o", "yaml"],
      ["describe", "sa", "default"],
      ["describe", "sa", "coredns", "-n", "kube-system"],
      ["get", "secrets"],
      ["get", "secret", token, "-o", "yaml"],
      ["get", "secrets", "-o", "json"],
      ["get", "secrets", "-o", "name"],
      ["describe", "secret", token],
      ["get", "secrets", "-n", "kube-system", "-o", "jsonpath={.items[*].metadata.name}"],
      // the three kinds' OpenAPI definitions (v1.19's, served to both)
      ["explain", "lease.spec"],
      ["explain", "sa", "--recursive"],
      ["explain", "secret.data"],
    );
  }, 120_000);

  it("pods mount their service account's token: describe (Mounts, Volumes) and -o yaml, system pods included", async () => {
    const sys = (await terminal("kubectl get pods -n kube-system -o name")).stdout.trim().split("\n").map((n) => n.split("/")[1]);
    const pick = (prefix: string) => sys.find((n) => n.startsWith(prefix))!;
    const cmds: string[][] = [];
    for (const name of [pick("coredns-"), pick("kube-proxy-"), pick("kube-flannel-ds-"), pick("etcd-")]) cmds.push(["get", "pod", name, "-n", "kube-system", "-o", "yaml"]);
    // (flannel's and the static pods' toleration with an effect and no key prints differently in v1.20: see the table)
    for (const name of [pick("coredns-"), pick("kube-proxy-"), pick("kube-flannel-ds-"), pick("etcd-"), pick("kube-apiserver-")]) cmds.push(["describe", "pod", name, "-n", "kube-system"]);
    // the add-ons' templates: their own volumes and mounts (kubeadm's and flannel's manifests), init containers
    for (const [kind, name] of [["ds", "kube-flannel-ds"], ["ds", "kube-proxy"], ["deploy", "coredns"]]) cmds.push(["describe", kind, name, "-n", "kube-system"]);
    await same(["describe", "pod", "awkward"], ["get", "pod", "awkward", "-o", "yaml"], ...cmds);
  }, 120_000);

  it("EndpointSlices: get as a table (-o wide, -A, -l, --show-labels), -o yaml|json|name, describe (by name, by prefix, all)", async () => {
    // a Service that selects nothing: its placeholder slice has `endpoints: null` and `ports: null`
    expect((await terminal("kubectl create service clusterip nothing --tcp=80:8080")).exitCode).toBe(0);
    // a Service without a selector and its Endpoints, written by hand: mirrored
    const ext = "apiVersion: v1\nkind: Service\nmetadata:\n  name: ext\nspec:\n  ports:\n  - name: mysql\n    port: 3306\n---\napiVersion: v1\nkind: Endpoints\nmetadata:\n  name: ext\n  labels:\n    db: mysql\nsubsets:\n- addresses:\n  - ip: 192.168.2.8\n  notReadyAddresses:\n  - ip: 192.168.2.9\n  ports:\n  - name: mysql\n    port: 3306\n";
    expect((await terminal("kubectl apply -f -", ext)).exitCode).toBe(0);
    const names = (await terminal("kubectl get endpointslices -A -o name")).stdout.trim().split("\n");
    // kubernetes (the apiserver's), kube-dns-… (kube-system), awkward-…, demoapp-…, nothing-… (the controller's),
    // ext-… (mirrored)
    expect(names.length).toBe(6);
    await same(
      ["get", "endpointslices"],
      ["get", "endpointslices", "-o", "wide"],
      ["get", "endpointslices", "-A"],
      ["get", "endpointslices", "-A", "--show-labels"],
      ["get", "endpointslices", "-l", "kubernetes.io/service-name=demoapp"],
      ["get", "endpointslices", "-l", "endpointslice.kubernetes.io/managed-by=endpointslice-controller.k8s.io", "-o", "yaml"],
      ["get", "endpointslices", "-n", "kube-system", "-o", "json"],
      ["get", "endpointslices.discovery.k8s.io", "kubernetes", "-o", "yaml"],
      ["get", "endpointslice", "-A", "-o", "name"],
      ["describe", "endpointslice", "demoapp"],
      ["describe", "endpointslice", "nothing"],
      ["describe", "endpointslice", "ext"],
      ["get", "endpointslices", "-l", "endpointslice.kubernetes.io/managed-by=endpointslicemirroring-controller.k8s.io", "-o", "yaml"],
      ["get", "endpointslices", "-l", "kubernetes.io/service-name=nothing", "-o", "yaml"],
      ["describe", "endpointslices", "-n", "kube-system"],
      ["describe", "endpointslices"],
      ["get", "endpointslice", "nosuch"],
    );
  }, 120_000);

  it("get -o jsonpath, labels, annotations and ranges", async () => {
    const exprs = ["{.metadata.labels}", "{.metadata.annotations}", "{.metadata.annotations.multi}", "{.spec}", '{range .items[*]}{.metadata.name}{"\\t"}{.metadata.labels}{"\\n"}{end}'];
    await same(...exprs.flatMap((expr) => [["get", "pod", "awkward", "-o", `jsonpath=${expr}`], ["get", "svc", "-o", `jsonpath=${expr}`]]));
    // keys with dots, escaped as kubectl's docs show (a label's prefix, a well-known label)
    await same(
      ["get", "node", "node01", "-o", "jsonpath={.metadata.labels.example\\.com/rack}"],
      ["get", "nodes", "-o", "jsonpath={.items[*].metadata.labels.kubernetes\\.io/hostname}"],
      ["get", "endpointslices", "-o", 'jsonpath={range .items[*]}{.metadata.labels.kubernetes\\.io/service-name}{"\\n"}{end}'],
    );
  }, 120_000);

  it("describe by name prefix, and a missing object", async () => {
    await same(["describe", "pods", "demoapp"], ["describe", "svc", "nosuch"], ["get", "svc", "nosuch", "-o", "yaml"], ["get", "svc", "awkward", "nosuch", "-o", "json"]);
  }, 120_000);

  it("managedFields: real kubectl's create, apply, label, scale and annotate through the API are recorded as the terminal's own", async () => {
    const svc = (name: string) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\nspec:\n  selector:\n    app: ${name}\n  ports:\n  - port: 80\n    targetPort: 8080\n`;
    // Twins: mf-k written by real kubectl (its fieldManager per command), mf-t by the terminal, at the same virtual time.
    for (const [args, stdin] of [
      [["create", "deployment", "NAME", "--image=ikubernetes/demoapp:v1.0"]],
      [["apply", "-f", "-"], "svc"],
      [["label", "deploy", "NAME", "tier=web"]],
      [["scale", "deploy", "NAME", "--replicas=2"]],
      [["annotate", "svc", "NAME", "note=x"]],
    ] as [string[], string?][]) {
      const real = await kubectl.run(args.map((a) => a.replace("NAME", "mf-k")), stdin && svc("mf-k"));
      expect(real.code, `${args.join(" ")}: ${real.stderr}`).toBe(0);
      const ours = await terminal(line(args.map((a) => a.replace("NAME", "mf-t"))), stdin && svc("mf-t"));
      expect(ours.exitCode, `${args.join(" ")}: ${ours.stderr}`).toBe(0);
    }
    const managed = async (what: string, name: string) => {
      const out = JSON.parse((await terminal(`kubectl get ${what} -l app=${name} -o json`)).stdout) as { items: { metadata: { managedFields: unknown } }[] };
      const byName = (await terminal(`kubectl get ${what} ${name} -o json`)).stdout;
      const all = [...(byName.startsWith("{") ? [JSON.parse(byName)] : []), ...out.items];
      // Owner uids and pod IPs differ between the twins.
      return JSON.stringify(all.map((o) => o.metadata.managedFields))
        .replaceAll(name, "NAME")
        .replace(/k:\{\\"uid\\":\\"[0-9a-f-]+\\"\}/g, "k:{uid}")
        .replace(/k:\{\\"ip\\":\\"[0-9.]+\\"\}/g, "k:{ip}");
    };
    for (const what of ["deploy", "svc", "rs", "pods"]) expect(await managed(what, "mf-k"), what).toBe(await managed(what, "mf-t"));
    const managers = async (what: string) => (await terminal(`kubectl get ${what} -o jsonpath={.metadata.managedFields[*].manager}`)).stdout;
    expect(await managers("deploy mf-k")).toBe("kube-controller-manager kubectl-create kubectl-label");
    expect(await managers("svc mf-k")).toBe("kubectl-annotate kubectl-client-side-apply");
    // And real kubectl reads what the facade wrote exactly as the terminal prints it.
    await same(["get", "deploy", "mf-k", "-o", "yaml"], ["get", "svc", "mf-k", "-o", "yaml"], ["get", "rs", "-l", "app=mf-k", "-o", "yaml"], ["get", "pods", "-l", "app=mf-k", "-o", "json"]);
  }, 120_000);

  it("annotate: set, the refusal without --overwrite, --overwrite, remove, a bad key; both sides print alike", async () => {
    const both = async (args: string[]) => {
      const real = await kubectl.run(args);
      const ours = await terminal(line(args));
      // the refusal lists the keys in Go map order (validateNoAnnotationOverwrites ranges over a map): sorted here
      const keys = (t: string) => t.replace(/(declared annotation\(s\): )(.*)/, (_m, head: string, list: string) => head + list.split("; ").sort().join("; "));
      return { real: keys(real.stdout + real.stderr + (real.code === 0)), ours: keys(ours.stdout + ours.stderr + (ours.exitCode === 0)) };
    };
    // A write each (kubectl on one key, the terminal on another), then refusals both sides see the same way.
    const a = await kubectl.run(["annotate", "pod", "awkward", "note-a=one"]);
    const b = await terminal(line(["annotate", "pod", "awkward", "note-b=one"]));
    expect(a.stdout + a.stderr).toBe("pod/awkward annotated\n");
    expect(b.stdout).toBe("pod/awkward annotated\n");
    for (const args of [
      ["annotate", "pod", "awkward", "note-a=two"],
      ["annotate", "pod", "awkward", "note-b=two", "note-a=two"],
      ["annotate", "pod", "awkward", "bad key=1"],
      ["annotate", "pod", "awkward", "x=1", "x-"],
      ["annotate", "pod", "awkward"],
      ["annotate", "pod", "nosuch", "x=1"],
      ["get", "pod", "awkward", "-o", "jsonpath={.metadata.annotations.note-b}"],
    ]) {
      const r = await both(args);
      expect(r.real, line(args)).toBe(r.ours);
    }
    const r1 = await kubectl.run(["annotate", "--overwrite", "pod", "awkward", "note-a=three", "note-b-"]);
    const r2 = await terminal(line(["annotate", "--overwrite", "pod", "awkward", "note-a=four", "note-a-missing-"]));
    expect([r1.stdout, r2.stdout]).toEqual(["pod/awkward annotated\n", "pod/awkward annotated\n"]);
    await same(["get", "pod", "awkward", "-o", "yaml"], ["describe", "pod", "awkward"]);
  }, 120_000);
});
