// Saving a cluster reuses each Node's, ReplicaSet's, Deployment's and Service's compact stored form while its
// resourceVersion (and its Deployment's) is unchanged (engine/stored-memo.ts). The whole suite runs with the memo
// verifying itself (tests/setup/self-checks.ts); these tests show that check has teeth, and that every
// write through the engine still reaches the stored form.
import { describe, expect, it } from "vitest";
import { Cluster } from "../engine/index.ts";
import type { Deployment, Endpoints, Pod, Service } from "../engine/index.ts";
import { StaleStoredMemoError } from "../engine/stored-memo.ts";

const DEMOAPP = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: demoapp
spec:
  replicas: 2
  selector:
    matchLabels:
      app: demoapp
  template:
    metadata:
      labels:
        app: demoapp
    spec:
      containers:
      - name: demoapp
        image: ikubernetes/demoapp:v1.0
        readinessProbe:
          httpGet:
            path: /readyz
            port: 80
          periodSeconds: 5
---
apiVersion: v1
kind: Service
metadata:
  name: demoapp-svc
spec:
  selector:
    app: demoapp
  ports:
  - port: 80
`;

function cluster(): Cluster {
  const c = Cluster.create({ seed: 3 });
  c.writeFile("demoapp.yaml", DEMOAPP);
  expect(c.exec("kubectl apply -f demoapp.yaml").exitCode).toBe(0);
  c.advance(30);
  c.toJSONText(); // fills the memo
  return c;
}

/** Saved, restored and saved again: what a later request of the same student would load. */
function reloaded(c: Cluster): Cluster {
  return Cluster.fromJSON(c.toJSONText());
}

describe("stored-form memo", () => {
  it("every write through the engine reaches the stored form (labels, scale, apply, a rollout, probes)", () => {
    const c = cluster();
    c.writeFile("v11.yaml", DEMOAPP.replace("demoapp:v1.0", "demoapp:v1.1").replace("  - port: 80", "  - port: 8080"));
    const steps = [
      "kubectl label node node01 zone=a",
      "kubectl label svc demoapp-svc tier=web",
      "kubectl label deploy demoapp team=x",
      "kubectl label rs --all gen=1",
      "kubectl scale deploy demoapp --replicas=4",
      "kubectl apply -f v11.yaml", // a rollout: a new ReplicaSet, the old one scaled down; the Service's port
      "kubectl label node node01 zone-",
    ];
    for (const line of steps) {
      expect(c.exec(line).exitCode, line).toBe(0);
      c.advance(5);
      const again = reloaded(c);
      expect(again.toJSONText()).toBe(c.toJSONText());
      for (const kind of ["Node", "Deployment", "ReplicaSet", "Service"] as const) expect(again.list(kind)).toEqual(c.list(kind));
    }
    // the manifest's replicas win over the earlier scale, as kubectl apply's merge has it
    expect((reloaded(c).get("Deployment", "demoapp") as Deployment).spec).toMatchObject({ replicas: 2, template: { spec: { containers: [{ image: "ikubernetes/demoapp:v1.1" }] } } });
    expect(reloaded(c).list("ReplicaSet", { namespace: "default" })).toHaveLength(2);
    expect((reloaded(c).get("Service", "demoapp-svc") as Service).spec.ports![0].port).toBe(8080);
    expect(reloaded(c).get("Node", "node01").metadata.labels).not.toHaveProperty("zone");
  });

  it("a request that changes an app's own state (demoapp's readyz flag) reaches the stored form before any probe", () => {
    const c = cluster();
    const pod = c.list("Pod")[0] as Pod;
    expect(c.exec(`curl -s -X POST -d readyz=FAIL ${pod.status.podIP}/readyz`, { host: "node01" }).exitCode).toBe(0);
    const again = reloaded(c); // no time passed: the pod object itself is unchanged
    expect(again.toJSONText()).toBe(c.toJSONText());
    expect(again.exec(`curl -s ${pod.status.podIP}/readyz`, { host: "node01" }).stdout).toBe(c.exec(`curl -s ${pod.status.podIP}/readyz`, { host: "node01" }).stdout);
    c.advance(30); // the probe fails now: the pod leaves the Service's endpoints, in the restored cluster too
    const later = reloaded(c);
    expect((later.get("Endpoints", "demoapp-svc") as Endpoints).subsets?.[0].notReadyAddresses?.map((a) => a.ip)).toEqual([pod.status.podIP]);
  });

  it.each([
    ["a Node", (c: Cluster) => (c.state.nodes.node01.metadata.labels!.zone = "b")],
    ["a Service", (c: Cluster) => (Object.values(c.state.services).find((s) => s.metadata.name === "demoapp-svc")!.metadata.annotations!["kubectl.kubernetes.io/last-applied-configuration"] = "{}\n")],
    ["a Deployment", (c: Cluster) => (Object.values(c.state.deployments)[0].spec.template.spec.containers[0].image = "x:1")],
    ["a ReplicaSet", (c: Cluster) => (Object.values(c.state.replicasets)[0].spec.replicas = 9)],
  ])("a write to %s that keeps its resourceVersion is caught when the cluster is saved", (_what, write) => {
    const c = cluster();
    write(c);
    expect(() => c.toJSONText()).toThrow(StaleStoredMemoError);
  });
});
