// The course's walkthrough through the REAL kubectl v1.20 against a real kubelab server, each output compared byte
// for byte with what the engine's own terminal prints for the same command on the same cluster.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, TEST_SECRET, type TestApp } from "./helpers/db-app.ts";
import { hasKubectl, Kubectl, serve } from "./helpers/kubectl.ts";
import { kubeconfigFor } from "../api/k8s/kubeconfig.ts";
import { DEFAULT_ISSUER } from "../api/auth.ts";

const run = hasKubectl();

describe.skipIf(!run)("real kubectl v1.20 against a kubelab cluster", () => {
  let t: TestApp;
  let server: { origin: string; close(): Promise<void> };
  let kubectl: Kubectl;
  let token: string;
  let clusterId: string;

  async function terminal(command: string, stdin?: string) {
    const r = await t.gql(token, `mutation($id: ID!, $c: String!, $s: String) { exec(input: { clusterId: $id, command: $c, stdin: $s }) { ... on ExecPayload { stdout stderr exitCode } ... on Error { message } } }`, { id: clusterId, c: command, s: stdin ?? null });
    return r.data!.exec as { stdout: string; stderr: string; exitCode: number };
  }

  /** Real kubectl and the engine's terminal agree on stdout (and on success). */
  async function same(args: string[]) {
    const real = await kubectl.run(args);
    const ours = await terminal(`kubectl ${args.map((a) => (/[\s'!(),]/.test(a) ? `'${a}'` : a)).join(" ")}`);
    expect(real.stderr).toBe(ours.stderr);
    expect(real.stdout).toBe(ours.stdout);
    expect(real.code === 0).toBe(ours.exitCode === 0);
    return real;
  }

  beforeAll(async () => {
    t = await createTestApp();
    server = await serve(t.app);
    token = await t.token({ sub: "alice", role: "student", course: "c1" });
    const r = await t.gql(token, `mutation { createCluster(input: { name: "k", labSlug: "clusterip-services", seed: 7 }) { ... on CreateClusterPayload { cluster { id } } } }`);
    clusterId = r.data.createCluster.cluster.id;
    await terminal("kubectl apply -f services-clusterip-demo.yaml");
    await terminal("sleep 600");
    const yaml = await kubeconfigFor({ secret: TEST_SECRET, issuer: DEFAULT_ISSUER, audience: "" }, server.origin, { id: clusterId, name: "k" }, { sub: "alice", role: "student", course: "c1" });
    kubectl = new Kubectl(yaml);
  });
  afterAll(async () => {
    kubectl?.close();
    await server?.close();
    await t?.close();
  });

  it("get pods -o wide --show-labels", async () => {
    const r = await same(["get", "pods", "-o", "wide", "--show-labels"]);
    expect(r.stdout).toMatch(/^NAME +READY +STATUS +RESTARTS +AGE +IP +NODE +NOMINATED NODE +READINESS GATES +LABELS\n/);
    expect(r.stdout.split("\n").filter((l) => l.startsWith("demoapp-")).length).toBe(3);
  });

  it("get svc,ep", async () => {
    const r = await same(["get", "svc,ep"]);
    expect(r.stdout).toContain("service/demoapp-svc");
    expect(r.stdout).toContain("endpoints/demoapp-svc");
  });

  it("describe svc", async () => {
    const r = await same(["describe", "svc/demoapp-svc"]);
    expect(r.stdout).toMatch(/^Name: +demoapp-svc\n/);
  });

  // kubectl 1.20 prints APIVERSION (group/version) where the course's 1.19 printed APIGROUP: a client change, the
  // discovery served is the same. The rows are compared with that one column mapped back.
  it("api-resources", async () => {
    const real = await kubectl.run(["api-resources"]);
    const ours = await terminal("kubectl api-resources");
    // cells by the header's column offsets (a blank cell is blank text under its header)
    const rows = (out: string, col: (v: string) => string) => {
      const [head, ...lines] = out.trimEnd().split("\n");
      const starts = [...head.matchAll(/\S+/g)].map((m) => m.index!);
      return lines.map((l) => starts.map((st, i) => l.slice(st, starts[i + 1]).trim()).map((v, i) => (i === 2 ? col(v) : v)).join("|"));
    };
    expect(real.stderr).toBe("");
    expect(real.stdout.split("\n")[0]).toMatch(/^NAME +SHORTNAMES +APIVERSION +NAMESPACED +KIND$/);
    expect(rows(real.stdout, (v) => v.replace(/\/?v1$/, ""))).toEqual(rows(ours.stdout, (v) => v));
  });

  it("get all", async () => {
    const r = await same(["get", "all"]);
    expect(r.stdout).toContain("deployment.apps/demoapp");
  });

  it("get -l with each selector form", async () => {
    for (const sel of ["app=demoapp", "app", "!app", "app in (mypod,demoapp)", "app notin (x)", "app!=x,app"]) await same(["get", "po", "-l", sel, "--show-labels"]);
  });
});
