// Graceful deletion as a student sees it: a deleted pod (scale down, kubectl delete, a new template) shows
// Terminating for its grace period, leaves the Endpoints at once, and is gone when the period is over; kubectl
// delete waits for it on the virtual clock unless told not to; --grace-period and --force --grace-period=0 as v1.19.
import { describe, expect, it } from "vitest";
import { Cluster } from "../engine/index.ts";
import { runCheck } from "../engine/grading/index.ts";

function run(c: Cluster, line: string): { out: string; err: string } {
  const r = c.exec(line);
  expect(r.exitCode, `${line}: ${r.stderr}`).toBe(0);
  return { out: r.stdout, err: r.stderr };
}

function setup(): Cluster {
  const c = Cluster.create({ seed: 3 });
  run(c, "kubectl create deployment demoapp --image=ikubernetes/demoapp:v1.0 --replicas=3");
  run(c, "kubectl expose deployment demoapp --port=80");
  c.advance(30);
  return c;
}

const statuses = (c: Cluster) =>
  run(c, "kubectl get po --no-headers").out.trim().split("\n").map((l) => l.split(/\s+/)[2]);
const endpointIPs = (c: Cluster) => run(c, "kubectl get ep demoapp -o jsonpath='{.subsets[*].addresses[*].ip}'").out.split(" ").filter(Boolean);

describe("graceful deletion", () => {
  it("scale down: the removed pod is Terminating for 30 s, out of the Endpoints at once, then gone", () => {
    const c = setup();
    run(c, "kubectl scale deployment demoapp --replicas=2");
    expect(statuses(c).sort()).toEqual(["Running", "Running", "Terminating"]);
    expect(endpointIPs(c)).toHaveLength(2);
    const line = run(c, "kubectl get po --no-headers").out.split("\n").find((l) => l.includes("Terminating"))!;
    const name = line.split(/\s+/)[0];
    expect(run(c, `kubectl get po ${name} -o jsonpath='{.metadata.deletionGracePeriodSeconds}'`).out).toBe("30");
    expect(run(c, `kubectl describe po ${name}`).out).toMatch(/Status:\s+Terminating \(lasts <invalid>\)\n/);
    expect(run(c, `kubectl describe po ${name}`).out).toMatch(/Normal\s+Killing\s+0s\s+kubelet\s+Stopping container demoapp\n/);
    run(c, "sleep 29");
    expect(statuses(c)).toContain("Terminating");
    run(c, "sleep 1");
    expect(statuses(c)).toEqual(["Running", "Running"]);
  });

  it("kubectl delete pod waits out the grace period on the virtual clock; --wait=false returns at once", () => {
    const c = setup();
    const [a, b] = run(c, "kubectl get po -o name").out.trim().split("\n");
    const t0 = c.nowSeconds();
    expect(run(c, `kubectl delete ${a}`).out).toBe(`pod "${a.slice(4)}" deleted\n`);
    expect(c.nowSeconds() - t0).toBe(30);
    expect(run(c, "kubectl get po -o name").out).not.toContain(a);
    const t1 = c.nowSeconds();
    run(c, `kubectl delete ${b} --wait=false`);
    expect(c.nowSeconds()).toBe(t1);
    expect(run(c, `kubectl get ${b} --no-headers`).out).toMatch(/Terminating/);
    // The replacement is there already: the ReplicaSet does not count a terminating pod.
    expect(statuses(c).filter((s) => s !== "Terminating")).toHaveLength(3);
  });

  it("--grace-period=N sets the period; --grace-period=0 alone means 1; --force --grace-period=0 deletes at once with kubectl's warning", () => {
    const c = setup();
    const [a, b, d] = run(c, "kubectl get po -o name").out.trim().split("\n");
    run(c, `kubectl delete ${a} --grace-period=5 --wait=false`);
    expect(run(c, `kubectl get ${a} -o jsonpath='{.metadata.deletionGracePeriodSeconds}'`).out).toBe("5");
    run(c, "sleep 5");
    expect(c.exec(`kubectl get ${a}`).stderr).toBe(`Error from server (NotFound): pods "${a.slice(4)}" not found\n`);
    run(c, `kubectl delete ${b} --grace-period=0 --wait=false`);
    expect(run(c, `kubectl get ${b} -o jsonpath='{.metadata.deletionGracePeriodSeconds}'`).out).toBe("1");
    const t = c.nowSeconds();
    const forced = run(c, `kubectl delete ${d} --force --grace-period=0`);
    expect(forced.err).toBe(
      "warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n",
    );
    expect(forced.out).toBe(`pod "${d.slice(4)}" force deleted\n`);
    expect(c.nowSeconds()).toBe(t);
    expect(c.exec(`kubectl get ${d}`).exitCode).toBe(1);
  });

  it("a new pod template: the old pods terminate while the new ones serve", () => {
    const c = setup();
    run(c, "kubectl set image deployment/demoapp demoapp=ikubernetes/demoapp:v1.1");
    const st = statuses(c);
    expect(st.filter((s) => s === "Terminating")).toHaveLength(3);
    c.advance(30);
    expect(statuses(c)).toEqual(["Running", "Running", "Running"]);
  });

  it("the grader counts Terminating pods neither as pods (Ready or not) nor their addresses as Ready endpoints", () => {
    const c = setup();
    run(c, "kubectl scale deployment demoapp --replicas=2");
    expect(c.list("Pod", { selector: "app=demoapp" })).toHaveLength(3);
    const pods = runCheck({ cluster: c }, { type: "select", kind: "Pod", selector: "app=demoapp", readyOnly: true, count: 2 });
    expect(pods.passed, pods.explanation).toBe(true);
    // nor as pods at all, while kubectl still lists the Terminating one
    const all = runCheck({ cluster: c }, { type: "select", kind: "Pod", selector: "app=demoapp", count: 2 });
    expect(all.passed, all.explanation).toBe(true);
    expect(run(c, "kubectl get pods -l app=demoapp --no-headers").out).toMatch(/ Terminating /);
    const eps = runCheck({ cluster: c }, { type: "endpoints", service: "demoapp", ready: 2, notReady: 0 });
    expect(eps.passed, eps.explanation).toBe(true);
  });
});
