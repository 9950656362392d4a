// metadata.managedFields as a v1.19 API server records them, seen through the terminal as a student sees them
// (`kubectl get -o json|yaml`): who wrote which field, with which manager name, when (the virtual clock), and how
// later writes move fields from one manager to another. The real-kubectl side is in tests/kubectl-fidelity.test.ts.
import { describe, expect, it } from "vitest";
import { Cluster } from "../engine/index.ts";
import { fieldManagerOf } from "../api/k8s/write.ts";

interface Entry {
  manager: string;
  operation: string;
  apiVersion: string;
  time: string;
  fieldsType: string;
  fieldsV1: Record<string, unknown>;
}

function sh(c: Cluster, line: string, stdin?: string) {
  const r = c.exec(line, stdin === undefined ? {} : { stdin });
  expect(r.stderr, line).toBe("");
  return r.stdout;
}

function managed(c: Cluster, what: string): Entry[] {
  return JSON.parse(sh(c, `kubectl get ${what} -o json`)).metadata.managedFields ?? [];
}

function entry(c: Cluster, what: string, manager: string): Entry | undefined {
  return managed(c, what).find((e) => e.manager === manager);
}

const SVC = `apiVersion: v1
kind: Service
metadata:
  name: web
  labels:
    app: web
spec:
  type: NodePort
  selector:
    app: web
  ports:
  - name: http
    port: 80
    targetPort: 8080
    nodePort: 30080
---
apiVersion: v1
kind: Service
metadata:
  name: plain
spec:
  type: NodePort
  selector:
    app: web
  ports:
  - port: 80
`;

describe("managedFields in the terminal", () => {
  it("kubectl create deployment: kubectl-create owns what it sent (decode defaults included), the controller the status", () => {
    const c = Cluster.create({ seed: 5 });
    sh(c, "kubectl create deployment demoapp --image=ikubernetes/demoapp:v1.0 --replicas=2");
    c.advance(20);
    const entries = managed(c, "deploy demoapp");
    expect(entries.map((e) => [e.manager, e.operation, e.apiVersion, e.fieldsType])).toEqual([
      ["kube-controller-manager", "Update", "apps/v1", "FieldsV1"],
      ["kubectl-create", "Update", "apps/v1", "FieldsV1"],
    ]);
    const create = entries[1].fieldsV1 as Record<string, Record<string, unknown>>;
    expect(create["f:metadata"]).toEqual({ "f:labels": { ".": {}, "f:app": {} } });
    expect(Object.keys(create["f:spec"])).toEqual(["f:progressDeadlineSeconds", "f:replicas", "f:revisionHistoryLimit", "f:selector", "f:strategy", "f:template"]);
    expect(create["f:spec"]["f:selector"]).toEqual({ "f:matchLabels": { ".": {}, "f:app": {} } });
    expect((create["f:spec"]["f:template"] as Record<string, Record<string, unknown>>)["f:spec"]["f:containers"]).toEqual({
      'k:{"name":"demoapp"}': { ".": {}, "f:image": {}, "f:imagePullPolicy": {}, "f:name": {}, "f:resources": {}, "f:terminationMessagePath": {}, "f:terminationMessagePolicy": {} },
    });
    expect(create["f:status"]).toBeUndefined();
    const kcm = entries[0].fieldsV1 as Record<string, Record<string, unknown>>;
    // the controller made the annotations map for the Deployment's revision (SetDeploymentRevision)
    expect(Object.keys(kcm)).toEqual(["f:metadata", "f:status"]);
    expect(kcm["f:metadata"]).toEqual({ "f:annotations": { ".": {}, "f:deployment.kubernetes.io/revision": {} } });
    expect(Object.keys(kcm["f:status"])).toEqual(["f:availableReplicas", "f:conditions", "f:observedGeneration", "f:readyReplicas", "f:replicas", "f:updatedReplicas"]);
    expect(Object.keys(kcm["f:status"]["f:conditions"] as object)).toEqual([".", 'k:{"type":"Available"}', 'k:{"type":"Progressing"}']);
  });

  it("controller-made ReplicaSets and pods: kube-controller-manager creates them, the kubelet owns pod status, binding and admission own nothing", () => {
    const c = Cluster.create({ seed: 5 });
    sh(c, "kubectl create deployment demoapp --image=ikubernetes/demoapp:v1.0 --replicas=1");
    c.advance(20);
    const rs = sh(c, "kubectl get rs -o name").trim();
    expect(managed(c, rs).map((e) => e.manager)).toEqual(["kube-controller-manager"]);
    const pod = sh(c, "kubectl get pod -o name").trim();
    const entries = managed(c, pod);
    expect(entries.map((e) => e.manager)).toEqual(["kube-controller-manager", "kubelet"]);
    const spec = (entries[0].fieldsV1 as Record<string, Record<string, unknown>>)["f:spec"];
    expect(spec["f:enableServiceLinks"]).toEqual({});
    for (const admitted of ["f:nodeName", "f:serviceAccountName", "f:serviceAccount", "f:priority", "f:preemptionPolicy", "f:tolerations"]) expect(spec[admitted], admitted).toBeUndefined();
    const status = (entries[1].fieldsV1 as Record<string, Record<string, unknown>>)["f:status"];
    expect(Object.keys(status)).toEqual(["f:conditions", "f:containerStatuses", "f:hostIP", "f:phase", "f:podIP", "f:podIPs", "f:startTime"]);
    expect(Object.keys(status["f:conditions"] as object)).toEqual(['k:{"type":"ContainersReady"}', 'k:{"type":"Initialized"}', 'k:{"type":"Ready"}']);
    expect(status["f:containerStatuses"]).toEqual({});
    // The pod's metadata names its ReplicaSet by uid in the controller's entry.
    const uid = JSON.parse(sh(c, `kubectl get ${rs} -o json`)).metadata.uid;
    expect(Object.keys((entries[0].fieldsV1 as Record<string, Record<string, Record<string, unknown>>>)["f:metadata"]["f:ownerReferences"])).toEqual([".", `k:{"uid":"${uid}"}`]);
  });

  it("kubectl apply, label, scale, set image, annotate, edit: each write's fields move to its manager at the virtual time of the write", () => {
    const c = Cluster.create({ seed: 6 });
    const t0 = c.now();
    c.writeFile("d.yaml", `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
    tier: front
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: ikubernetes/demoapp:v1.0
`);
    sh(c, "kubectl apply -f d.yaml");
    let apply = entry(c, "deploy web", "kubectl-client-side-apply")!;
    expect(apply.time).toBe(t0);
    const annotations = (apply.fieldsV1["f:metadata"] as Record<string, unknown>)["f:annotations"];
    expect(annotations).toEqual({ ".": {}, "f:kubectl.kubernetes.io/last-applied-configuration": {} });

    // label --overwrite of a key apply set: the key moves to kubectl-label; apply keeps the map itself.
    c.advance(60);
    sh(c, "kubectl label deploy web tier=back --overwrite");
    const label = entry(c, "deploy web", "kubectl-label")!;
    expect(label.time).toBe(c.now());
    expect(label.fieldsV1).toEqual({ "f:metadata": { "f:labels": { "f:tier": {} } } });
    apply = entry(c, "deploy web", "kubectl-client-side-apply")!;
    expect((apply.fieldsV1["f:metadata"] as Record<string, unknown>)["f:labels"]).toEqual({ ".": {}, "f:app": {} });

    // scale goes through the scale subresource, which v1.19 does not track: nothing moves, no new entry.
    const before = managed(c, "deploy web").filter((e) => e.manager !== "kube-controller-manager");
    c.advance(60);
    sh(c, "kubectl scale deploy web --replicas=3");
    expect(managed(c, "deploy web").filter((e) => e.manager !== "kube-controller-manager")).toEqual(before);
    expect((entry(c, "deploy web", "kubectl-client-side-apply")!.fieldsV1["f:spec"] as Record<string, unknown>)["f:replicas"]).toEqual({});

    // set image: the image is kubectl-set's now, and no longer apply's.
    c.advance(60);
    sh(c, "kubectl set image deploy/web web=ikubernetes/demoapp:v1.1");
    const set = entry(c, "deploy web", "kubectl-set")!;
    expect(set.time).toBe(c.now());
    expect(set.fieldsV1).toEqual({ "f:spec": { "f:template": { "f:spec": { "f:containers": { 'k:{"name":"web"}': { "f:image": {} } } } } } });
    const applied = JSON.stringify(entry(c, "deploy web", "kubectl-client-side-apply")!.fieldsV1);
    expect(applied).toContain('"f:imagePullPolicy"');
    expect(applied).not.toContain('"f:image"');

    // annotate and edit
    c.advance(60);
    sh(c, "kubectl annotate deploy web note=hi");
    expect(entry(c, "deploy web", "kubectl-annotate")!.fieldsV1).toEqual({ "f:metadata": { "f:annotations": { "f:note": {} } } });
    sh(c, `KUBE_EDITOR="sed -i 's/note: hi/note: bye/'" kubectl edit deploy web`);
    expect(entry(c, "deploy web", "kubectl-edit")!.fieldsV1).toEqual({ "f:metadata": { "f:annotations": { "f:note": {} } } });
    expect(entry(c, "deploy web", "kubectl-annotate")).toBeUndefined();

    // entries come sorted by time (then manager), as the apiserver encodes them
    const times = managed(c, "deploy web").map((e) => e.time);
    expect([...times].sort()).toEqual(times);
  });

  it("a Service: fields the registry allocates are no one's, unless the manifest set them", () => {
    const c = Cluster.create({ seed: 7 });
    c.writeFile("s.yaml", SVC);
    sh(c, "kubectl apply -f s.yaml");
    const spec = (what: string) => (entry(c, what, "kubectl-client-side-apply")!.fieldsV1["f:spec"] as Record<string, Record<string, Record<string, unknown>>>);
    expect(spec("svc web")["f:clusterIP"]).toBeUndefined();
    expect(spec("svc web")["f:ports"]['k:{"port":80,"protocol":"TCP"}']).toEqual({ ".": {}, "f:name": {}, "f:nodePort": {}, "f:port": {}, "f:protocol": {}, "f:targetPort": {} });
    expect(spec("svc plain")["f:ports"]['k:{"port":80,"protocol":"TCP"}']).toEqual({ ".": {}, "f:port": {}, "f:protocol": {}, "f:targetPort": {} });
    expect(spec("svc plain")["f:externalTrafficPolicy"]).toEqual({});
    expect(Object.keys(spec("svc plain"))).toEqual(["f:externalTrafficPolicy", "f:ports", "f:selector", "f:sessionAffinity", "f:type"]);
  });

  it("namespaces: kubectl create ns owns the defaulted phase; the system namespaces are kube-apiserver's", () => {
    const c = Cluster.create({ seed: 8 });
    sh(c, "kubectl create ns lab");
    expect(managed(c, "ns lab").map((e) => [e.manager, e.fieldsV1])).toEqual([["kubectl-create", { "f:status": { "f:phase": {} } }]]);
    expect(managed(c, "ns default").map((e) => e.manager)).toEqual(["kube-apiserver"]);
  });

  it("-o yaml prints them as kubectl v1.19 does, and the stored cluster gives them back byte for byte", () => {
    const c = Cluster.create({ seed: 9 });
    sh(c, "kubectl create deployment demoapp --image=ikubernetes/demoapp:v1.0 --replicas=1");
    c.advance(10);
    sh(c, "kubectl expose deployment demoapp --port=80");
    const pod = sh(c, "kubectl get pod -o name").trim();
    sh(c, `kubectl label ${pod} debug=true`);
    const yaml = sh(c, "kubectl get svc demoapp -o yaml");
    expect(yaml).toContain(`  managedFields:
  - apiVersion: v1
    fieldsType: FieldsV1
    fieldsV1:
      f:metadata:
        f:labels:
          .: {}
          f:app: {}
      f:spec:
        f:ports:
          .: {}
          k:{"port":80,"protocol":"TCP"}:
            .: {}
            f:port: {}
            f:protocol: {}
            f:targetPort: {}
        f:selector:
          .: {}
          f:app: {}
        f:sessionAffinity: {}
        f:type: {}
    manager: kubectl-expose
    operation: Update
    time: "${c.now()}"
  name: demoapp
`);
    const again = Cluster.fromJSON(c.toJSONText());
    for (const what of ["svc demoapp", "deploy demoapp", pod, "rs", "ep demoapp", "node node01", "ns default"])
      expect(sh(again, `kubectl get ${what} -o yaml`), what).toBe(sh(c, `kubectl get ${what} -o yaml`));
    expect(entry(again, pod, "kubectl-label")!.fieldsV1).toEqual({ "f:metadata": { "f:labels": { "f:debug": {} } } });
  });
});

describe("the facade's field manager for a write (v1.19 managerOrUserAgent)", () => {
  const req = (url: string, ua?: string) => new Request(`https://x/k8s/clusters/c/api/v1/namespaces/default/pods${url}`, { method: "POST", headers: ua === undefined ? {} : { "user-agent": ua } });
  it("takes fieldManager, else the User-Agent up to its first slash, else unknown", () => {
    expect(fieldManagerOf(req("?fieldManager=kubectl-label", "kubectl/v1.20.2 (linux/amd64) kubernetes/faecb19"))).toBe("kubectl-label");
    expect(fieldManagerOf(req("", "kubectl/v1.20.2 (linux/amd64) kubernetes/faecb19"))).toBe("kubectl");
    expect(fieldManagerOf(req("", "OpenAPI-Generator/11.0.0/python"))).toBe("OpenAPI-Generator");
    expect(fieldManagerOf(req("", "my\u0007tool/1"))).toBe("mytool");
    expect(fieldManagerOf(req("", "x".repeat(200)))).toBe("x".repeat(128));
    expect(fieldManagerOf(req(""))).toBe("unknown");
  });
});
