// --dry-run as kubectl v1.19 has it (cmdutil.GetDryRunStrategy, PrintFlagsWithDryRunStrategy): "client" prints what
// would be sent and sends nothing; "server" is the same request, admitted, validated and answered by the apiserver,
// which keeps nothing; a bare --dry-run and the old boolean values are deprecated spellings; anything else is refused.
// Whatever the spelling, a dry run never changes the student's cluster. The terminal's lines are checked on the
// engine, then against the real kubectl v1.20.2 through the Kubernetes API facade (twins named qk8 / qt8).
import { describe, expect, it } from "vitest";
import { Cluster } from "../engine/index.ts";
import { hasKubectl, kubectlLine, kubectlTwins } from "./helpers/kubectl.ts";

const SVC = "apiVersion: v1\nkind: Service\nmetadata:\n  name: drysvc\nspec:\n  selector:\n    app: x\n  ports:\n  - port: 80\n";
// web's selector changed and its template's labels not matching it: refused by the apiserver, not by kubectl
const BAD_WEB = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels:\n      app: x\n  template:\n    metadata:\n      labels:\n        app: y\n    spec:\n      containers:\n      - name: a\n        image: nginx\n";
const WARN = (at: string, msg: string) => new RegExp(`^W\\d{4} \\d\\d:\\d\\d:\\d\\d\\.\\d{6} {1,7}\\d+ helpers\\.go:${at}\\] ${msg.replace(/[.()[\]]/g, "\\$&")}\\n$`);

function lab(): Cluster {
  const c = Cluster.create({ seed: 5 });
  for (const l of ["kubectl create deployment web --image=ikubernetes/demoapp:v1.0", "kubectl label deploy web tier=front"]) expect(c.exec(l).exitCode).toBe(0);
  c.writeFile("/root/svc.yaml", SVC);
  c.writeFile("/root/bad-web.yaml", BAD_WEB);
  return c;
}

describe("a dry run prints kubectl's lines and leaves the cluster as it was", () => {
  const rows: { line: string; out: string | RegExp; err?: string | RegExp; code?: number }[] = [
    // apply -f / create -f: client sends nothing (so the apiserver's refusals do not show), server is refused as a write would be
    { line: "kubectl apply -f svc.yaml --dry-run=client", out: "service/drysvc created (dry run)\n" },
    { line: "kubectl apply -f svc.yaml --dry-run=server", out: "service/drysvc created (server dry run)\n" },
    { line: "kubectl create -f svc.yaml --dry-run=server -o name", out: "service/drysvc\n" },
    { line: "kubectl apply -f bad-web.yaml --dry-run=client", out: "deployment.apps/web configured (dry run)\n" },
    { line: "kubectl create -f bad-web.yaml --dry-run=client", out: "deployment.apps/web created (dry run)\n" },
    { line: "kubectl create -f bad-web.yaml --dry-run=server", out: "", err: 'Error from server (AlreadyExists): error when creating "bad-web.yaml": deployments.apps "web" already exists\n', code: 1 },
    { line: "kubectl apply -f bad-web.yaml --dry-run=server", out: "", err: /^The Deployment "web" is invalid: \n\* spec\.template\.metadata\.labels: Invalid value: .*\n\* spec\.selector: Invalid value: .*field is immutable\n$/, code: 1 },
    { line: "kubectl apply -f nosuch.yaml --dry-run=server", out: "", err: 'error: the path "nosuch.yaml" does not exist\n', code: 1 },
    // generators
    { line: "kubectl create deployment api --image=a --dry-run=server", out: "deployment.apps/api created (server dry run)\n" },
    { line: "kubectl create deployment web --image=a --dry-run=server", out: "", err: 'error: failed to create deployment: deployments.apps "web" already exists\n', code: 1 },
    { line: "kubectl create deployment empty --image= --dry-run=server", out: "", err: 'error: failed to create deployment: Deployment.apps "empty" is invalid: spec.template.spec.containers: Required value\n', code: 1 },
    { line: "kubectl create deployment empty --image= --dry-run=client -o name", out: "deployment.apps/empty\n" },
    { line: "kubectl create service clusterip web --tcp=80 --dry-run=server -o jsonpath={.spec.type}", out: "ClusterIP" },
    { line: "kubectl create namespace default --dry-run=server", out: "", err: 'Error from server (AlreadyExists): namespaces "default" already exists\n', code: 1 },
    { line: "kubectl expose deployment web --port=80 --dry-run=server", out: "service/web exposed (server dry run)\n" },
    { line: "kubectl run one --image=a --dry-run=server -o jsonpath={.status.phase}", out: "Pending" },
    // label / annotate: the same checks as a write (a value without --overwrite is refused), nothing written
    { line: "kubectl label deploy web tier=back --dry-run=server", out: "", err: "error: 'tier' already has a value (front), and --overwrite is false\n", code: 1 },
    // (label prints no dry-run suffix in v1.19: it sets its printer's operation after PrintFlagsWithDryRunStrategy)
    { line: "kubectl label deploy web tier=back --overwrite --dry-run=client", out: "deployment.apps/web labeled\n" },
    { line: "kubectl label deploy web tier- --dry-run=server", out: "deployment.apps/web labeled\n" },
    { line: "kubectl label deploy nosuch a=b --dry-run=client", out: "", err: 'Error from server (NotFound): deployments.apps "nosuch" not found\n', code: 1 },
    { line: "kubectl annotate deploy web note=x --dry-run=server", out: "deployment.apps/web annotated (server dry run)\n" },
    // patch and replace: validated by the apiserver on a server dry run; patch's answer keeps the live version
    { line: `kubectl patch deploy web -p '{"spec":{"replicas":-1}}' --dry-run=server`, out: "", err: 'The Deployment "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0\n', code: 1 },
    { line: `kubectl patch deploy web -p '{"spec":{"replicas":4}}' --dry-run=server -o jsonpath={.spec.replicas}`, out: "4" },
    { line: "kubectl replace -f bad-web.yaml --dry-run=client", out: "deployment.apps/web replaced (dry run)\n" },
    { line: "kubectl replace -f bad-web.yaml --dry-run=server", out: "", err: /^The Deployment "web" is invalid: \n\* spec\.template\.metadata\.labels: .*\n\* spec\.selector: .*field is immutable\n$/, code: 1 },
    { line: "kubectl replace -f bad-web.yaml --force --dry-run=server", out: "", err: /^The Deployment "web" is invalid: /, code: 1 },
    // delete and scale: delete's line carries the suffix, scale's does not (v1.19 makes its printer before reading --dry-run)
    { line: "kubectl delete deploy web --dry-run=client", out: 'deployment.apps "web" deleted (dry run)\n' },
    { line: "kubectl delete deploy nosuch --dry-run=client", out: "", err: 'Error from server (NotFound): deployments.apps "nosuch" not found\n', code: 1 },
    { line: "kubectl delete pods --all --dry-run=server -o name", out: /^(pod\/web-[a-z0-9]+-[a-z0-9]{5}\n)+$/ },
    { line: "kubectl scale deploy web --replicas=3 --dry-run=server", out: "deployment.apps/web scaled\n" },
    { line: "kubectl scale deploy web --replicas=3 --current-replicas=5 --dry-run=server", out: "", err: "error: Expected replicas to be 5, was 1\n", code: 1 },
    { line: "kubectl scale deploy web --replicas=3 --dry-run=client", out: "deployment.apps/web scaled\n" },
    // set image carries the suffix; taint does not (its printer's operation is set after the suffix)
    { line: "kubectl set image deploy/web demoapp=nginx --dry-run=client", out: "deployment.apps/web image updated (dry run)\n" },
    { line: "kubectl set image deploy/web demoapp=nginx --dry-run=server", out: "deployment.apps/web image updated (server dry run)\n" },
    { line: "kubectl set image deploy/web nosuch=nginx --dry-run=server", out: "", err: 'error: unable to find container named "nosuch"\n', code: 1 },
    { line: "kubectl taint node node01 gpu=yes:NoSchedule --dry-run=server", out: "node/node01 tainted\n" },
    { line: "kubectl taint node node01 gpu=yes:Never --dry-run=client", out: "", err: "error: invalid taint spec: gpu=yes:Never, invalid taint effect: Never, unsupported taint effect\n", code: 1 },
    // the spellings: refused, or deprecated with klog's warning
    { line: "kubectl create deployment x --image=a --dry-run=bogus", out: "", err: 'error: Invalid dry-run value (bogus). Must be "none", "server", or "client".\n', code: 1 },
    { line: "kubectl apply -f svc.yaml --dry-run=yes", out: "", err: 'error: Invalid dry-run value (yes). Must be "none", "server", or "client".\n', code: 1 },
    { line: "kubectl label deploy web a=b --dry-run=maybe", out: "", err: 'error: Invalid dry-run value (maybe). Must be "none", "server", or "client".\n', code: 1 },
    { line: `kubectl patch deploy web -p '{}' --dry-run=x`, out: "", err: 'error: Invalid dry-run value (x). Must be "none", "server", or "client".\n', code: 1 },
    { line: "kubectl create deployment x --image=a --dry-run", out: "deployment.apps/x created (dry run)\n", err: WARN("553", "--dry-run is deprecated and can be replaced with --dry-run=client.") },
    { line: "kubectl apply -f svc.yaml --dry-run=true", out: "service/drysvc created (dry run)\n", err: WARN("567", "--dry-run=true is deprecated (boolean value) and can be replaced with --dry-run=client.") },
    // pflag's NoOptDefVal: the word after a bare --dry-run is an argument, not its value
    { line: "kubectl create deployment x --image=a --dry-run client", out: "", err: "error: exactly one NAME is required, got 2\nSee 'kubectl create deployment -h' for help and examples\n", code: 1 },
  ];
  it.each(rows)("$line", ({ line, out, err = "", code = 0 }) => {
    const c = lab();
    const before = c.toJSONText();
    const r = c.exec(line, { host: "master01" });
    if (typeof out === "string") expect(r.stdout).toBe(out);
    else expect(r.stdout).toMatch(out);
    if (typeof err === "string") expect(r.stderr).toBe(err);
    else expect(r.stderr).toMatch(err);
    expect(r.exitCode).toBe(code);
    expect(c.toJSONText()).toBe(before); // nothing written, nothing moved
  });

  it("--dry-run=false is none: the write happens, with the deprecation warning", () => {
    const c = lab();
    const r = c.exec("kubectl create deployment x --image=a --dry-run=false");
    expect(r.stdout).toBe("deployment.apps/x created\n");
    expect(r.stderr).toMatch(WARN("570", "--dry-run=false is deprecated (boolean value) and can be replaced with --dry-run=none."));
    expect(c.exec("kubectl get deploy x -o name").stdout).toBe("deployment.apps/x\n");
  });

  it("a server dry run's answer is the object as admitted: defaults, uid and creationTimestamp, no resourceVersion, no controller's status", () => {
    const c = lab();
    const r = c.exec("kubectl create deployment api --image=a --dry-run=server -o json");
    expect(r.exitCode).toBe(0);
    const d = JSON.parse(r.stdout);
    expect(d.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(d.metadata.creationTimestamp).toBe(c.now());
    expect(d.metadata.resourceVersion).toBeUndefined();
    expect(d.spec.strategy.type).toBe("RollingUpdate");
    expect(d.status).toEqual({});
    expect(c.exec("kubectl get deploy api").exitCode).toBe(1);
  });
});

describe.skipIf(!hasKubectl())("server dry runs: the terminal prints what real kubectl does through the API", () => {
  const twins = kubectlTwins("dry", { real: "qk8", ours: "qt8" });
  /** The same command on both twins: what each printed, with the name made NAME. */
  const both = twins.both;

  it("create, label, annotate, patch, set image, scale and delete dry runs: the same lines, refusals and answers, and nothing changed", async () => {
    for (const args of [
      ["create", "deployment", "NAME", "--image=a", "--dry-run=server"],
      ["create", "deployment", "NAME", "--image=", "--dry-run=server"],
      ["create", "deployment", "NAME-s", "--image=a", "--dry-run=server", "-o", "jsonpath={.metadata.resourceVersion}|{.metadata.generation}|{.status}|{.spec.replicas}"],
      ["create", "deployment", "NAME-bad", "--image=a", "--dry-run=bogus"],
      ["create", "deployment", "NAME", "--image=a"],
      ["create", "deployment", "NAME", "--image=a", "--dry-run=server"],
      ["label", "deploy", "NAME", "tier=x", "--dry-run=server"],
      ["label", "deploy", "NAME", "tier=x", "--dry-run=client"],
      ["annotate", "deploy", "NAME", "note=x", "--dry-run=client"],
      ["label", "deploy", "NAME", "app=y", "--dry-run=server"],
      ["annotate", "deploy", "NAME", "note=x", "--dry-run=server"],
      ["patch", "deploy", "NAME", "-p", '{"spec":{"replicas":-1}}', "--dry-run=server"],
      ["patch", "deploy", "NAME", "-p", '{"spec":{"replicas":4}}', "--dry-run=server", "-o", "jsonpath={.spec.replicas}"],
      ["set", "image", "deploy/NAME", "a=nginx", "--dry-run=server"],
      ["set", "image", "deploy/NAME", "a=nginx", "--dry-run=client"],
      ["scale", "deploy", "NAME", "--replicas=3", "--dry-run=server"],
      ["scale", "deploy", "NAME", "--replicas=3", "--current-replicas=7", "--dry-run=server"],
      ["delete", "deploy", "NAME", "--dry-run=server"],
      ["delete", "deploy", "NAME", "--dry-run=client"],
      ["delete", "deploy", "NAME-none", "--dry-run=server"],
      ["get", "deploy", "NAME", "-o", "jsonpath={.spec.replicas}|{.metadata.labels}|{.metadata.annotations.note}|{.spec.template.spec.containers[0].image}"],
    ]) {
      const r = await both(args);
      expect(r.ours, kubectlLine(args)).toBe(r.real);
    }
    expect((await twins.kubectl().run(["get", "deploy", "-o", "name"])).stdout).toBe("deployment.apps/qk8\ndeployment.apps/qt8\n");
  }, 90_000);
  it("the generators' client dry runs print the object kubectl would send, byte for byte (Go field order, empty values)", async () => {
    for (const args of [
      ["create", "service", "clusterip", "NAME", "--tcp=80:8080,443", "--dry-run=client", "-o", "json"],
      ["create", "service", "clusterip", "NAME", "--clusterip=None", "--dry-run=client", "-o", "json"],
      ["create", "service", "nodeport", "NAME", "--tcp=80:web", "--node-port=30080", "--dry-run=client", "-o", "json"],
      ["create", "service", "loadbalancer", "NAME", "--tcp=80", "--dry-run=client", "-o", "yaml"],
      ["create", "service", "externalname", "NAME", "--external-name=db.example.com", "--dry-run=client", "-o", "yaml"],
      ["create", "service", "clusterip", "NAME", "--tcp=abc"],
      ["create", "service", "clusterip", "NAME", "--tcp=70000"],
      ["create", "service", "clusterip", "NAME", "--tcp=80:Bad_Name"],
      ["create", "deployment", "NAME", "--image=nginx", "--port=80", "--dry-run=client", "-o", "json"],
      ["run", "NAME", "--image=nginx", "--port=80", "--env=A=1", "--labels=a=b", "--dry-run=client", "-o", "json"],
      ["run", "NAME", "--image=nginx", "--restart=Never", "--dry-run=client", "-o", "yaml", "--", "sleep", "10"],
      ["run", "NAME", "--image=nginx", "--expose"],
      ["run", "NAME", "--image=nginx", "--rm"],
      // label and annotate print the object for -o, and refuse an -o no printer takes
      ["create", "deployment", "NAME-o", "--image=nginx"],
      ["label", "deploy", "NAME-o", "a=b", "-o", "name"],
      ["label", "deploy", "NAME-o", "c=d", "-o", "jsonpath={.metadata.labels}"],
      ["label", "deploy", "NAME-o", "e=f", "--dry-run=server", "-o", "jsonpath={.metadata.labels}"],
      ["annotate", "deploy", "NAME-o", "n=1", "-o", "jsonpath={.metadata.annotations.n}"],
      ["label", "deploy", "NAME-o", "x=y", "-o", "wide"],
    ]) {
      const r = await both(args);
      expect(r.ours, kubectlLine(args)).toBe(r.real);
    }
  }, 90_000);

  it("set selector: a Service's selector replaced, the refusals, -o and dry runs", async () => {
    for (const args of [
      ["create", "service", "clusterip", "NAME-sel", "--tcp=80"],
      ["set", "selector", "svc", "NAME-sel", "app=web,tier=front"],
      ["get", "svc", "NAME-sel", "-o", "jsonpath={.spec.selector}"],
      ["set", "selector", "svc/NAME-sel", "app=web"],
      ["set", "selector", "svc/NAME-sel", "app=x", "--dry-run=client", "-o", "jsonpath={.spec.selector}"],
      ["set", "selector", "svc/NAME-sel", "app=y", "--dry-run=server"],
      ["set", "selector", "svc/NAME-sel", "app=z", "-o", "name"],
      ["get", "svc", "NAME-sel", "-o", "jsonpath={.spec.selector}"],
      ["set", "selector", "svc", "NAME-sel", "tier notin (x)"],
      ["set", "selector", "svc", "NAME-sel", "a!=b"],
      ["set", "selector", "svc", "NAME-sel", "a in (b"],
      ["set", "selector", "svc", "NAME-none", "app=x"],
      ["create", "deployment", "NAME-sd", "--image=nginx"],
      ["set", "selector", "deploy", "NAME-sd", "app=x"],
      ["set", "selector"],
      ["set", "selector", "app=y"],
      ["set", "selector", "svc", "NAME-sel", "app=x", "--local", "-o", "yaml"],
      ["set", "selector", "svc", "NAME-sel", "app=x", "--resource-version=1"],
      ["get", "svc", "NAME-sel", "-o", "jsonpath={.spec.selector}"],
    ]) {
      const r = await both(args);
      expect(r.ours, kubectlLine(args)).toBe(r.real);
    }
  }, 90_000);

  it("run --expose: the Service first, then the pod, and the Service selects it", async () => {
    for (const args of [
      ["run", "NAME-x", "--image=ikubernetes/demoapp:v1.0", "--port=80", "--expose"],
      ["get", "svc", "NAME-x", "-o", "jsonpath={.spec.selector}|{.spec.ports}|{.metadata.labels}"],
      ["run", "NAME-y", "--image=ikubernetes/demoapp:v1.0", "--port=8080", "--expose", "--labels=app=NAME-y,tier=web", "--dry-run=server"],
    ]) {
      const r = await both(args);
      expect(r.ours, kubectlLine(args)).toBe(r.real);
    }
  }, 90_000);
});
