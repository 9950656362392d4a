// What `kubectl create <generator>` prints when the server refuses the object, judged by the real kubectl v1.20.2
// through the Kubernetes API facade: twins (NAME is qk7 for real kubectl, qt7 for the terminal) must print the same.
//
// v1.19.4's create deployment wraps the server's error itself (kubernetes/kubectl v0.19.4,
// pkg/cmd/create/create_deployment.go Run: `failed to create deployment: %v`), so it prints the Status message
// after its words (`Deployment.apps "x" is invalid: …`), not checkErr's `The Deployment "x" is invalid: …`. Its other
// generators print through checkErr in v1.19; v1.20 wraps create service too (`failed to create ClusterIP service:`),
// where the terminal keeps v1.19's text and real kubectl is checked to still print v1.20's.
import { describe, expect, it } from "vitest";
import { Cluster } from "../engine/index.ts";
import { hasKubectl, kubectlLine, kubectlTwins } from "./helpers/kubectl.ts";

describe("create deployment's errors in the terminal (v1.19.4's words)", () => {
  const rows: { line: string; err: string }[] = [
    { line: "kubectl create deployment web --image=ikubernetes/demoapp:v1.0", err: 'error: failed to create deployment: deployments.apps "web" already exists\n' },
    { line: "kubectl create deployment Web --image=a", err: 'error: failed to create deployment: Deployment.apps "Web" is invalid: metadata.name: Invalid value: "Web": ' },
    // `--image=` is the flag set to no image: a Deployment without containers, which the API refuses
    { line: "kubectl create deployment empty --image=", err: 'error: failed to create deployment: Deployment.apps "empty" is invalid: spec.template.spec.containers: Required value\n' },
    { line: "kubectl create deployment none", err: 'Error: required flag(s) "image" not set\n' },
    // the generic path, unchanged: create service and create namespace print checkErr's text in v1.19
    { line: "kubectl create service clusterip kubernetes --tcp=80:80", err: 'Error from server (AlreadyExists): services "kubernetes" already exists\n' },
    { line: "kubectl create namespace default", err: 'Error from server (AlreadyExists): namespaces "default" already exists\n' },
  ];
  it.each(rows)("$line", ({ line, err }) => {
    const c = Cluster.create({ seed: 5 });
    expect(c.exec("kubectl create deployment web --image=ikubernetes/demoapp:v1.0").exitCode).toBe(0);
    const before = c.toJSONText();
    const r = c.exec(line);
    expect(r.stdout).toBe("");
    expect(r.stderr.startsWith(err), r.stderr).toBe(true);
    expect(r.exitCode).toBe(1);
    expect(c.toJSONText()).toBe(before); // nothing written
  });
  it("-o jsonpath prints the created object's field; an -o no printer takes is refused and creates nothing", () => {
    const c = Cluster.create({ seed: 5 });
    expect(c.exec("kubectl create deployment j --image=a -o jsonpath={.spec.template.spec.containers[0].name}")).toEqual({ stdout: "a", stderr: "", exitCode: 0 });
    const before = c.toJSONText();
    const r = c.exec("kubectl create deployment w --image=a -o wide");
    expect(r.stderr).toMatch(/^error: unable to match a printer suitable for the output format "wide", allowed formats are: /);
    expect(r.exitCode).toBe(1);
    expect(c.toJSONText()).toBe(before);
  });
  it("--image= with --dry-run=client prints the Deployment kubectl would send: no containers", () => {
    const r = Cluster.create({ seed: 5 }).exec("kubectl create deployment empty --image= --dry-run=client -o json");
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.stdout).spec.template.spec.containers).toEqual([]);
  });
});

describe.skipIf(!hasKubectl())("create's refusals: the terminal prints what real kubectl does through the API", () => {
  const twins = kubectlTwins("create", { real: "qk7", ours: "qt7" });
  /** The same command on both twins: what each printed, with the name made NAME. */
  const both = twins.both;

  it("create deployment: created, then already there, an invalid name, no image; -o jsonpath and a refused -o", async () => {
    for (const args of [
      ["create", "deployment", "NAME", "--image=ikubernetes/demoapp:v1.0"],
      ["create", "deployment", "NAME", "--image=ikubernetes/demoapp:v1.0"],
      ["create", "deployment", "NAME-X", "--image=a"],
      ["create", "deployment", "NAME-empty", "--image="],
      ["create", "deployment", "NAME-ns", "--image=a", "-n", "nosuch"],
      ["create", "namespace", "NAME"],
      ["create", "namespace", "NAME"],
      // -o jsonpath prints the created object's field; an -o no printer takes is refused before anything is sent
      ["create", "deployment", "NAME-j", "--image=a", "-o", "jsonpath={.metadata.name}"],
      ["create", "deployment", "NAME-d", "--image=a", "--dry-run=client", "-o", "jsonpath={.spec.template.spec.containers[0].image}"],
      ["create", "deployment", "NAME-w", "--image=a", "-o", "wide"],
      ["create", "namespace", "NAME-n", "-o", "jsonpath={.metadata.name}"],
    ]) {
      const r = await both(args);
      expect(r.ours, kubectlLine(args)).toBe(r.real);
    }
    expect((await twins.kubectl().run(["get", "deploy", "-o", "name"])).stdout).toBe("deployment.apps/qk7\ndeployment.apps/qk7-j\ndeployment.apps/qt7\ndeployment.apps/qt7-j\n");
  }, 60_000);

  it("create -f with generateName: the apiserver names it; without a name either: its refusal", async () => {
    const gen = (prefix: string) => `apiVersion: v1\nkind: Service\nmetadata:\n  generateName: ${prefix}\nspec:\n  selector: {app: x}\n  ports: [{port: 80}]\n`;
    const real = await twins.kubectl().run(["create", "-f", "-"], gen("qk7-gen-"));
    expect(real).toMatchObject({ code: 0, stderr: "" });
    expect(real.stdout).toMatch(/^service\/qk7-gen-[bcdfghjklmnpqrstvwxz2456789]{5} created\n$/);
    const c = Cluster.create({ seed: 5 });
    expect(c.exec("kubectl create -f -", { stdin: gen("qt7-gen-") }).stdout).toMatch(/^service\/qt7-gen-[bcdfghjklmnpqrstvwxz2456789]{5} created\n$/);
    const nameless = "apiVersion: v1\nkind: Service\nmetadata: {}\nspec:\n  ports: [{port: 80}]\n";
    const refused = await twins.kubectl().run(["create", "-f", "-"], nameless);
    expect(c.exec("kubectl create -f -", { stdin: nameless })).toEqual({ stdout: "", stderr: refused.stderr, exitCode: 1 });
    expect(refused.stderr).toBe('The Service "" is invalid: metadata.name: Required value: name or generateName is required\n');
  }, 60_000);

  it("create service where v1.20 wraps the error and v1.19 (the terminal) does not", async () => {
    await both(["create", "service", "clusterip", "NAME", "--tcp=80:80"]);
    const r = await both(["create", "service", "clusterip", "NAME", "--tcp=80:80"]);
    expect(r.real).toBe('--stderr--\nerror: failed to create ClusterIP service: services "NAME" already exists\n--ok false');
    expect(r.ours).toBe('--stderr--\nError from server (AlreadyExists): services "NAME" already exists\n--ok false');
  }, 60_000);
});
