// Orphan and adopt, as a student sees them in the terminal: taking a pod out of rotation by removing its label
// (the ReplicaSet releases it and makes a replacement; the Service drops it), putting it back (adopted again, the
// surplus deleted), and the same between a Deployment and its ReplicaSets.
import { describe, expect, it } from "vitest";
import { Cluster } from "../engine/index.ts";

function run(c: Cluster, line: string): string {
  const r = c.exec(line);
  expect(r.stderr, line).toBe("");
  expect(r.exitCode, line).toBe(0);
  return r.stdout;
}

function names(c: Cluster, selector: string): string[] {
  return run(c, `kubectl get po -l ${selector} -o jsonpath='{.items[*].metadata.name}'`).split(" ").filter(Boolean);
}

function setup(): Cluster {
  const c = Cluster.create({ seed: 3 });
  run(c, "kubectl create deployment demoapp --image=ikubernetes/demoapp:v1.0 --replicas=3");
  run(c, "kubectl expose deployment demoapp --port=80");
  c.advance(30);
  return c;
}

describe("ReplicaSet releases and adopts pods by their labels", () => {
  it("a pod whose label is removed is orphaned, still Running, out of the Endpoints, and replaced", () => {
    const c = setup();
    const before = names(c, "app=demoapp");
    expect(before).toHaveLength(3);
    const victim = before[0];
    const victimIP = run(c, `kubectl get po ${victim} -o jsonpath='{.status.podIP}'`);
    expect(run(c, `kubectl label pod/${victim} app-`)).toBe(`pod/${victim} labeled\n`);
    expect(run(c, `kubectl get po ${victim} -o jsonpath='{.metadata.ownerReferences}'`)).toBe("");
    expect(run(c, `kubectl get po ${victim} -o jsonpath='{.status.phase}'`)).toBe("Running");
    const after = names(c, "app=demoapp");
    expect(after).toHaveLength(3);
    expect(after).not.toContain(victim);
    c.advance(30);
    expect(run(c, "kubectl get deploy demoapp --no-headers").split(/\s+/).slice(0, 4)).toEqual(["demoapp", "3/3", "3", "3"]);
    const eps = run(c, "kubectl get endpoints demoapp -o jsonpath='{.subsets[*].addresses[*].ip}'").split(" ");
    expect(eps).toHaveLength(3);
    expect(eps).not.toContain(victimIP);
    // The orphan keeps its spec after its ReplicaSet moves on.
    expect(run(c, `kubectl get po ${victim} -o jsonpath='{.spec.containers[0].image}'`)).toBe("ikubernetes/demoapp:v1.0");
  });

  it("an orphan whose labels match again is adopted and the surplus pod deleted", () => {
    const c = setup();
    const victim = names(c, "app=demoapp")[1];
    run(c, `kubectl label pod/${victim} app-`);
    c.advance(30);
    run(c, `kubectl label pod/${victim} app=demoapp`);
    const owner = run(c, `kubectl get po ${victim} -o jsonpath='{.metadata.ownerReferences[0].kind}/{.metadata.ownerReferences[0].name}'`);
    expect(owner).toMatch(/^ReplicaSet\/demoapp-[a-z0-9]+$/);
    const live = run(c, "kubectl get po -l app=demoapp -o jsonpath='{range .items[*]}{.metadata.name} {.metadata.deletionTimestamp}{\"\\n\"}{end}'")
      .trim()
      .split("\n")
      .filter((l) => l.trim().split(" ").length === 1);
    expect(live).toHaveLength(3);
    expect(run(c, "kubectl describe rs")).toMatch(/SuccessfulDelete .*Deleted pod: demoapp-/);
  });

  it("a bare pod created with matching labels is adopted, and as the newest, not-ready pod it is the surplus deleted", () => {
    const c = setup();
    const hash = run(c, "kubectl get rs -o jsonpath='{.items[0].metadata.labels.pod-template-hash}'");
    run(c, `kubectl run stray --image=ikubernetes/demoapp:v1.0 --labels=app=demoapp,pod-template-hash=${hash}`);
    expect(run(c, "kubectl describe rs")).toContain("Deleted pod: stray");
    expect(names(c, "app=demoapp")).toHaveLength(3);
  });
});

describe("Deployment releases and adopts ReplicaSets", () => {
  it("a ReplicaSet whose labels stop matching is released, and the Deployment makes a new one", () => {
    const c = setup();
    const rs = run(c, "kubectl get rs -o jsonpath='{.items[0].metadata.name}'");
    run(c, `kubectl label rs/${rs} app-`);
    c.advance(30);
    expect(run(c, `kubectl get rs ${rs} -o jsonpath='{.metadata.ownerReferences}'`)).toBe("");
    const all = run(c, "kubectl get rs -o jsonpath='{.items[*].metadata.name}'").split(" ");
    expect(all).toHaveLength(2);
    const fresh = all.find((n) => n !== rs)!;
    expect(run(c, `kubectl get rs ${fresh} -o jsonpath='{.metadata.ownerReferences[0].name}'`)).toBe("demoapp");
    expect(run(c, "kubectl get deploy demoapp -o jsonpath='{.status.collisionCount}'")).toBe("1");
    // Labels back: adopted again, and as the oldest ReplicaSet with the Deployment's template it is the new one again
    // (FindNewReplicaSet), at the next revision; the one made in its place is old now, scaled to 0.
    run(c, `kubectl label rs/${rs} app=demoapp`);
    c.advance(30);
    expect(run(c, `kubectl get rs ${rs} -o jsonpath='{.metadata.ownerReferences[0].name} {.spec.replicas} {.metadata.annotations.deployment\\.kubernetes\\.io/revision}'`)).toBe("demoapp 3 2");
    expect(run(c, `kubectl get rs ${fresh} -o jsonpath='{.spec.replicas}'`)).toBe("0");
    expect(run(c, "kubectl get deploy demoapp -o jsonpath='{.status.conditions[1].message}'")).toBe(`ReplicaSet "${rs}" has successfully progressed.`);
    expect(run(c, "kubectl get pods -l app=demoapp --no-headers").trim().split("\n").filter((l) => / Running /.test(l))).toHaveLength(3);
  });
});
