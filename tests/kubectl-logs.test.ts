// kubectl logs (v1.19's pkg/cmd/logs and polymorphichelpers.LogsForObject): a pod, a controller's or a Service's
// first pod as podutils.ByLogging orders them (with "Found N pods, using pod/…"), every pod a selector matches, and
// the refusals; then against the real kubectl v1.20.2 through the Kubernetes API facade.
import { describe, expect, it } from "vitest";
import { Cluster } from "../engine/index.ts";
import type { Pod } from "../engine/index.ts";
import { hasKubectl, kubectlLine, kubectlTwins } from "./helpers/kubectl.ts";

const LINE = " * Running on http://0.0.0.0:80/ (Press CTRL+C to quit)\n";

function cluster(): Cluster {
  const c = Cluster.create({ seed: 5 });
  expect(c.exec("kubectl create deployment web --image=ikubernetes/demoapp:v1.0 --replicas=3").exitCode).toBe(0);
  expect(c.exec("kubectl expose deploy web --port=80").exitCode).toBe(0);
  return c;
}

describe("kubectl logs in the terminal", () => {
  it("a controller or Service: its first pod, saying which of how many", () => {
    const c = cluster();
    for (const what of ["deploy/web", "deployment/web", "svc/web", `rs/${c.exec("kubectl get rs -o name").stdout.trim().split("/")[1]}`]) {
      const r = c.exec(`kubectl logs ${what}`);
      expect(r.stdout, what).toBe(LINE);
      expect(r.stderr, what).toMatch(/^Found 3 pods, using pod\/web-\w+-\w{5}\n$/);
    }
  });

  it("ByLogging: a Ready pod before one that is not, a Running one before a Pending one", () => {
    const c = Cluster.create({ seed: 5 });
    c.exec("kubectl apply -f -", {
      stdin: "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: rd}\nspec:\n  replicas: 2\n  selector: {matchLabels: {app: rd}}\n  template:\n    metadata: {labels: {app: rd}}\n    spec:\n      containers:\n      - name: demoapp\n        image: ikubernetes/demoapp:v1.0\n        readinessProbe: {httpGet: {path: /readyz, port: 80}, periodSeconds: 1}\n",
    });
    c.advance(5);
    const pods = c.list("Pod", { namespace: "default", selector: "app=rd" }) as Pod[];
    const [a, b] = pods.map((p) => p.metadata.name);
    // the first in list order fails its probe: the other is picked
    c.request({ from: { kind: "node", node: "node01" }, host: pods[0].status.podIP!, path: "/readyz", body: "readyz=FAIL" });
    c.advance(5);
    expect(c.exec("kubectl logs deploy/rd").stderr).toBe(`Found 2 pods, using pod/${b}\n`);
    c.request({ from: { kind: "node", node: "node01" }, host: pods[0].status.podIP!, path: "/readyz", body: "readyz=OK" });
    c.request({ from: { kind: "node", node: "node01" }, host: pods[1].status.podIP!, path: "/readyz", body: "readyz=FAIL" });
    c.advance(5);
    expect(c.exec("kubectl logs deploy/rd").stderr).toBe(`Found 2 pods, using pod/${a}\n`);
  });

  const rows: { line: string; out?: string; err: string; code?: number }[] = [
    { line: "kubectl logs -l app=web", out: LINE.repeat(3), err: "" },
    { line: "kubectl logs -l app=none", out: "", err: "" },
    { line: "kubectl logs deploy/web -l app=web", err: "error: only a selector (-l) or a POD name is allowed\nSee 'kubectl logs -h' for help and examples\n", code: 1 },
    { line: "kubectl logs", err: "error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples\n", code: 1 },
    { line: "kubectl logs svc/kubernetes", err: "error: cannot get the logs from *v1.Service: invalid service 'kubernetes': Service is defined without a selector\n", code: 1 },
    { line: "kubectl logs deploy/nope", err: 'Error from server (NotFound): deployments.apps "nope" not found\n', code: 1 },
    { line: "kubectl logs pod/nope", err: 'Error from server (NotFound): pods "nope" not found\n', code: 1 },
  ];
  it.each(rows)("$line", ({ line, out = "", err, code = 0 }) => {
    expect(cluster().exec(line)).toEqual({ stdout: out, stderr: err, exitCode: code });
  });

  it("a controller with no pod: kubectl's wait for one times out", () => {
    const c = cluster();
    expect(c.exec("kubectl scale deploy web --replicas=0").exitCode).toBe(0);
    c.advance(60);
    expect(c.exec("kubectl logs deploy/web")).toEqual({ stdout: "", stderr: "error: timed out waiting for the condition\n", exitCode: 1 });
  });
});

describe.skipIf(!hasKubectl())("kubectl logs: the terminal prints what real kubectl does through the API", () => {
  const twins = kubectlTwins("logs", { real: "qk12", ours: "qt12" });
  it("a controller's first pod, a Service without a selector, a selector's pods, the refusals", async () => {
    for (const args of [
      ["create", "deployment", "NAME", "--image=ikubernetes/demoapp:v1.0", "--replicas=2"],
      ["logs", "-l", "app=NAME"],
      ["logs", "svc/kubernetes"],
      ["logs", "deploy/NAME-none"],
      ["logs", "deploy/NAME", "-l", "app=NAME"],
      ["logs", "pod/NAME-none"],
    ]) {
      const r = await twins.both(args);
      expect(r.ours, kubectlLine(args)).toBe(r.real);
    }
    // which of two equal pods is picked is Go's sort's business (Debian's kubectl is built with Go 1.19's)
    const r = await twins.both(["logs", "deploy/NAME"]);
    const shape = (s: string) => s.replace(/pod\/NAME-\w+-\w{5}/, "pod/NAME-…");
    expect(shape(r.ours)).toBe(shape(r.real));
  }, 90_000);
});
