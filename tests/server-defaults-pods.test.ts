// What a v1.19 cluster adds to a pod, as a student reads it. Downward-API env: the fieldRef's apiVersion v1
// (SetDefaults_ObjectFieldSelector), and describe resolves metadata.name / metadata.namespace only (kubectl's
// EnvValueRetriever through a scheme without Pod field-label conversions). Tolerations (describe, -o jsonpath):
// DefaultTolerationSeconds admission adds not-ready / unreachable NoExecute for 300 s unless a toleration already
// covers the taint (its key or no key, NoExecute or no effect), and the DaemonSet controller gives its pods the
// node-problem tolerations for ever (AddOrUpdateDaemonPodTolerations), network-unavailable too with hostNetwork.
import { describe, expect, it } from "vitest";
import { Cluster } from "../engine/index.ts";

function run(c: Cluster, line: string, stdin?: string): string {
  const r = c.exec(line, stdin === undefined ? undefined : { stdin });
  expect(r.stderr, line).toBe("");
  expect(r.exitCode, line).toBe(0);
  return r.stdout;
}

/** describe's Tolerations block (the title line and its continuation lines). */
function tolerations(c: Cluster, target: string): string[] {
  const lines = run(c, `kubectl describe ${target}`).split("\n");
  const start = lines.findIndex((l) => l.startsWith("Tolerations:"));
  const end = lines.findIndex((l, i) => i > start && !l.startsWith(" "));
  return lines.slice(start, end).map((l) => l.replace(/^Tolerations: +/, "").trim());
}

const pod = (name: string, tolerations: string) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  containers:
  - name: demoapp
    image: ikubernetes/demoapp:v1.0
  tolerations:
${tolerations}`;

const FOREVER = [
  "node.kubernetes.io/disk-pressure:NoSchedule op=Exists",
  "node.kubernetes.io/memory-pressure:NoSchedule op=Exists",
  "node.kubernetes.io/not-ready:NoExecute op=Exists",
  "node.kubernetes.io/pid-pressure:NoSchedule op=Exists",
  "node.kubernetes.io/unreachable:NoExecute op=Exists",
  "node.kubernetes.io/unschedulable:NoSchedule op=Exists",
];

describe("default tolerations", () => {
  it("a toleration without a key covers the node-problem taints: no 300 s defaults (kubeadm's static pods, a student's pod)", () => {
    const c = Cluster.create({ seed: 3 });
    expect(tolerations(c, "pod etcd-master01 -n kube-system")).toEqual([":NoExecuteop=Exists"]);
    run(c, "kubectl apply -f -", [pod("all", "  - operator: Exists"), pod("noexec", "  - operator: Exists\n    effect: NoExecute"), pod("sched", "  - operator: Exists\n    effect: NoSchedule")].join("\n---\n"));
    expect(tolerations(c, "pod all")).toEqual(["op=Exists"]);
    expect(tolerations(c, "pod noexec")).toEqual([":NoExecuteop=Exists"]);
    // NoSchedule covers neither: both defaults come
    expect(tolerations(c, "pod sched")).toEqual([":NoScheduleop=Exists", "node.kubernetes.io/not-ready:NoExecute op=Exists for 300s", "node.kubernetes.io/unreachable:NoExecute op=Exists for 300s"]);
    expect(run(c, "kubectl get pod all -o jsonpath='{.spec.tolerations}'")).toBe('[{"operator":"Exists"}]');
  });

  it("a DaemonSet's pods tolerate node problems for ever; with hostNetwork, network-unavailable too (kube-proxy, flannel)", () => {
    const c = Cluster.create({ seed: 3 });
    run(c, "kubectl apply -f -", "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: agent\nspec:\n  selector:\n    matchLabels:\n      app: agent\n  template:\n    metadata:\n      labels:\n        app: agent\n    spec:\n      containers:\n      - name: demoapp\n        image: ikubernetes/demoapp:v1.0\n");
    const agent = run(c, "kubectl get pods -l app=agent -o name").trim().split("\n")[0];
    expect(tolerations(c, agent)).toEqual(FOREVER);
    // in the object as the DaemonSet controller writes them: not-ready and unreachable first, no tolerationSeconds
    expect(run(c, `kubectl get ${agent} -o jsonpath='{.spec.tolerations[0]} {.spec.tolerations[5].key}'`)).toBe('{"effect":"NoExecute","key":"node.kubernetes.io/not-ready","operator":"Exists"} node.kubernetes.io/unschedulable');
    const sys = run(c, "kubectl get pods -n kube-system -o name").trim().split("\n");
    const proxy = sys.find((n) => n.startsWith("pod/kube-proxy-"))!;
    const flannel = sys.find((n) => n.startsWith("pod/kube-flannel-ds-"))!;
    const withNet = [...FOREVER.slice(0, 2), "node.kubernetes.io/network-unavailable:NoSchedule op=Exists", ...FOREVER.slice(2)];
    expect(tolerations(c, `${proxy} -n kube-system`)).toEqual(["op=Exists", "CriticalAddonsOnly op=Exists", ...withNet]);
    expect(tolerations(c, `${flannel} -n kube-system`)).toEqual([":NoScheduleop=Exists", ...withNet]);
    // a Deployment's pods keep admission's 300 s ones
    const dns = sys.find((n) => n.startsWith("pod/coredns-"))!;
    expect(tolerations(c, `${dns} -n kube-system`).slice(-2)).toEqual(["node.kubernetes.io/not-ready:NoExecute op=Exists for 300s", "node.kubernetes.io/unreachable:NoExecute op=Exists for 300s"]);
  });
});

describe("downward-API env", () => {
  it("fieldRef gets apiVersion v1; describe prints the pod's name and namespace, other paths empty; an echo of the template rolls nothing", () => {
    const c = Cluster.create({ seed: 3 });
    const env = ["metadata.name", "metadata.namespace", "status.podIP", "spec.nodeName", "metadata.labels['app']"]
      .map((f, i) => `        - name: V${i}\n          valueFrom:\n            fieldRef:\n              fieldPath: ${f}`)
      .join("\n");
    run(c, "kubectl apply -f -", `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: dapi\nspec:\n  replicas: 1\n  selector:\n    matchLabels:\n      app: dapi\n  template:\n    metadata:\n      labels:\n        app: dapi\n    spec:\n      containers:\n      - name: demoapp\n        image: ikubernetes/demoapp:v1.0\n        env:\n${env}\n`);
    const pod = run(c, "kubectl get pods -l app=dapi -o name").trim();
    expect(run(c, `kubectl get ${pod} -o jsonpath='{.spec.containers[0].env[0].valueFrom.fieldRef}'`)).toBe('{"apiVersion":"v1","fieldPath":"metadata.name"}');
    expect(run(c, "kubectl get deploy dapi -o jsonpath='{.spec.template.spec.containers[0].env[2].valueFrom.fieldRef.apiVersion}'")).toBe("v1");
    const lines = run(c, `kubectl describe ${pod}`).split("\n").filter((l) => /^ +V\d:/.test(l)).map((l) => l.trim().replace(/ +/g, " "));
    expect(lines).toEqual([`V0: ${pod.slice(4)} (v1:metadata.name)`, "V1: default (v1:metadata.namespace)", "V2: (v1:status.podIP)", "V3: (v1:spec.nodeName)", "V4: (v1:metadata.labels['app'])"]);
    // the template's describe has no pod to read from
    expect(run(c, "kubectl describe deploy dapi")).toMatch(/\n      V0: +\(v1:metadata.name\)\n/);
    // the Deployment read back with its defaults and replaced: the same template, the same ReplicaSet
    const rs = run(c, "kubectl get rs -l app=dapi -o name");
    run(c, "kubectl get deploy dapi -o yaml > d.yaml");
    run(c, "kubectl replace -f d.yaml");
    expect(run(c, "kubectl get rs -l app=dapi -o name")).toBe(rs);
  });
});

describe("the fields a v1.19 apiserver always serves", () => {
  it("a pod, its Deployment and a Service carry them, in -o jsonpath and describe", () => {
    const c = Cluster.create({ seed: 3 });
    run(c, "kubectl create deployment web --image=ikubernetes/demoapp:v1.0");
    run(c, "kubectl expose deployment web --port=80");
    const pod = run(c, "kubectl get pods -l app=web -o name").trim();
    const spec = "{.spec.priority} {.spec.preemptionPolicy} {.spec.enableServiceLinks} {.spec.dnsPolicy} {.spec.schedulerName} {.spec.securityContext} {.spec.serviceAccountName} {.spec.restartPolicy} {.spec.terminationGracePeriodSeconds}";
    expect(run(c, `kubectl get ${pod} -o jsonpath='${spec}'`)).toBe("0 PreemptLowerPriority true ClusterFirst default-scheduler {} default Always 30");
    expect(run(c, `kubectl get ${pod} -o jsonpath='{.spec.containers[0].terminationMessagePath} {.spec.containers[0].terminationMessagePolicy} {.spec.containers[0].resources} {.spec.containers[0].imagePullPolicy}'`)).toBe("/dev/termination-log File {} IfNotPresent");
    expect(run(c, `kubectl get ${pod} -o jsonpath='{.spec.tolerations[*].tolerationSeconds}'`)).toBe("300 300");
    expect(run(c, "kubectl get deploy web -o jsonpath='{.spec.strategy.type} {.spec.strategy.rollingUpdate.maxSurge} {.spec.strategy.rollingUpdate.maxUnavailable} {.spec.revisionHistoryLimit} {.spec.progressDeadlineSeconds}'")).toBe("RollingUpdate 25% 25% 10 600");
    expect(run(c, "kubectl get svc web -o jsonpath='{.spec.sessionAffinity} {.spec.type}'")).toBe("None ClusterIP");
    const page = run(c, `kubectl describe ${pod}`);
    expect(page).toMatch(/\nPriority: +0\n/);
    expect(page).toMatch(/\nTolerations: +node\.kubernetes\.io\/not-ready:NoExecute op=Exists for 300s\n +node\.kubernetes\.io\/unreachable:NoExecute op=Exists for 300s\n/);
  });
});

// What the DaemonSet controller and the apiserver give a DaemonSet and its pods: the template's container defaults
// (as a Deployment's template has them), and on each pod a required node affinity on its node's name
// (ReplaceDaemonSetPodNodeNameNodeAffinity, ScheduleDaemonSetPods) with the controller's tolerations, both in
// kube-controller-manager's managedFields entry (they are in its create request, not added by admission).
describe("DaemonSets and their pods", () => {
  const ds = `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
spec:
  selector:
    matchLabels:
      app: agent
  template:
    metadata:
      labels:
        app: agent
    spec:
      affinity:
        nodeAffinity:
          preferredDuringSchedulingIgnoredDuringExecution:
          - weight: 1
            preference:
              matchExpressions:
              - key: disk
                operator: In
                values: [ssd]
      containers:
      - name: agent
        image: ikubernetes/demoapp:v1.0
`;
  it("the template has the container defaults; reading and writing it back changes nothing (no new pods)", () => {
    const c = Cluster.create({ seed: 3 });
    run(c, "kubectl apply -f -", ds);
    c.advance(30);
    const container = JSON.parse(run(c, "kubectl get ds agent -o jsonpath={.spec.template.spec.containers[0]}"));
    expect(container).toMatchObject({ resources: {}, terminationMessagePath: "/dev/termination-log", terminationMessagePolicy: "File" });
    expect(run(c, "kubectl get ds agent -o jsonpath={.spec.template.spec.securityContext}")).toBe("{}");
    const pods = run(c, "kubectl get pods -l app=agent -o name");
    const yaml = run(c, "kubectl get ds agent -o yaml");
    expect(run(c, "kubectl replace -f -", yaml)).toBe("daemonset.apps/agent replaced\n");
    c.advance(30);
    expect(run(c, "kubectl get pods -l app=agent -o name")).toBe(pods);
    expect(run(c, "kubectl get ds agent -o jsonpath={.metadata.generation}")).toBe("1");
  });
  it("each pod's required node affinity names its node; the template's preferred terms stay", () => {
    const c = Cluster.create({ seed: 3 });
    run(c, "kubectl apply -f -", ds);
    c.advance(30);
    const items = JSON.parse(run(c, "kubectl get pods -l app=agent -o json")).items;
    expect(items.length).toBeGreaterThan(1);
    for (const p of items) {
      expect(p.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution).toEqual({ nodeSelectorTerms: [{ matchFields: [{ key: "metadata.name", operator: "In", values: [p.spec.nodeName] }] }] });
      expect(p.spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight).toBe(1);
    }
    // kube-proxy's pods too (kube-system's own DaemonSet)
    const proxy = JSON.parse(run(c, "kubectl get pods -n kube-system -l k8s-app=kube-proxy -o json")).items[0];
    expect(proxy.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0].values).toEqual([proxy.spec.nodeName]);
  });
  it("the controller's tolerations and the affinity are kube-controller-manager's in managedFields", () => {
    const c = Cluster.create({ seed: 3 });
    run(c, "kubectl apply -f -", ds);
    c.advance(30);
    const p = JSON.parse(run(c, "kubectl get pods -l app=agent -o json")).items[0];
    const kcm = p.metadata.managedFields.find((e: { manager: string }) => e.manager === "kube-controller-manager");
    expect(Object.keys(kcm.fieldsV1["f:spec"])).toEqual(expect.arrayContaining(["f:affinity", "f:tolerations"]));
  });
});
