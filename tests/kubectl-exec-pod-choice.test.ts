// kubectl exec TYPE/NAME (v1.19's polymorphichelpers.attachablePodForObject): the pods the object's selector matches,
// sorted by sort.Reverse(podutils.ActivePods) — scheduled, Running, Ready, Ready the longest, fewest restarts, oldest
// first — the first one taken; a Service without a selector and an object with no pod refused as kubectl refuses them.
import { describe, expect, it } from "vitest";
import { Cluster } from "../engine/index.ts";
import type { Pod } from "../engine/index.ts";

const hostname = (c: Cluster, what: string) => c.exec(`kubectl exec ${what} -- hostname`);

const PROBED =
  "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: rd}\nspec:\n  replicas: 2\n  selector: {matchLabels: {app: rd}}\n  template:\n    metadata: {labels: {app: rd}}\n    spec:\n      containers:\n      - name: demoapp\n        image: ikubernetes/demoapp:v1.0\n        readinessProbe: {httpGet: {path: /readyz, port: 80}, periodSeconds: 1}\n";

describe("kubectl exec TYPE/NAME: the pod kubectl attaches to", () => {
  it("a Ready pod before one that is not, whichever is listed first", () => {
    const c = Cluster.create({ seed: 5 });
    expect(c.exec("kubectl apply -f -", { stdin: PROBED }).exitCode).toBe(0);
    c.advance(5);
    const pods = c.list("Pod", { namespace: "default", selector: "app=rd" }) as Pod[];
    const [a, b] = pods.map((p) => p.metadata.name);
    const readyz = (p: Pod, v: string) => c.request({ from: { kind: "node", node: "node01" }, host: p.status.podIP!, path: "/readyz", body: `readyz=${v}` });
    readyz(pods[0], "FAIL");
    c.advance(5);
    expect(hostname(c, "deploy/rd")).toEqual({ stdout: `${b}\n`, stderr: "", exitCode: 0 });
    readyz(pods[0], "OK");
    readyz(pods[1], "FAIL");
    c.advance(5);
    expect(hostname(c, "deploy/rd")).toEqual({ stdout: `${a}\n`, stderr: "", exitCode: 0 });
  });

  it("of pods all Ready, the one Ready the longest (the oldest), not the first by name", () => {
    let orderMattered = 0;
    for (let seed = 1; seed <= 8; seed++) {
      const c = Cluster.create({ seed });
      expect(c.exec("kubectl create deployment web --image=ikubernetes/demoapp:v1.0").exitCode).toBe(0);
      c.advance(30);
      const [oldest] = (c.list("Pod", { namespace: "default", selector: "app=web" }) as Pod[]).map((p) => p.metadata.name);
      expect(c.exec("kubectl scale deployment web --replicas=3").exitCode).toBe(0);
      c.advance(30);
      const names = (c.list("Pod", { namespace: "default", selector: "app=web" }) as Pod[]).map((p) => p.metadata.name);
      expect(names).toHaveLength(3);
      if (names[0] !== oldest) orderMattered++;
      for (const what of ["deploy/web", "deployment/web", `rs/${c.exec("kubectl get rs -o name").stdout.trim().split("/")[1]}`]) {
        c.exec(`kubectl expose deployment web --port=80 --name=web-${seed}`);
        expect(hostname(c, what), `seed ${seed}, ${what}`).toEqual({ stdout: `${oldest}\n`, stderr: "", exitCode: 0 });
      }
      expect(hostname(c, `svc/web-${seed}`).stdout, `seed ${seed}, a Service`).toBe(`${oldest}\n`);
    }
    // the seeds include clusters where the oldest pod is not the first listed (else this would not tell the orders apart)
    expect(orderMattered).toBeGreaterThan(0);
  });

  const refusals: { line: string; err: string }[] = [
    { line: "kubectl exec svc/kubernetes -- hostname", err: "error: cannot attach to *v1.Service: invalid service 'kubernetes': Service is defined without a selector\n" },
    { line: "kubectl exec deploy/nope -- hostname", err: 'Error from server (NotFound): deployments.apps "nope" not found\n' },
  ];
  it.each(refusals)("$line", ({ line, err }) => {
    expect(Cluster.create({ seed: 5 }).exec(line)).toEqual({ stdout: "", stderr: err, exitCode: 1 });
  });

  it("an object with no pod: kubectl's wait for one runs out", () => {
    const c = Cluster.create({ seed: 5 });
    expect(c.exec("kubectl create deployment web --image=ikubernetes/demoapp:v1.0 --replicas=0").exitCode).toBe(0);
    expect(hostname(c, "deploy/web")).toEqual({ stdout: "", stderr: "error: timed out waiting for the condition\n", exitCode: 1 });
  });
});
