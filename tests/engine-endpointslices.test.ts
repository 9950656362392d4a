// EndpointSlices as a student sees them through the terminal (engine/controllers/endpointslice.ts; upstream v1.19
// pkg/controller/endpointslice, kubectl's printEndpointSlice and describeEndpointSlice): one IPv4 slice per Service
// that follows its pods — scale, readiness, graceful deletion — the apiserver's `kubernetes` slice, kube-dns's, the
// placeholder of a Service that selects nothing, garbage collection, and the stored form.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Cluster } from "../engine/index.ts";
import type { EndpointSlice, Pod } from "../engine/index.ts";

const READINESS = readFileSync(new URL("./fixtures/course/services-readiness-demo.yaml", import.meta.url), "utf8");

function sh(c: Cluster, cmd: string): string {
  const r = c.exec(cmd);
  expect(r.stderr, cmd).toBe("");
  expect(r.exitCode, cmd).toBe(0);
  return r.stdout;
}

/** The table's rows as cells (header first). */
const rows = (out: string) => out.trimEnd().split("\n").map((l) => l.trim().split(/\s{2,}/));

/** The Service's one slice, read back as JSON through kubectl. */
function sliceOf(c: Cluster, svc: string, ns = "default"): EndpointSlice {
  const list = JSON.parse(sh(c, `kubectl get endpointslices -n ${ns} -l kubernetes.io/service-name=${svc} -o json`)).items as EndpointSlice[];
  expect(list.length).toBe(1);
  return list[0];
}

/** name → IP of the Running, not Terminating pods with this label. */
function podIPs(c: Cluster, selector: string, ns = "default"): Map<string, string> {
  const pods = JSON.parse(sh(c, `kubectl get pods -n ${ns} -l ${selector} -o json`)).items as Pod[];
  return new Map(pods.filter((p) => !p.metadata.deletionTimestamp && p.status.podIP).map((p) => [p.metadata.name, p.status.podIP!]));
}

function demoapp(c: Cluster, replicas: number): void {
  sh(c, `kubectl create deployment demoapp --image=ikubernetes/demoapp:v1.0 --replicas=${replicas}`);
  sh(c, "kubectl expose deployment demoapp --port=80 --target-port=80");
  c.advance(30);
}

describe("EndpointSlices through kubectl", () => {
  it("a new cluster has the apiserver's kubernetes slice and kube-dns's, and api-resources lists the type", () => {
    const c = Cluster.create({ seed: 7 });
    const table = rows(sh(c, "kubectl get endpointslices -A"));
    expect(table[0]).toEqual(["NAMESPACE", "NAME", "ADDRESSTYPE", "PORTS", "ENDPOINTS", "AGE"]);
    expect(table[1]).toEqual(["default", "kubernetes", "IPv4", "6443", "192.168.2.1", "10d"]);
    const coredns = [...podIPs(c, "k8s-app=kube-dns", "kube-system").values()].sort();
    // kube-system's namespace, `kube-dns-` and five characters of the apiserver's alphabet
    expect(table[2][0]).toBe("kube-system");
    expect(table[2][1]).toMatch(/^kube-dns-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(table[2].slice(2, 5)).toEqual(["IPv4", "53,53,9153", coredns.join(",")]);
    const k = JSON.parse(sh(c, "kubectl get endpointslice kubernetes -o json"));
    expect(k.metadata.labels).toEqual({ "kubernetes.io/service-name": "kubernetes" });
    expect(k.metadata.ownerReferences).toBeUndefined();
    expect(k.endpoints).toEqual([{ addresses: ["192.168.2.1"], conditions: { ready: true } }]);
    expect(k.ports).toEqual([{ name: "https", port: 6443, protocol: "TCP" }]);
    expect(sh(c, "kubectl api-resources")).toMatch(/^endpointslices +discovery\.k8s\.io +true +EndpointSlice$/m);
    // every name kubectl's RESTMapper takes for the type
    for (const w of ["endpointslice", "EndpointSlice", "endpointslices.discovery.k8s.io", "endpointslice.v1beta1.discovery.k8s.io"])
      expect(sh(c, `kubectl get ${w} kubernetes -o name`)).toBe("endpointslice.discovery.k8s.io/kubernetes\n");
  });

  it("one slice per Service, owned by it, with the controller's labels; its endpoints follow a scale; describe as kubectl prints it", () => {
    const c = Cluster.create({ seed: 42 });
    demoapp(c, 3);
    const svc = JSON.parse(sh(c, "kubectl get svc demoapp -o json"));
    const s = sliceOf(c, "demoapp");
    expect(s.metadata.name).toMatch(/^demoapp-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(s.metadata.generateName).toBe("demoapp-");
    expect(s.metadata.labels).toEqual({ "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io", "kubernetes.io/service-name": "demoapp" });
    expect(s.metadata.ownerReferences).toEqual([{ apiVersion: "v1", kind: "Service", name: "demoapp", uid: svc.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    expect(s.addressType).toBe("IPv4");
    // the unnamed Service port is an empty name (a pointer to "" upstream)
    expect(s.ports).toEqual([{ name: "", port: 80, protocol: "TCP" }]);
    const pods = JSON.parse(sh(c, "kubectl get pods -l app=demoapp -o json")).items as Pod[];
    expect(s.endpoints!.map((e) => e.targetRef!.name).sort()).toEqual(pods.map((p) => p.metadata.name).sort());
    for (const e of s.endpoints!) {
      const p = pods.find((x) => x.metadata.name === e.targetRef!.name)!;
      expect(e).toEqual({
        addresses: [p.status.podIP],
        conditions: { ready: true },
        targetRef: { kind: "Pod", namespace: "default", name: p.metadata.name, uid: p.metadata.uid, resourceVersion: p.metadata.resourceVersion },
        topology: { "kubernetes.io/hostname": p.spec.nodeName },
      });
    }
    const ips = s.endpoints!.map((e) => e.addresses[0]);
    expect(rows(sh(c, "kubectl get endpointslices -l kubernetes.io/service-name=demoapp"))).toEqual([
      ["NAME", "ADDRESSTYPE", "PORTS", "ENDPOINTS", "AGE"],
      [s.metadata.name, "IPv4", "80", ips.join(","), "30s"],
    ]);
    const trigger = s.metadata.annotations!["endpoints.kubernetes.io/last-change-trigger-time"];
    const page = (e: EndpointSlice["endpoints"]) =>
      e!
        .map((x) => {
          const node = x.topology!["kubernetes.io/hostname"];
          return `  - Addresses:  ${x.addresses[0]}\n    Conditions:\n      Ready:    true\n    Hostname:   <unset>\n    TargetRef:  Pod/${x.targetRef!.name}\n    Topology:   kubernetes.io/hostname=${node}\n`;
        })
        .join("");
    expect(sh(c, `kubectl describe endpointslice ${s.metadata.name}`)).toBe(
      `Name:         ${s.metadata.name}
Namespace:    default
Labels:       endpointslice.kubernetes.io/managed-by=endpointslice-controller.k8s.io
              kubernetes.io/service-name=demoapp
Annotations:  endpoints.kubernetes.io/last-change-trigger-time: ${trigger}
AddressType:  IPv4
Ports:
  Name     Port  Protocol
  ----     ----  --------
  <unset>  80    TCP
Endpoints:
${page(s.endpoints)}Events:         <none>
`,
    );

    // scale up: the same slice, the old endpoints where they were, the new ones after them
    sh(c, "kubectl scale deployment demoapp --replicas=5");
    c.advance(30);
    const up = sliceOf(c, "demoapp");
    expect(up.metadata.name).toBe(s.metadata.name);
    expect(up.metadata.uid).toBe(s.metadata.uid);
    expect(up.metadata.generation).toBeGreaterThan(s.metadata.generation!);
    expect(up.endpoints!.slice(0, 3).map((e) => e.addresses[0])).toEqual(ips);
    expect(new Set(up.endpoints!.map((e) => e.addresses[0]))).toEqual(new Set(podIPs(c, "app=demoapp").values()));
    expect(up.endpoints!.length).toBe(5);
    expect(rows(sh(c, "kubectl get endpointslices -o wide"))[1]).toEqual([s.metadata.name, "IPv4", "80", `${ips.join(",")} + 2 more...`, "60s"]);

    // scale down: the removed pods leave at once (Terminating), the rest stay
    sh(c, "kubectl scale deployment demoapp --replicas=2");
    const down = sliceOf(c, "demoapp");
    expect(new Set(down.endpoints!.map((e) => e.addresses[0]))).toEqual(new Set(podIPs(c, "app=demoapp").values()));
    expect(down.endpoints!.length).toBe(2);

    // to zero: the slice stays, empty (ports and endpoints null), under the same name
    sh(c, "kubectl scale deployment demoapp --replicas=0");
    c.advance(60);
    const none = sliceOf(c, "demoapp");
    expect(none.metadata.name).toBe(s.metadata.name);
    expect([none.endpoints, none.ports]).toEqual([null, null]);
    expect(rows(sh(c, "kubectl get endpointslices"))[1].slice(0, 4)).toEqual([s.metadata.name, "IPv4", "<unset>", "<unset>"]);
    const yaml = sh(c, `kubectl get endpointslice ${s.metadata.name} -o yaml`);
    expect(yaml).toMatch(/^endpoints: null$/m);
    expect(yaml).toMatch(/^ports: null$/m);
    expect(sh(c, `kubectl describe endpointslice ${s.metadata.name}`)).toMatch(/\nAddressType:  IPv4\nPorts: <unset>\nEndpoints: <none>\nEvents:  <none>\n$/);
  });

  it("a failing readiness probe turns the endpoint's ready false after the probe periods, without leaving the slice", () => {
    const c = Cluster.create({ seed: 42 });
    c.writeFile("services-readiness-demo.yaml", READINESS);
    sh(c, "kubectl apply -f services-readiness-demo.yaml");
    // readiness starts failed: the pods are in the slice, not ready, until the first probe after 15 s
    c.advance(5);
    expect(sliceOf(c, "services-readiness-demo").endpoints!.map((e) => e.conditions.ready)).toEqual([false, false]);
    c.advance(30);
    const ready = sliceOf(c, "services-readiness-demo");
    expect(ready.endpoints!.map((e) => e.conditions.ready)).toEqual([true, true]);
    expect(ready.ports).toEqual([{ name: "http", port: 80, protocol: "TCP" }]);
    const [failName, failIP] = [...podIPs(c, "app=demoapp-with-readiness")][0];
    sh(c, `curl -X POST -d 'readyz=FAIL' ${failIP}/readyz`);
    const readyOf = () => Object.fromEntries(sliceOf(c, "services-readiness-demo").endpoints!.map((e) => [e.targetRef!.name, e.conditions.ready]));
    // failureThreshold 3 at a 10 s period: still ready after two failed probes, not ready after the third
    c.advance(20);
    expect(readyOf()[failName]).toBe(true);
    c.advance(10);
    expect(readyOf()[failName]).toBe(false);
    expect(Object.values(readyOf()).filter((r) => r).length).toBe(1);
    // the table lists every address, ready or not; describe says which
    const s = sliceOf(c, "services-readiness-demo");
    expect(rows(sh(c, "kubectl get endpointslices -l kubernetes.io/service-name=services-readiness-demo"))[1][3]).toBe(s.endpoints!.map((e) => e.addresses[0]).join(","));
    const page = sh(c, `kubectl describe endpointslice ${s.metadata.name}`);
    expect(page).toContain(`  - Addresses:  ${failIP}\n    Conditions:\n      Ready:    false\n`);
    expect(page).toContain("  Name  Port  Protocol\n  ----  ----  --------\n  http  80    TCP\n");
    // and back
    sh(c, `curl -X POST -d 'readyz=OK' ${failIP}/readyz`);
    c.advance(10);
    expect(readyOf()[failName]).toBe(true);
  });

  it("a Terminating pod leaves the slice as it leaves the Endpoints; its replacement joins", () => {
    const c = Cluster.create({ seed: 3 });
    demoapp(c, 2);
    const [victim, victimIP] = [...podIPs(c, "app=demoapp")][0];
    sh(c, `kubectl delete pod ${victim} --wait=false`);
    expect(sh(c, `kubectl get pod ${victim} --no-headers`)).toMatch(/ Terminating /);
    const during = sliceOf(c, "demoapp").endpoints!;
    expect(during.map((e) => e.addresses[0])).not.toContain(victimIP);
    const ep = JSON.parse(sh(c, "kubectl get ep demoapp -o json"));
    const epIPs = (ep.subsets ?? []).flatMap((s: { addresses?: { ip: string }[] }) => (s.addresses ?? []).map((a) => a.ip)).sort();
    expect(during.filter((e) => e.conditions.ready).map((e) => e.addresses[0]).sort()).toEqual(epIPs);
    c.advance(30);
    const after = sliceOf(c, "demoapp").endpoints!;
    expect(new Set(after.map((e) => e.addresses[0]))).toEqual(new Set(podIPs(c, "app=demoapp").values()));
    expect(after.length).toBe(2);
  });

  it("publishNotReadyAddresses keeps not-ready and terminating pods, ready", () => {
    const c = Cluster.create({ seed: 42 });
    c.writeFile("r.yaml", READINESS.replace("spec:\n  selector:", "spec:\n  publishNotReadyAddresses: true\n  selector:"));
    sh(c, "kubectl apply -f r.yaml");
    c.advance(5);
    expect(sliceOf(c, "services-readiness-demo").endpoints!.map((e) => e.conditions.ready)).toEqual([true, true]);
    const [victim] = [...podIPs(c, "app=demoapp-with-readiness")][0];
    sh(c, `kubectl delete pod ${victim} --wait=false`);
    expect(sliceOf(c, "services-readiness-demo").endpoints!.map((e) => e.targetRef!.name)).toContain(victim);
  });

  it("the Endpoints of a Service without a selector are mirrored (v1.19's EndpointSliceMirroring), and follow them", () => {
    const c = Cluster.create({ seed: 5 });
    c.writeFile(
      "ext.yaml",
      "apiVersion: v1\nkind: Service\nmetadata:\n  name: ext\nspec:\n  ports:\n  - port: 3306\n---\napiVersion: v1\nkind: Endpoints\nmetadata:\n  name: ext\n  labels:\n    db: mysql\nsubsets:\n- addresses:\n  - ip: 192.168.2.8\n  notReadyAddresses:\n  - ip: 192.168.2.9\n  ports:\n  - name: mysql\n    port: 3306\n",
    );
    sh(c, "kubectl apply -f ext.yaml");
    const ep = JSON.parse(sh(c, "kubectl get ep ext -o json"));
    const s = sliceOf(c, "ext");
    expect(s.metadata.name).toMatch(/^ext-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(s.metadata.labels).toEqual({ db: "mysql", "endpointslice.kubernetes.io/managed-by": "endpointslicemirroring-controller.k8s.io", "kubernetes.io/service-name": "ext" });
    expect(s.metadata.ownerReferences).toEqual([{ apiVersion: "v1", kind: "Endpoints", name: "ext", uid: ep.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    expect([s.endpoints, s.ports]).toEqual([
      [
        { addresses: ["192.168.2.8"], conditions: { ready: true } },
        { addresses: ["192.168.2.9"], conditions: { ready: false } },
      ],
      [{ name: "mysql", port: 3306, protocol: "TCP" }],
    ]);
    // the stored form keeps its identity only, and gives it back
    const text = c.toJSONText();
    expect(JSON.parse(text).endpointslices[`default/${s.metadata.name}`]).toEqual({ "=ep": [s.metadata.uid, s.metadata.resourceVersion, 1, s.metadata.creationTimestamp] });
    expect(Cluster.fromJSON(JSON.parse(text)).list("EndpointSlice")).toEqual(c.list("EndpointSlice"));
    // an edit of the Endpoints is mirrored into the same slice
    c.writeFile("ext2.yaml", "apiVersion: v1\nkind: Endpoints\nmetadata:\n  name: ext\nsubsets:\n- addresses:\n  - ip: 192.168.2.8\n  - ip: 192.168.2.7\n  ports:\n  - name: mysql\n    port: 3306\n");
    sh(c, "kubectl apply -f ext2.yaml");
    const edited = sliceOf(c, "ext");
    expect(edited.metadata.name).toBe(s.metadata.name);
    expect(edited.endpoints!.map((e) => [e.addresses[0], e.conditions.ready])).toEqual([["192.168.2.8", true], ["192.168.2.7", true]]);
    expect(edited.metadata.labels!.db).toBeUndefined();
    // skip-mirror, or a selector on the Service: no mirror
    sh(c, "kubectl label ep ext endpointslice.kubernetes.io/skip-mirror=true");
    expect(c.exec("kubectl get endpointslices -l kubernetes.io/service-name=ext").stderr).toBe("No resources found in default namespace.\n");
    sh(c, "kubectl label ep ext endpointslice.kubernetes.io/skip-mirror-");
    expect(sliceOf(c, "ext").endpoints!.length).toBe(2);
    sh(c, "kubectl delete ep ext");
    expect(c.exec("kubectl get endpointslices -l kubernetes.io/service-name=ext").stderr).toBe("No resources found in default namespace.\n");
  });

  it("deleting a Service deletes its slice; a deleted slice is made again; a Service that selects nothing has a placeholder", () => {
    const c = Cluster.create({ seed: 5 });
    demoapp(c, 1);
    const first = sliceOf(c, "demoapp");
    sh(c, `kubectl delete endpointslice ${first.metadata.name}`);
    const again = sliceOf(c, "demoapp");
    expect(again.metadata.name).not.toBe(first.metadata.name);
    expect(again.metadata.uid).not.toBe(first.metadata.uid);
    expect(again.endpoints!.map((e) => e.targetRef!.name)).toEqual(first.endpoints!.map((e) => e.targetRef!.name));
    // a Service that selects nothing gets an empty placeholder
    sh(c, "kubectl create service clusterip nothing --tcp=80:80");
    expect([sliceOf(c, "nothing").endpoints, sliceOf(c, "nothing").ports]).toEqual([null, null]);
    sh(c, "kubectl delete svc demoapp");
    expect(c.exec("kubectl get endpointslices -l kubernetes.io/service-name=demoapp -o name")).toEqual({ stdout: "", stderr: "", exitCode: 0 }); // -o name prints an empty List as nothing (printGeneric)
    // slices are written by the controller: a manifest of one is refused, the cluster unchanged
    const before = c.toJSONText();
    const r = c.exec("kubectl apply -f -", { stdin: `apiVersion: discovery.k8s.io/v1beta1\nkind: EndpointSlice\nmetadata:\n  name: mine\naddressType: IPv4\nendpoints: []\n` });
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr).toContain("EndpointSlices are written by the EndpointSlice controller");
    expect(c.toJSONText()).toBe(before);
  });

  it("stores a slice as its pods' names and restores it exactly", () => {
    const c = Cluster.create({ seed: 42 });
    demoapp(c, 3);
    c.writeFile("services-readiness-demo.yaml", READINESS);
    sh(c, "kubectl apply -f services-readiness-demo.yaml");
    c.advance(40);
    const text = c.toJSONText();
    const stored = JSON.parse(text).endpointslices as Record<string, unknown>;
    const s = sliceOf(c, "demoapp");
    expect(stored[`default/${s.metadata.name}`]).toEqual({
      "=svc": [s.metadata.uid, s.metadata.resourceVersion, 1, s.metadata.creationTimestamp, s.metadata.annotations!["endpoints.kubernetes.io/last-change-trigger-time"], s.endpoints!.map((e) => e.targetRef!.name)],
    });
    // kube-dns's slice is derived with the rest of kube-system: not stored while unchanged
    expect(Object.keys(stored).some((k) => k.startsWith("kube-system/"))).toBe(false);
    const d = Cluster.fromJSON(JSON.parse(text));
    expect(d.list("EndpointSlice")).toEqual(c.list("EndpointSlice"));
    expect(d.toJSONText()).toBe(text);
    // scaling coredns changes kube-dns's slice, which is then stored, and restored
    sh(d, "kubectl scale deployment coredns -n kube-system --replicas=1");
    d.advance(40);
    expect(sliceOf(d, "kube-dns", "kube-system").endpoints!.length).toBe(1);
    const e = Cluster.fromJSON(JSON.parse(d.toJSONText()));
    expect(e.list("EndpointSlice")).toEqual(d.list("EndpointSlice"));
  });
});
