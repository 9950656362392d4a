// Cluster.changeMark() (engine/change-mark.ts): equal marks ⇔ an identical stored text, so the API can skip
// serialising (and hashing) the state after a command that changed nothing. The whole suite checks the "⇒" on every
// public write (tests/setup/self-checks.ts, changeChecks); here every lab's reference solution is run line by line
// and both directions are asserted, each write path the mark relies on is taken on its own, and the check is shown
// to catch a write that moves nothing the mark reads.
import { describe, expect, it } from "vitest";
import { Cluster } from "../engine/index.ts";
import { createLabCluster, runCommands, runReplayOp } from "../engine/grading/index.ts";
import { changeChecks } from "../engine/change-mark.ts";
import { StaleStoredMemoError } from "../engine/stored-memo.ts";
import { LABS } from "../labs/catalog.ts";

/** Runs `step` and says whether the mark moved and whether the stored text did. */
function observe(c: Cluster, step: () => unknown): { mark: boolean; text: boolean } {
  const m = c.changeMark();
  const t = c.toJSONText();
  step();
  return { mark: c.changeMark() !== m, text: c.toJSONText() !== t };
}

describe("the change mark", () => {
  for (const lab of LABS.filter((l) => l.solution.length > 0))
    it(`moves exactly on the lines that change the stored text: lab ${lab.slug}'s solution`, () => {
      const c = createLabCluster(lab, 5000);
      for (const entry of lab.solution) {
        const seen = observe(c, () => runCommands(c, [entry]));
        expect(seen.mark, `${lab.slug}: ${entry.line}`).toBe(seen.text);
      }
    });

  it("moves on each write path that leaves the resourceVersion and the clock alone, and only then", () => {
    const c = Cluster.create({ seed: 7, topology: { proxyMode: "ipvs" } });
    const cases: [string, () => unknown, boolean][] = [
      ["a file written", () => c.exec("echo hi > a.txt"), true],
      ["the same text written again", () => c.writeFile("a.txt", "hi\n"), false],
      ["a file copied", () => c.exec("cp a.txt b.txt"), true],
      ["a file moved", () => c.exec("mv b.txt c.txt"), true],
      ["a file removed", () => c.exec("rm c.txt"), true],
      ["a missing file removed", () => c.exec("rm -f nothing.txt"), false],
      ["an address added", () => c.exec("ip addr add 192.168.0.77/24 dev eth0"), true],
      ["the same address refused", () => c.exec("ip addr add 192.168.0.77/24 dev eth0"), false],
      ["an address removed", () => c.exec("ip addr del 192.168.0.77/24 dev eth0"), true],
      ["a refused address on a node with none (its list is stored, empty)", () => c.exec("ssh node01 ip addr add 192.168.0.11/24 dev eth0"), true],
      ["a read", () => c.exec("kubectl get pods -A -o wide"), false],
      ["a failing command", () => c.exec("kubectl get deploy nothing"), false],
      ["a namespace made", () => c.exec("kubectl create namespace dev"), true],
      ["an empty namespace deleted (no new resourceVersion)", () => c.exec("kubectl delete namespace dev"), true],
      ["a sleep", () => c.exec("sleep 5"), true],
      ["a sleep of nothing", () => c.exec("sleep 0"), false],
    ];
    for (const [what, step, moves] of cases) {
      const seen = observe(c, step);
      expect(seen, what).toEqual({ mark: moves, text: moves });
    }
  });

  it("moves on a request's round-robin and session-affinity records and on an app's state", () => {
    const c = Cluster.create({ seed: 7, topology: { proxyMode: "ipvs" } });
    c.writeFile(
      "d.yaml",
      `apiVersion: apps/v1
kind: Deployment
metadata: {name: demoapp}
spec:
  replicas: 2
  selector: {matchLabels: {app: demoapp}}
  template:
    metadata: {labels: {app: demoapp}}
    spec:
      containers:
      - {name: demoapp, image: ikubernetes/demoapp:v1.0}
`,
    );
    c.exec("kubectl apply -f d.yaml");
    c.exec("kubectl expose deployment demoapp --port 80");
    c.advance(30);
    const ip = (c.get("Service", "demoapp", "default") as { spec: { clusterIP: string } }).spec.clusterIP;
    // round robin (ipvs): each request moves the cursor
    expect(observe(c, () => c.exec(`curl -s ${ip}`))).toEqual({ mark: true, text: true });
    // the app's state: demoapp's readyz flag set through a request
    expect(observe(c, () => c.exec(`curl -s -X POST -d readyz=FAIL ${ip}/readyz`))).toEqual({ mark: true, text: true });
    // session affinity: a new record, then the same one touched again at the same second (no change), then later
    const svc = c.get("Service", "demoapp", "default") as unknown as Record<string, unknown> & { spec: Record<string, unknown> };
    c.replace({ ...svc, spec: { ...svc.spec, sessionAffinity: "ClientIP" } });
    expect(observe(c, () => c.request({ from: { kind: "node", node: "master01" }, host: ip }))).toEqual({ mark: true, text: true });
    expect(observe(c, () => c.request({ from: { kind: "node", node: "master01" }, host: ip }))).toEqual({ mark: false, text: false });
    c.advance(1);
    expect(observe(c, () => c.request({ from: { kind: "node", node: "master01" }, host: ip }))).toEqual({ mark: true, text: true });
  });

  it("moves on kubelet's probe bookkeeping when time passes, and on an API operation that changes nothing not at all", () => {
    const lab = LABS.find((l) => l.slug === "clusterip-services")!;
    const c = createLabCluster(lab, 11);
    expect(observe(c, () => c.advance(7))).toEqual({ mark: true, text: true });
    const pod = Object.keys(c.state.pods).find((k) => k.startsWith("default/"))!.slice("default/".length);
    // a label the pod already has, without overwrite: refused, nothing written
    c.label("Pod", pod, "default", { set: { mark: "one" }, remove: [], overwrite: true } as never);
    expect(
      observe(c, () => runReplayOp(c, { op: "label", kind: "Pod", names: [pod], namespace: "default", set: [["mark", "two"]], remove: [], overwrite: false })),
    ).toEqual({ mark: false, text: false });
  });

  it("the suite's check catches a write that moves nothing the mark reads", () => {
    const c = Cluster.create({ seed: 2 });
    // a public write during which something changes the state behind the engine's back (a write the engine would
    // have noted, network/proxy.ts's round-robin cursor): the object's kind is read, and the getter writes
    const sneaky = {
      apiVersion: "v1",
      get kind() {
        c.state.rr["default/x:80"] = 3;
        return "Nope";
      },
      metadata: { name: "x" },
    };
    const m = c.changeMark();
    const before = c.toJSONText();
    c.apply([sneaky]);
    expect(c.changeMark()).toBe(m);
    expect(c.toJSONText()).not.toBe(before);
    expect(changeChecks.violations.splice(0)).toEqual(["apply changed the cluster's stored text without moving its change mark"]);
  });
});

describe("a parsed text kept for the first save (fromJSON keepText: a reset)", () => {
  const lab = LABS.find((l) => l.slug === "clusterip-services")!;
  const text = createLabCluster(lab, 5000).toJSONText();

  it("answers the parsed text while nothing changed, and once only", () => {
    const c = Cluster.fromJSON(text, { keepText: true });
    c.exec("kubectl get pods");
    expect(c.toJSONText()).toBe(text);
    expect(c.toJSONText()).toBe(text); // computed again: the same bytes
  });

  it("is not answered after a change", () => {
    const c = Cluster.fromJSON(text, { keepText: true });
    c.exec("kubectl label pods --all extra=yes");
    const saved = c.toJSONText();
    expect(saved).not.toBe(text);
    const again = Cluster.fromJSON(text);
    again.exec("kubectl label pods --all extra=yes");
    expect(again.toJSONText()).toBe(saved);
  });

  it("is checked against the state while the memos verify themselves (the suite): a stale one throws", () => {
    const c = Cluster.fromJSON(text, { keepText: true });
    c.state.files.master01 = { "/root/x": "behind its back" }; // moves nothing the mark reads
    expect(() => c.toJSONText()).toThrow(StaleStoredMemoError);
  });
});
