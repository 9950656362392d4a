// What the web terminal relies on beside exec: the shared ShellSession (engine/shell/session.ts), Tab completion
// (`Cluster.completions`) and the lab fields the workspace shows (steps, objectives, hasHint).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "./helpers/db-app.ts";
import { ShellSession, enteredFrame, promptFor } from "../engine/shell/session.ts";
import { Cluster } from "../engine/index.ts";
import { runLine } from "../engine/shell/exec.ts";
import { getLab } from "../labs/catalog.ts";

describe("ShellSession", () => {
  const c = Cluster.create({ seed: 42 });
  const hosts = () => c.hosts();

  it("switches hosts with ssh and exit, with sshd's banner and bash's logout", () => {
    const s = new ShellSession(hosts);
    expect(s.prompt()).toBe("[root@master01 ~]# ");
    const ssh = s.line("ssh node01", c.nowSeconds());
    expect(ssh).toEqual({ kind: "print", text: expect.stringMatching(/^Last login: \w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4} from 192\.168\.\d+\.\d+\n$/) });
    expect(s.prompt()).toBe("[root@node01 ~]# ");
    expect(s.line("kubectl get pods", 0)).toEqual({ kind: "run", line: "kubectl get pods", host: "node01" });
    expect(s.line("ssh nosuch", 0)).toEqual({ kind: "print", text: "ssh: Could not resolve hostname nosuch: Name or service not known\n" });
    expect(s.line("exit", 0)).toEqual({ kind: "print", text: "logout\nConnection to node01 closed.\n" });
    expect(s.prompt()).toBe("[root@master01 ~]# ");
    expect(s.line("exit", 0)).toEqual({ kind: "quit" });
    expect(s.line("   ", 0)).toEqual({ kind: "none" });
  });

  it("enters a pod's shell after a check, with the pod's prompt", () => {
    const s = new ShellSession(hosts);
    c.exec("kubectl create deployment demoapp --image=ikubernetes/demoapp:v1.0 --replicas=1");
    c.advance(30);
    const pod = c.list("Pod", { namespace: "default" })[0].metadata.name;
    const step = s.line(`kubectl exec -it ${pod} -- sh`, 0);
    expect(step).toEqual({ kind: "enter", check: `kubectl exec -n default ${pod} -- true`, host: "master01", frame: { host: `pod:default/${pod}`, cwd: "/", env: {} } });
    if (step.kind !== "enter") throw new Error("unreachable");
    expect(runLine(c, step.check, { ...s.frame }).exitCode).toBe(0);
    s.enter(step.frame);
    expect(s.prompt()).toBe(`[root@${pod} /]# `);
    expect(s.line("exit", 0)).toEqual({ kind: "print", text: "" });
    expect(promptFor({ host: "node02", cwd: "/etc/kubernetes", env: {} })).toBe("[root@node02 kubernetes]# ");
  });

  it("kubectl exec -it deploy/NAME -- sh enters the pod kubectl attaches to, not a pod named deploy/NAME", () => {
    const s = new ShellSession(hosts);
    c.exec("kubectl create deployment shelled --image=ikubernetes/demoapp:v1.0 --replicas=2");
    c.advance(30);
    const step = s.line("kubectl exec -it deploy/shelled -- sh", 0);
    expect(step).toMatchObject({ kind: "enter", check: "kubectl exec -n default deploy/shelled -- hostname", host: "master01", podFromCheck: true });
    if (step.kind !== "enter") throw new Error("unreachable");
    const checked = runLine(c, step.check, { ...s.frame });
    expect(checked.exitCode).toBe(0);
    s.enter(enteredFrame(step, checked.stdout));
    const pod = checked.stdout.trim();
    expect((c.list("Pod", { namespace: "default", selector: "app=shelled" }) as { metadata: { name: string } }[]).map((p) => p.metadata.name)).toContain(pod);
    expect(s.frame.host).toBe(`pod:default/${pod}`);
    expect(s.prompt()).toBe(`[root@${pod} /]# `);
    // the lines typed there run in that pod
    expect(runLine(c, "hostname", { ...s.frame }).stdout).toBe(`${pod}\n`);
    expect(s.line("exit", 0)).toEqual({ kind: "print", text: "" });
    // a Service without a selector: kubectl's refusal, and no shell entered
    const refused = s.line("kubectl exec -it svc/kubernetes -- sh", 0);
    if (refused.kind !== "enter") throw new Error("unreachable");
    expect(runLine(c, refused.check, { ...s.frame })).toMatchObject({ exitCode: 1, stderr: "error: cannot attach to *v1.Service: invalid service 'kubernetes': Service is defined without a selector\n" });
  });

  it("reads a here-document over several lines and runs it as one line", () => {
    const s = new ShellSession(hosts);
    expect(s.line("cat > a.yaml <<'EOF'", 0)).toEqual({ kind: "more", prompt: "> " });
    expect(s.prompt()).toBe("> ");
    expect(s.line("kind: Service", 0).kind).toBe("more");
    const run = s.line("EOF", 0);
    expect(run).toEqual({ kind: "run", line: "cat > a.yaml <<'EOF'\nkind: Service\nEOF", host: "master01" });
    if (run.kind !== "run") throw new Error("unreachable");
    runLine(c, run.line, { host: "master01", cwd: "/root", env: {} });
    expect(c.exec("cat a.yaml").stdout).toBe("kind: Service\n");
    s.line("cat <<EOF", 0);
    s.interrupt();
    expect(s.prompt()).toBe("[root@master01 ~]# ");
  });
});

let t: TestApp;
let alice: string;
let id: string;
beforeAll(async () => {
  t = await createTestApp();
  alice = await t.token({ sub: "alice", role: "student", course: "c1" });
  const r = await t.gql(alice, `mutation { createCluster(input: { name: "w", labSlug: "clusterip-services", seed: 3 }) { ... on CreateClusterPayload { cluster { id } } } }`);
  id = r.data.createCluster.cluster.id;
});
afterAll(() => t?.close());

const COMPLETE = `query($id: ID!, $line: String!, $host: String) { cluster(id: $id) { completions(line: $line, host: $host) { start candidates } } }`;
const complete = async (line: string, host?: string) => (await t.gql(alice, COMPLETE, { id, line, host })).data.cluster.completions;

describe("Cluster.completions", () => {
  it("completes commands, kubectl subcommands, resource types and object names from the cluster", async () => {
    expect(await complete("kub")).toEqual({ start: 0, candidates: ["kubectl"] });
    expect(await complete("kubectl ge")).toEqual({ start: 8, candidates: ["get"] });
    expect((await complete("kubectl d")).candidates).toEqual(["delete", "describe"]);
    expect((await complete("kubectl get s")).candidates).toEqual(["sa", "secret", "secrets", "service", "serviceaccount", "serviceaccounts", "services", "svc"]);
    expect((await complete("kubectl get sv")).candidates).toEqual(["svc"]);
    const pods = (await t.gql(alice, `query($id: ID!) { cluster(id: $id) { pods { name } } }`, { id })).data.cluster.pods.map((p: any) => p.name).sort();
    expect(pods.length).toBe(3);
    expect(await complete("kubectl describe pods demo")).toEqual({ start: 22, candidates: pods });
    expect((await complete("kubectl get po/demo")).candidates).toEqual(pods.map((p: string) => `po/${p}`));
    expect((await complete("kubectl logs ")).candidates).toEqual(pods);
    expect((await complete("kubectl -n kube-system get pods ")).candidates.every((n: string) => !pods.includes(n))).toBe(true);
    expect((await complete("kubectl get ns ")).candidates).toContain("kube-system");
    expect((await complete("ssh no")).candidates).toEqual(["node01", "node02"]);
    expect((await complete("kubectl get pods | gr")).candidates).toContain("grep");
    expect(await complete("kubectl get pods --sh")).toEqual({ start: 17, candidates: [] });
  });

  it("completes in a pod only the commands its image has", async () => {
    const pods = (await t.gql(alice, `query($id: ID!) { cluster(id: $id) { pods { name } } }`, { id })).data.cluster.pods;
    const inPod = (await complete("", `pod:default/${pods[0].name}`)).candidates;
    expect(inPod).toContain("curl");
    expect(inPod).not.toContain("kubectl");
  });
});

describe("the lab fields the workspace shows", () => {
  it("gives steps, objectives, minutes and which checkpoints have a hint, as the lab defines them", async () => {
    const r = await t.gql(alice, `{ lab(slug: "clusterip-services") { objectives estimatedMinutes steps { title body } checkpoints { id hasHint } } }`);
    const lab = getLab("clusterip-services")!;
    expect(r.data.lab.objectives).toEqual(lab.objectives);
    expect(r.data.lab.estimatedMinutes).toBe(lab.estimatedMinutes);
    expect(r.data.lab.steps).toEqual(lab.steps.map((s) => ({ title: s.title, body: s.body })));
    expect(r.data.lab.checkpoints).toEqual(lab.checkpoints.map((c) => ({ id: c.id, hasHint: !!c.hint })));
  });
});
