// Pods are remembered between reads (engine/pod-reads.ts): a read of an unchanged pod reuses its spec and status,
// frozen and shared. The whole suite runs with every hit checked against the pod built again
// (tests/setup/self-checks.ts); these tests show that the check has teeth, that every change a reader can see
// reaches the next read, and that nothing a reader does to what it got reaches the next reader.
import { describe, expect, it } from "vitest";
import { Cluster } from "../engine/index.ts";
import type { Pod } from "../engine/index.ts";
import { StalePodReadError } from "../engine/pod-reads.ts";

const DEMOAPP = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: demoapp
spec:
  replicas: 3
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
`;

function cluster(): Cluster {
  const c = Cluster.create({ seed: 5 });
  c.writeFile("demoapp.yaml", DEMOAPP);
  expect(c.exec("kubectl apply -f demoapp.yaml").exitCode).toBe(0);
  c.advance(30);
  return c;
}

/** The same cluster restored from its stored text: its pods built afresh (nothing remembered for its records). */
function fresh(c: Cluster): Cluster {
  return Cluster.fromJSON(c.toJSONText());
}

const pods = (c: Cluster) => c.list("Pod", { namespace: "default" }) as Pod[];
const ready = (p: Pod) => p.status.conditions?.find((x) => x.type === "Ready")?.status;

describe("remembered pod reads", () => {
  it("read twice, a pod is the same as one built afresh; its spec and status are frozen, its metadata the reader's own", () => {
    const c = cluster();
    const first = pods(c);
    const second = pods(c);
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
    expect(JSON.stringify(second)).toBe(JSON.stringify(pods(fresh(c))));
    expect(c.exec("kubectl get pods -o yaml").stdout).toBe(fresh(c).exec("kubectl get pods -o yaml").stdout);
    const p = second[0];
    expect(Object.isFrozen(p.spec) && Object.isFrozen(p.spec.containers[0]) && Object.isFrozen(p.status)).toBe(true);
    expect(() => {
      (p.spec.containers[0] as { image: string }).image = "changed:1";
    }).toThrow(TypeError);
    // what a reader may change is its own
    p.metadata.labels!.app = "changed";
    p.metadata.name = "changed";
    (p as { status: unknown }).status = { phase: "Failed" };
    const again = c.get("Pod", first[0].metadata.name, "default") as Pod;
    expect(JSON.stringify(again)).toBe(JSON.stringify(first[0]));
  });

  it("every change a reader sees reaches the next read: readiness, a label, a deletion", () => {
    const c = cluster();
    const [a, b] = pods(c);
    expect(ready(a)).toBe("True");
    expect(c.exec(`curl -s -X POST -d readyz=FAIL ${a.status.podIP}/readyz`, { host: "node01" }).exitCode).toBe(0);
    c.advance(20); // the readiness probe fails three times
    expect(ready(c.get("Pod", a.metadata.name, "default") as Pod)).toBe("False");
    expect(c.exec(`kubectl label pod ${b.metadata.name} tier=web`).exitCode).toBe(0);
    expect((c.get("Pod", b.metadata.name, "default") as Pod).metadata.labels).toMatchObject({ tier: "web" });
    expect(c.exec(`kubectl delete pod ${b.metadata.name} --wait=false`).exitCode).toBe(0);
    expect((c.get("Pod", b.metadata.name, "default") as Pod).metadata.deletionTimestamp).toBeDefined();
    expect(JSON.stringify(pods(c))).toBe(JSON.stringify(pods(fresh(c))));
    c.advance(60);
    expect(pods(c).map((p) => p.metadata.name)).not.toContain(b.metadata.name);
    expect(JSON.stringify(pods(c))).toBe(JSON.stringify(pods(fresh(c))));
  });

  it("a Pending pod's scheduling message, which changes without a new resourceVersion, reaches the next read", () => {
    const c = Cluster.create({ seed: 5 });
    c.writeFile("p.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: stuck}\nspec:\n  nodeSelector: {disktype: none}\n  containers:\n  - {name: app, image: ikubernetes/demoapp:v1.0}\n");
    expect(c.exec("kubectl apply -f p.yaml").exitCode).toBe(0);
    const message = () => (c.get("Pod", "stuck", "default") as Pod).status.conditions?.find((x) => x.type === "PodScheduled")?.message;
    const before = message();
    expect(before).toContain("didn't match node selector");
    expect(c.exec("kubectl taint node node01 lab=x:NoSchedule").exitCode).toBe(0);
    expect(message()).not.toBe(before);
    expect(message()).toContain("{lab: x}");
  });

  it("a change to a pod that keeps its resourceVersion is caught on the next read", () => {
    const c = cluster();
    const name = pods(c)[0].metadata.name;
    c.state.pods[`default/${name}`].phase = "Failed";
    expect(() => c.get("Pod", name, "default")).toThrow(StalePodReadError);
  });
});
