// The grader's parts on their own: lab loading and its errors, the script convention, each check type through
// the engine's typed operations (no terminal), and the exports parsed back.
import { parseCsv, parseXml } from "./helpers/export-parsers.ts";
import { describe, expect, it } from "vitest";
import { Cluster } from "../engine/index.ts";
import {
  diagnoseService,
  formatScript,
  gradebookCsv,
  gradeLab,
  gradescopeResults,
  junitXml,
  ltiScore,
  parseScript,
  recordProgress,
  runCheck,
  subsetMismatch,
  waitSeconds,
} from "../engine/grading/index.ts";
import type { Check, CheckResult, GradeResult, Lab } from "../engine/grading/index.ts";
import type { Service } from "../engine/index.ts";
import { loadLab, LabFormatError, type LabSource } from "../labs/load.ts";

const deployment = (name: string, app: string, replicas: number, extra = "") => `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: ${replicas}
  selector:
    matchLabels:
      app: ${app}
  template:
    metadata:
      labels:
        app: ${app}
    spec:
      containers:
      - name: demoapp
        image: ikubernetes/demoapp:v1.0
${extra}`;

const service = (name: string, app: string, extra = "") => `
apiVersion: v1
kind: Service
metadata:
  name: ${name}
spec:
  selector:
    app: ${app}
  ports:
  - name: http
    port: 80
    targetPort: 80
${extra}`;

function cluster(...manifests: string[]): Cluster {
  const c = Cluster.create({ seed: 3 });
  for (const m of manifests) for (const r of c.apply(m)) if (r.error) throw r.error;
  c.advance(30);
  return c;
}

function check(c: Cluster, ch: Check, commandLog?: { line: string }[]): CheckResult {
  return runCheck({ cluster: c, commandLog }, ch);
}

const minimalLab = (over: Record<string, string> = {}): LabSource => ({
  slug: "demo-lab",
  labYaml: `
title: Demo
order: 1
summary: A demo.
objectives: [Learn]
estimatedMinutes: 5
files:
  - name: svc.yaml
setup:
  - apply: deploy.yaml
  - wait: 10
steps:
  - title: Do it
    body: kubectl apply -f svc.yaml
checkpoints:
  - id: svc
    title: The Service exists
    points: ${over.points ?? "2"}
    checks:
      - type: ${over.type ?? "resource"}
        kind: Service
        name: demoapp-svc
`,
  solution: over.solution ?? "kubectl apply -f svc.yaml\n",
  files: { "svc.yaml": service("demoapp-svc", "demoapp"), "deploy.yaml": deployment("demoapp", "demoapp", 2) },
});

describe("lab loading", () => {
  it("loads a lab folder's text into a Lab: files under /root, setup manifests inlined, solution parsed", () => {
    const lab = loadLab(minimalLab());
    expect(lab.files).toEqual([{ path: "/root/svc.yaml", content: service("demoapp-svc", "demoapp") }]);
    expect(lab.setup[0]).toEqual({ apply: deployment("demoapp", "demoapp", 2), source: "deploy.yaml" });
    expect(lab.setup[1]).toEqual({ wait: 10 });
    expect(lab.solution).toEqual([{ line: "kubectl apply -f svc.yaml" }]);
  });

  it("rejects bad fields with the file and the field path", () => {
    expect(() => loadLab(minimalLab({ points: "-1" }))).toThrow(LabFormatError);
    expect(() => loadLab(minimalLab({ points: "-1" }))).toThrow(/^labs\/demo-lab\/lab\.yaml: checkpoints\[0\]\.points: /);
    expect(() => loadLab(minimalLab({ type: "nonsense" }))).toThrow(/labs\/demo-lab\/lab\.yaml: checkpoints\[0\]\.checks\[0\]\.type: /);
    const src = minimalLab();
    src.labYaml = src.labYaml.replace("estimatedMinutes: 5", "estimatedMinutes: 5\ncolour: blue");
    expect(() => loadLab(src)).toThrow(/\(top level\): Unrecognized key.*\(colour\)/);
  });

  it("names missing files and broken YAML and scripts", () => {
    const src = minimalLab();
    src.files = { "deploy.yaml": src.files["deploy.yaml"] };
    expect(() => loadLab(src)).toThrow(/files\[0\]\.name: labs\/demo-lab\/files\/svc\.yaml does not exist/);
    const bad = minimalLab();
    bad.labYaml = "title: [unclosed";
    expect(() => loadLab(bad)).toThrow(/^labs\/demo-lab\/lab\.yaml: YAML: /);
    expect(() => loadLab(minimalLab({ solution: "kubectl apply -f - <<EOF\nkind: x\n" }))).toThrow(/^labs\/demo-lab\/solution\.sh: line 1: here-document for EOF is not closed/);
    expect(() => loadLab({ ...minimalLab(), slug: "Bad_Slug" })).toThrow(/slug/);
  });
});

describe("command scripts", () => {
  it("switch hosts with # host:, join continuations, pass here-documents as stdin, skip comments", () => {
    const s = parseScript(`# a comment
kubectl get po
# host: node01
curl 10.97.72.1 \\
  -s
kubectl apply -f - <<'EOF'
kind: Service
EOF
sleep 30
# host: master01
wait 2m
`);
    expect(s).toEqual([
      { line: "kubectl get po" },
      { line: "curl 10.97.72.1 -s", host: "node01" },
      { line: "kubectl apply -f -", host: "node01", stdin: "kind: Service\n" },
      { line: "sleep 30", host: "node01" },
      { line: "wait 2m" },
    ]);
    expect(parseScript(formatScript(s))).toEqual(s);
    expect(waitSeconds("sleep 30")).toBe(30);
    expect(waitSeconds("wait 2m")).toBe(120);
    expect(waitSeconds("curl x")).toBeUndefined();
  });
});

describe("checks", () => {
  it("explain an empty Service by the labels its pods really carry (the issue's example)", () => {
    const c = cluster(deployment("demoapp2", "demoapp2", 2), service("demoapp-svc", "demoapp"));
    const svc = c.get("Service", "demoapp-svc", "default") as Service;
    expect(diagnoseService(c, svc)).toBe("Service demoapp-svc selects app=demoapp, but no pod carries that label; pods with app: demoapp2 ×2.");
    const r = check(c, { type: "endpoints", service: "demoapp-svc", minReady: 1 });
    expect(r.passed).toBe(false);
    expect(r.explanation).toContain("pods with app: demoapp2 ×2");
  });

  it("explain matching pods that are not Ready", () => {
    const probe = "        readinessProbe:\n          httpGet:\n            path: /readyz\n            port: 80\n          initialDelaySeconds: 600\n";
    const c = cluster(deployment("slow", "slow", 2, probe), service("slow-svc", "slow"));
    const r = check(c, { type: "endpoints", service: "slow-svc", ready: 2 });
    expect(r.passed).toBe(false);
    expect(r.explanation).toMatch(/0 ready addresses, 2 not ready .*; expected 2 ready\. Service slow-svc selects app=slow; 2 pods match but none is Ready \(slow-\S+ 0\/1 Running/);
  });

  it("resource: JSON subset with the first mismatching path; null means unset; absent", () => {
    const c = cluster(service("demoapp-svc", "demoapp"));
    expect(check(c, { type: "resource", kind: "Service", name: "demoapp-svc", match: { spec: { type: "ClusterIP", ports: [{ port: 80 }] } } }).passed).toBe(true);
    expect(check(c, { type: "resource", kind: "Service", name: "demoapp-svc", match: { spec: { type: "NodePort" } } }).explanation).toBe(
      'Service demoapp-svc: spec.type is "ClusterIP", expected "NodePort".',
    );
    expect(check(c, { type: "resource", kind: "Service", name: "demoapp-svc", match: { spec: { selector: null } } }).explanation).toMatch(/spec\.selector is \{"app":"demoapp"\}, expected it to be unset/);
    expect(check(c, { type: "resource", kind: "Service", name: "nope" }).explanation).toBe("Service nope does not exist yet.");
    expect(check(c, { type: "resource", kind: "Service", name: "demoapp-svc", absent: true }).passed).toBe(false);
    expect(subsetMismatch({ a: [1, 2] }, { a: [1] }, "")).toMatch(/a has 2 item\(s\), expected 1/);
  });

  it("select: counts, bounds and exact names, with what matched", () => {
    const c = cluster(deployment("demoapp", "demoapp", 3));
    expect(check(c, { type: "select", kind: "Pod", selector: "app=demoapp", count: 3 }).passed).toBe(true);
    expect(check(c, { type: "select", kind: "Pod", selector: "app!=other", min: 3, max: 3 }).passed).toBe(true);
    const r = check(c, { type: "select", kind: "Pod", selector: "app in (x)", count: 1 });
    expect(r.explanation).toBe('Expected 1 Pods matching "app in (x)", nothing matches.');
    expect(check(c, { type: "select", kind: "Node", selector: "node-role.kubernetes.io/master", names: ["master01"] }).passed).toBe(true);
    expect(check(c, { type: "select", kind: "Pod", selector: "app in (", count: 0 }).passed).toBe(false);
  });

  it("request: success, backends, client IP, and failures explained from the trace", () => {
    const np = "  type: NodePort\n  externalTrafficPolicy: Local\n";
    const c = cluster(deployment("demoapp", "demoapp", 1), service("np", "demoapp", np));
    const svc = c.get("Service", "np", "default") as Service;
    const port = svc.spec.ports![0].nodePort!;
    const pod = c.list("Pod", { selector: "app=demoapp" })[0] as { spec: { nodeName?: string } };
    const withPod = c.hosts().find((h) => h.name === pod.spec.nodeName)!.ip;
    const without = c.hosts().find((h) => h.name !== pod.spec.nodeName && !h.roles.includes("master"))!.ip;
    const ok = check(c, { type: "request", from: { external: true }, url: `http://${withPod}:${port}/`, expect: "success", clientIP: "preserved", backendsMatching: "app=demoapp", bodyMatches: "ClientIP: 192\\.168\\.2\\.100" });
    expect(ok.passed, ok.explanation).toBe(true);
    expect(check(c, { type: "request", from: { external: true }, url: `http://{{nodeWith:app=demoapp}}:{{svc:np.nodePort}}/`, expect: "success" }).passed).toBe(true);
    const drop = check(c, { type: "request", from: { external: true }, url: `http://${without}:${port}/`, count: 3, expect: "success" });
    expect(drop.passed).toBe(false);
    expect(drop.explanation).toMatch(/3 failed \(timeout ×3\): .*timed out .*has no local endpoints/);
    expect(check(c, { type: "request", from: { external: true }, url: `http://${without}:${port}/`, expect: "timeout" }).passed).toBe(true);
    expect(check(c, { type: "request", from: { node: "node01" }, url: "{{svc:missing.clusterIP}}", expect: "success" }).explanation).toBe("Service missing does not exist.");
    expect(check(c, { type: "request", from: { podSelector: "app=nothing" }, url: "np", expect: "success" }).explanation).toMatch(/no Running pod matches app=nothing/);
  });

  it("request checks run on a copy: the student's cluster is byte-identical afterwards", () => {
    const c = cluster(deployment("demoapp", "demoapp", 2), service("demoapp-svc", "demoapp", "  sessionAffinity: ClientIP\n"));
    const before = JSON.stringify(c.toJSON());
    const r = check(c, { type: "request", from: { node: "node01" }, url: "{{svc:demoapp-svc.clusterIP}}", count: 20, expect: "success" });
    expect(r.passed).toBe(true);
    expect(JSON.stringify(c.toJSON())).toBe(before);
  });

  it("label: has / lacks with kubectl-ready advice", () => {
    const c = cluster(deployment("demoapp", "demoapp", 1));
    c.label("Node", "node01", undefined, { set: { disktype: "ssd" } });
    expect(check(c, { type: "label", kind: "Node", name: "node01", has: ["disktype=ssd", "kubernetes.io/os"] }).passed).toBe(true);
    expect(check(c, { type: "label", kind: "Node", name: "node01", has: ["disktype=hdd"] }).explanation).toBe(
      "Node node01 has disktype=ssd, expected disktype=hdd; change it with kubectl label --overwrite.",
    );
    expect(check(c, { type: "label", kind: "Node", name: "node01", lacks: ["disktype"] }).explanation).toBe(
      "Node node01 still has the label disktype=ssd; remove it with kubectl label node node01 disktype-.",
    );
    expect(check(c, { type: "label", kind: "Node", name: "node01", lacks: ["disktype=hdd"] }).passed).toBe(true);
  });

  it("dns, hostIP and command checks", () => {
    const c = cluster(deployment("client", "client", 1), "apiVersion: v1\nkind: Service\nmetadata: {name: db}\nspec:\n  type: ExternalName\n  externalName: mysql01\n");
    expect(check(c, { type: "dns", name: "db", fromPodSelector: "app=client", cname: "mysql01", addresses: ["192.168.2.8"] }).passed).toBe(true);
    // Nodes do not use cluster DNS: from a node, the Service name does not resolve.
    expect(check(c, { type: "dns", name: "db", found: true }).explanation).toMatch(/^db does not resolve \(NXDOMAIN from \/etc\/hosts\); expected it to resolve\.$/);
    c.addHostIP("node01", "192.168.2.6/21");
    expect(check(c, { type: "hostIP", node: "node01", ip: "192.168.2.6" }).passed).toBe(true);
    expect(check(c, { type: "hostIP", node: "node02", ip: "192.168.2.6" }).explanation).toMatch(/^192\.168\.2\.6 is not bound on node02 \(it is on node01\)/);
    const cmd: Check = { type: "command", pattern: "kubectl\\s+describe\\s+svc", description: "a kubectl describe svc" };
    expect(check(c, cmd, [{ line: "kubectl get po" }]).explanation).toBe("None of your 1 commands is a kubectl describe svc; try it in the terminal.");
    expect(check(c, cmd, [{ line: "kubectl describe svc/x" }]).passed).toBe(true);
    expect(check(c, cmd).passed).toBe(false);
  });
});

// ---- exports ----

const LAB: Lab = {
  slug: "demo",
  order: 1,
  title: "Demo",
  summary: "s",
  objectives: ["o"],
  estimatedMinutes: 5,
  files: [],
  setup: [],
  steps: [{ title: "t", body: "b" }],
  solution: [{ line: "true" }],
  checkpoints: [
    { id: "svc", title: 'Service "demoapp-svc" <exists> & works', points: 2, checks: [{ type: "resource", kind: "Service", name: "demoapp-svc" }] },
    { id: "nodes", title: "Three nodes", points: 3, checks: [{ type: "select", kind: "Node", selector: "", count: 3 }] },
  ],
};

function result(): GradeResult {
  return gradeLab(LAB, Cluster.create({ seed: 1 }));
}


describe("exports", () => {
  it("grades the demo lab: one checkpoint failed, one passed", () => {
    const r = result();
    expect(r).toMatchObject({ lab: "demo", score: 3, maxScore: 5 });
    expect(r.checkpoints.map((c) => [c.id, c.passed, c.points, c.maxPoints])).toEqual([
      ["svc", false, 0, 2],
      ["nodes", true, 3, 3],
    ]);
  });

  it("Gradescope results.json: documented fields, per-checkpoint tests, scores adding up", () => {
    const g = JSON.parse(JSON.stringify(gradescopeResults(result(), { executionTime: 0.5 })));
    expect(g.score).toBe(3);
    expect(g.execution_time).toBe(0.5);
    expect(["visible", "hidden", "after_due_date", "after_published"]).toContain(g.visibility);
    expect(["visible", "hidden"]).toContain(g.stdout_visibility);
    expect(g.tests).toHaveLength(2);
    for (const t of g.tests) {
      expect(Object.keys(t).sort()).toEqual(["max_score", "name", "number", "output", "output_format", "score", "status", "tags", "visibility"]);
      expect(["passed", "failed"]).toContain(t.status);
      expect(typeof t.score).toBe("number");
      expect(t.score).toBeLessThanOrEqual(t.max_score);
    }
    expect(g.tests[0]).toMatchObject({ status: "failed", score: 0, max_score: 2, output: "Service demoapp-svc does not exist yet." });
    expect(g.tests.reduce((n: number, t: { score: number }) => n + t.score, 0)).toBe(g.score);
  });

  it("JUnit XML is well formed, escapes text, and counts failures", () => {
    const xml = junitXml(result(), { timestamp: "2021-12-05T16:00:00" });
    const root = parseXml(xml);
    expect(root.name).toBe("testsuites");
    expect(root.attrs).toMatchObject({ tests: "2", failures: "1" });
    const suite = root.children[0];
    expect(suite.attrs).toMatchObject({ name: "demo", tests: "2", failures: "1", timestamp: "2021-12-05T16:00:00" });
    const cases = suite.children.filter((c) => c.name === "testcase");
    expect(cases.map((c) => c.attrs.name)).toEqual(['svc: Service "demoapp-svc" <exists> & works', "nodes: Three nodes"]);
    const failure = (cases[0] as unknown as { children: { name: string; attrs: Record<string, string>; text: string }[] }).children[0];
    expect(failure.name).toBe("failure");
    expect(failure.text).toBe("Service demoapp-svc does not exist yet.");
  });

  it("CSV gradebook parses back with one column per checkpoint and hostile names quoted", () => {
    const r = result();
    const csv = gradebookCsv([
      { userId: "u1", name: 'Ann "the admin", Jr.', email: "ann@example.edu", result: r, gradedAt: "2021-12-05T16:00:00Z", attempts: 2 },
      { userId: "u2", name: "=cmd()", result: { ...r, score: 5, checkpoints: r.checkpoints.map((c) => ({ ...c, passed: true, points: c.maxPoints })) } },
    ]);
    const rows = parseCsv(csv);
    expect(rows[0]).toEqual(["user_id", "name", "email", "lab", "score", "max_score", "percent", "attempts", "graded_at", "svc", "nodes"]);
    expect(rows[1]).toEqual(["u1", 'Ann "the admin", Jr.', "ann@example.edu", "demo", "3", "5", "60", "2", "2021-12-05T16:00:00Z", "0", "3"]);
    expect(rows[2]).toEqual(["u2", "'=cmd()", "", "demo", "5", "5", "100", "", "", "2", "3"]);
  });

  it("LTI AGS score object", () => {
    const s = ltiScore(result(), { userId: "lti-user-7", timestamp: "2021-12-05T16:00:00Z" });
    expect(s).toEqual({
      userId: "lti-user-7",
      scoreGiven: 3,
      scoreMaximum: 5,
      comment: "1/2 checkpoints passed",
      timestamp: "2021-12-05T16:00:00.000Z",
      activityProgress: "Submitted",
      gradingProgress: "FullyGraded",
    });
    expect(ltiScore(result(), { userId: "u", timestamp: "2021-12-05T16:00:00.123+08:00", activityProgress: "InProgress", gradingProgress: "Pending" })).toMatchObject({
      timestamp: "2021-12-05T16:00:00.123+08:00",
      activityProgress: "InProgress",
      gradingProgress: "Pending",
    });
  });
});

describe("progress", () => {
  it("keeps the first time each checkpoint passed, and scores every checkpoint ever passed", () => {
    const r = result(); // svc failed, nodes passed
    const a = recordProgress(undefined, r, "2021-12-05T16:00:00Z");
    expect(a.newlyPassed).toEqual(["nodes"]);
    expect(a.progress).toEqual({ firstPassedAt: { nodes: "2021-12-05T16:00:00Z" }, score: 3, maxScore: 5 });
    const allPassed = { ...r, checkpoints: r.checkpoints.map((c) => ({ ...c, passed: true, points: c.maxPoints })) };
    const b = recordProgress(a.progress, allPassed, "2021-12-05T16:05:00Z");
    expect(b.newlyPassed).toEqual(["svc"]);
    expect(b.progress.firstPassedAt).toEqual({ nodes: "2021-12-05T16:00:00Z", svc: "2021-12-05T16:05:00Z" });
    // Undoing a checkpoint later does not take its points away.
    const c = recordProgress(b.progress, r, "2021-12-05T16:10:00Z");
    expect(c.newlyPassed).toEqual([]);
    expect(c.progress.score).toBe(5);
  });
});
