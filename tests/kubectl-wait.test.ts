// kubectl wait (v1.19's pkg/cmd/wait): each object in turn, on the virtual clock, up to --timeout; checked on the
// engine, then against the real kubectl v1.20.2 through the Kubernetes API facade (twins qk9 / qt9), where the clock
// does not move, for the answers that need no waiting.
import { describe, expect, it } from "vitest";
import { Cluster } from "../engine/index.ts";
import { goDuration } from "../engine/kubectl/wait.ts";
import { hasKubectl, kubectlLine, kubectlTwins } from "./helpers/kubectl.ts";

function cluster(): Cluster {
  const c = Cluster.create({ seed: 5 });
  expect(c.exec("kubectl create deployment web --image=ikubernetes/demoapp:v1.0 --replicas=2").exitCode).toBe(0);
  return c;
}

describe("kubectl wait in the terminal", () => {
  const rows: { line: string; out: string | RegExp; err?: string; code?: number; waited?: number }[] = [
    { line: "kubectl wait --for=condition=Available deploy/web", out: "deployment.apps/web condition met\n" },
    { line: "kubectl wait --for=condition=available=TRUE deployment web", out: "deployment.apps/web condition met\n" },
    { line: "kubectl wait --for=condition=Ready pod -l app=web", out: /^pod\/web-\w+-\w{5} condition met\npod\/web-\w+-\w{5} condition met\n$/ },
    { line: "kubectl wait --for=condition=Ready pods --all -o name", out: /^pod\/web-\w+-\w{5}\npod\/web-\w+-\w{5}\n$/ },
    { line: "kubectl wait --for=condition=Ready=false pod -l app=web --timeout=5s", out: "", err: "error: timed out waiting for the condition on pods/", code: 1, waited: 5 },
    { line: "kubectl wait --for=condition=Ready=false pod -l app=web --timeout=0", out: "", err: "error: timed out waiting for the condition on pods/", code: 1, waited: 0 },
    { line: "kubectl wait --for=condition=Nope deploy/web", out: "", err: "error: timed out waiting for the condition on deployments/web\n", code: 1, waited: 30 },
    { line: "kubectl wait --for=delete deploy/web --timeout=1m", out: "", err: "error: timed out waiting for the condition on deployments/web\n", code: 1, waited: 60 },
    // a week (a negative timeout) or an hour: kubelab waits ten virtual minutes at most, as rollout status does
    { line: "kubectl wait --for=condition=Nope deploy/web --timeout=-1s", out: "", err: "error: timed out waiting for the condition on deployments/web\n", code: 1, waited: 600 },
    { line: "kubectl wait --for=condition=Nope deploy/web --timeout=1h", out: "", err: "error: timed out waiting for the condition on deployments/web\n", code: 1, waited: 600 },
    { line: "kubectl wait --for=bogus deploy/web", out: "", err: 'error: unrecognized condition: "bogus"\n', code: 1 },
    { line: "kubectl wait deploy/web", out: "", err: 'error: unrecognized condition: ""\n', code: 1 },
    { line: "kubectl wait --for=delete pod/nope", out: "", err: 'Error from server (NotFound): pods "nope" not found\n', code: 1 },
    { line: "kubectl wait --for=condition=Ready pod -l app=none", out: "", err: "error: no matching resources found\n", code: 1 },
    { line: "kubectl wait --for=condition=Ready pod", out: "", err: "error: resource(s) were provided, but no name, label selector, or --all flag specified\n", code: 1 },
    { line: "kubectl wait --for=condition=Ready", out: "", err: "error: You must provide one or more resources by argument or filename.\n", code: 1 },
    { line: "kubectl wait --for=condition=Ready pod -l app=web --timeout=x", out: "", err: 'Error: invalid argument "x" for "--timeout" flag: time: invalid duration "x"\n', code: 1 },
  ];
  it.each(rows)("$line", ({ line, out, err = "", code = 0, waited = 0 }) => {
    const c = cluster();
    const t0 = c.nowSeconds();
    const r = c.exec(line);
    if (typeof out === "string") expect(r.stdout).toBe(out);
    else expect(r.stdout).toMatch(out);
    expect(r.stderr.startsWith(err), r.stderr).toBe(true);
    expect(r.exitCode).toBe(code);
    expect(c.nowSeconds() - t0).toBe(waited);
  });

  it("waits on the virtual clock until the condition holds: a pod's graceful deletion", () => {
    const c = cluster();
    const pod = c.exec("kubectl get pods -o name").stdout.split("\n")[0];
    expect(c.exec(`kubectl delete ${pod} --wait=false`).exitCode).toBe(0);
    const t0 = c.nowSeconds();
    expect(c.exec(`kubectl wait --for=delete ${pod}`)).toEqual({ stdout: `${pod} condition met\n`, stderr: "", exitCode: 0 });
    const waited = c.nowSeconds() - t0;
    expect(waited).toBeGreaterThan(0); // the pod's grace period, run out on the clock
    expect(waited).toBeLessThanOrEqual(30);
    expect(c.exec(`kubectl get ${pod}`).exitCode).toBe(1);
  });

  it("Go's durations", () => {
    expect([goDuration("30s"), goDuration("1m30s"), goDuration("1.5h"), goDuration("500ms"), goDuration("-1s"), goDuration("0"), goDuration("2h3m4s")]).toEqual([30, 90, 5400, 0.5, -1, 0, 7384]);
    for (const bad of ["", "x", "30", "1d", "s", "1m-2s", "--1s"]) expect(goDuration(bad), bad).toBeUndefined();
  });
});

describe.skipIf(!hasKubectl())("kubectl wait: the terminal prints what real kubectl does through the API", () => {
  const twins = kubectlTwins("wait", { real: "qk9", ours: "qt9" });
  /** The same command on both twins: what each printed, with the name made NAME. */
  const both = twins.both;

  it("met at once, refused, not found, timed out at once", async () => {
    for (const args of [
      ["create", "deployment", "NAME", "--image=ikubernetes/demoapp:v1.0"],
      ["wait", "--for=condition=Available", "deploy/NAME"],
      ["wait", "--for=condition=Available", "deploy/NAME", "-o", "name"],
      ["wait", "--for=condition=Available=False", "deploy/NAME", "--timeout=0s"],
      ["wait", "--for=delete", "deploy/NAME", "--timeout=0"],
      ["wait", "--for=bogus", "deploy/NAME"],
      ["wait", "--for=condition=Ready", "pod/NAME-none"],
      ["wait", "--for=condition=Ready", "pod", "-l", "app=NAME-none"],
      ["wait", "--for=condition=Ready", "pod"],
    ]) {
      const r = await both(args);
      expect(r.ours, kubectlLine(args)).toBe(r.real);
    }
  }, 90_000);
});
