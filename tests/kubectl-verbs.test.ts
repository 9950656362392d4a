// kubectl set image, rollout status|history|undo|restart and annotate in the terminal, with v1.19's output and errors.
import { describe, expect, it } from "vitest";
import { Cluster } from "../engine/index.ts";

function sh(c: Cluster, line: string) {
  const r = c.exec(line);
  return { out: r.stdout, err: r.stderr, code: r.exitCode };
}

function setup(): Cluster {
  const c = Cluster.create({ seed: 3 });
  sh(c, "kubectl create deployment demoapp --image=ikubernetes/demoapp:v1.0 --replicas=3");
  c.advance(30);
  return c;
}

describe("kubectl set image and rollout", () => {
  it("set image starts a new revision; history lists both; undo goes back and renumbers; restart adds restartedAt", () => {
    const c = setup();
    expect(sh(c, "kubectl set image deployment/demoapp demoapp=ikubernetes/demoapp:v1.1").out).toBe("deployment.apps/demoapp image updated\n");
    expect(sh(c, "kubectl set image deployment/demoapp demoapp=ikubernetes/demoapp:v1.1")).toEqual({ out: "", err: "", code: 0 });
    expect(sh(c, "kubectl set image deployment/demoapp nosuch=x")).toEqual({ out: "", err: 'error: unable to find container named "nosuch"\n', code: 1 });
    expect(sh(c, "kubectl set image deployment/demoapp")).toMatchObject({ err: "error: at least one image update is required\nSee 'kubectl set image -h' for help and examples\n", code: 1 });
    expect(sh(c, "kubectl rollout status deployment/demoapp").out).toMatch(/deployment "demoapp" successfully rolled out\n$/);
    expect(sh(c, "kubectl rollout history deployment/demoapp").out).toBe("deployment.apps/demoapp \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n");
    expect(sh(c, "kubectl rollout undo deployment/demoapp").out).toBe("deployment.apps/demoapp rolled back\n");
    expect(sh(c, "kubectl get deploy demoapp -o jsonpath={.spec.template.spec.containers[0].image}").out).toBe("ikubernetes/demoapp:v1.0");
    expect(sh(c, "kubectl rollout history deployment/demoapp").out).toBe("deployment.apps/demoapp \nREVISION  CHANGE-CAUSE\n2         <none>\n3         <none>\n\n");
    expect(sh(c, "kubectl rollout undo deployment/demoapp --to-revision=3").out).toBe("deployment.apps/demoapp skipped rollback (current template already matches revision 3)\n");
    expect(sh(c, "kubectl rollout undo deployment/demoapp --to-revision=9")).toMatchObject({ err: "error: unable to find specified revision 9 in history\n", code: 1 });
    expect(sh(c, "kubectl rollout restart deployment/demoapp").out).toBe("deployment.apps/demoapp restarted\n");
    expect(sh(c, "kubectl get deploy demoapp -o jsonpath={.spec.template.metadata.annotations}").out).toMatch(/^\{"kubectl.kubernetes.io\/restartedAt":"2021-12-05T16:00:\d\dZ"\}$/);
    expect(sh(c, "kubectl get rs --no-headers").out.trim().split("\n")).toHaveLength(3);
    expect(sh(c, "kubectl rollout status svc/kubernetes")).toMatchObject({ err: "error: no status viewer has been implemented for { Service}\n", code: 1 });
  });

  it("rollout status waits on the virtual clock while pods become ready", () => {
    const c = Cluster.create({ seed: 4 });
    sh(c, "kubectl create deployment slow --image=ikubernetes/demoapp:v1.0 --replicas=2");
    const t = c.nowSeconds();
    const r = sh(c, "kubectl rollout status deployment slow");
    expect(r.out.endsWith('deployment "slow" successfully rolled out\n')).toBe(true);
    expect(c.nowSeconds()).toBeGreaterThanOrEqual(t);
  });
});

describe("kubectl annotate", () => {
  it("sets, refuses to overwrite without --overwrite (kubectl's text), removes, lists", () => {
    const c = setup();
    expect(sh(c, "kubectl annotate deployment demoapp owner='team-a: ops' note=1").out).toBe("deployment.apps/demoapp annotated\n");
    expect(sh(c, "kubectl annotate deployment demoapp note=2")).toMatchObject({ err: "error: --overwrite is false but found the following declared annotation(s): 'note' already has a value (1)\n", code: 1 });
    expect(sh(c, "kubectl annotate deployment demoapp note=2 --overwrite").out).toBe("deployment.apps/demoapp annotated\n");
    expect(sh(c, "kubectl annotate deployment demoapp note- missing-").out).toBe("deployment.apps/demoapp annotated\n");
    expect(sh(c, "kubectl annotate deployment demoapp --list").out).toContain("owner=team-a: ops\n");
    expect(sh(c, "kubectl annotate deployment demoapp x=1 x-")).toMatchObject({ err: "error: can not both modify and remove the following annotation(s) in the same command: x\n", code: 1 });
    expect(sh(c, "kubectl annotate deployment demoapp 'bad key=1'").err).toMatch(/^The Deployment "demoapp" is invalid: metadata.annotations: Invalid value: "bad key": /);
    expect(sh(c, "kubectl describe deployment demoapp").out).toMatch(/Annotations: +deployment\.kubernetes\.io\/revision: 1\n +owner: team-a: ops\n/);
    // A pure annotation change is not a new template: no new ReplicaSet.
    expect(sh(c, "kubectl get rs --no-headers").out.trim().split("\n")).toHaveLength(1);
  });
});

const AGENT = (strategy: string) => `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
  namespace: ops
spec:
  selector:
    matchLabels:
      app: agent
  updateStrategy:
    type: ${strategy}
  template:
    metadata:
      labels:
        app: agent
    spec:
      containers:
      - name: agent
        image: ikubernetes/demoapp:v1.0
        readinessProbe:
          initialDelaySeconds: 5
          periodSeconds: 1
          tcpSocket:
            port: 80
`;

describe("kubectl rollout status|restart for DaemonSets", () => {
  function agent(strategy = "RollingUpdate"): Cluster {
    const c = Cluster.create({ seed: 7 });
    sh(c, "kubectl create namespace ops");
    expect(c.exec("kubectl apply -f -", { stdin: AGENT(strategy) }).stdout).toBe("daemonset.apps/agent created\n");
    return c;
  }

  it("waits on the virtual clock until every updated pod is available, in v1.19's words", () => {
    const c = agent();
    const t = c.nowSeconds();
    expect(sh(c, "kubectl rollout status ds/agent -n ops")).toEqual({
      out: 'Waiting for daemon set "agent" rollout to finish: 0 of 2 updated pods are available...\ndaemon set "agent" successfully rolled out\n',
      err: "",
      code: 0,
    });
    expect(c.nowSeconds() - t).toBeGreaterThanOrEqual(5);
    // already rolled out: one line, no waiting; the long name and the namespace flag after the name work too
    const now = c.nowSeconds();
    expect(sh(c, "kubectl rollout status daemonset agent --namespace=ops").out).toBe('daemon set "agent" successfully rolled out\n');
    expect(c.nowSeconds()).toBe(now);
    expect(sh(c, "kubectl rollout status ds/agent")).toMatchObject({ err: 'Error from server (NotFound): daemonsets.apps "agent" not found\n', code: 1 });
  });

  it("restart stamps restartedAt on the template, every pod is replaced, and status follows the new pods", () => {
    const c = agent();
    sh(c, "kubectl rollout status ds/agent -n ops");
    const before = sh(c, "kubectl get pods -n ops -o name").out;
    expect(sh(c, "kubectl rollout restart daemonset/agent -n ops").out).toBe("daemonset.apps/agent restarted\n");
    expect(sh(c, "kubectl get ds agent -n ops -o jsonpath={.spec.template.metadata.annotations}").out).toMatch(/^\{"kubectl.kubernetes.io\/restartedAt":"2021-12-05T16:00:\d\dZ"\}$/);
    const after = sh(c, "kubectl get pods -n ops -o name").out;
    expect(after.trim().split("\n")).toHaveLength(2);
    for (const p of after.trim().split("\n")) expect(before).not.toContain(p);
    expect(sh(c, "kubectl rollout status ds/agent -n ops").out).toBe(
      'Waiting for daemon set "agent" rollout to finish: 0 of 2 updated pods are available...\ndaemon set "agent" successfully rolled out\n',
    );
    expect(sh(c, "kubectl rollout history ds/agent -n ops")).toMatchObject({ err: 'error: kubelab simulates "kubectl rollout history" for Deployments only\n', code: 1 });
  });

  it("set image on a DaemonSet (v1.19 supports ds): the template changes, every pod is replaced, rollout status follows", () => {
    const c = agent();
    sh(c, "kubectl rollout status ds/agent -n ops");
    const before = sh(c, "kubectl get pods -n ops -o name").out.trim().split("\n");
    expect(before).toHaveLength(2);
    expect(sh(c, "kubectl set image ds/agent agent=ikubernetes/demoapp:v1.1 -n ops")).toEqual({ out: "daemonset.apps/agent image updated\n", err: "", code: 0 });
    // the same image again changes nothing and prints nothing; an unknown container is kubectl's error
    expect(sh(c, "kubectl set image daemonset agent agent=ikubernetes/demoapp:v1.1 -n ops")).toEqual({ out: "", err: "", code: 0 });
    expect(sh(c, "kubectl set image ds/agent nosuch=x -n ops")).toEqual({ out: "", err: 'error: unable to find container named "nosuch"\n', code: 1 });
    expect(sh(c, `kubectl get ds agent -n ops -o jsonpath="{.metadata.generation}/{.metadata.annotations['deprecated.daemonset.template.generation']}"`).out).toBe("2/2");
    expect(sh(c, "kubectl rollout status ds/agent -n ops").out).toBe(
      'Waiting for daemon set "agent" rollout to finish: 0 of 2 updated pods are available...\ndaemon set "agent" successfully rolled out\n',
    );
    const after = sh(c, `kubectl get pods -n ops -o jsonpath='{range .items[*]}{.metadata.name} {.spec.containers[0].image} {.metadata.labels.pod-template-generation}{"\\n"}{end}'`).out.trim().split("\n");
    expect(after).toHaveLength(2);
    for (const l of after) {
      const [name, image, generation] = l.split(" ");
      expect(before).not.toContain(`pod/${name}`);
      expect(image).toBe("ikubernetes/demoapp:v1.1");
      expect(generation).toBe("2");
    }
    // `*` names every container
    expect(sh(c, "kubectl set image ds/agent '*=ikubernetes/demoapp:v1.2' -n ops").out).toBe("daemonset.apps/agent image updated\n");
    expect(sh(c, "kubectl get ds agent -n ops -o jsonpath={.spec.template.spec.containers[*].image}").out).toBe("ikubernetes/demoapp:v1.2");
  });

  it("refuses an OnDelete DaemonSet as kubectl v1.19 does", () => {
    const c = agent("OnDelete");
    const now = c.nowSeconds();
    expect(sh(c, "kubectl rollout status ds/agent -n ops")).toEqual({ out: "", err: "error: rollout status is only available for RollingUpdate strategy type\n", code: 1 });
    expect(c.nowSeconds()).toBe(now);
  });
});
