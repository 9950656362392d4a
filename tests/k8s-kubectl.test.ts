// The course's walkthrough through the REAL kubectl v1.20 against a real kubelab server, each output compared byte
// for byte with what the engine's own terminal prints for the same command on the same cluster.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "./helpers/db-app.ts";
import { hasKubectl, kubectlFor, kubectlLine, serve, terminalLine, type Kubectl } from "./helpers/kubectl.ts";

const run = hasKubectl();

describe.skipIf(!run)("real kubectl v1.20 against a kubelab cluster", () => {
  let t: TestApp;
  let server: { origin: string; close(): Promise<void> };
  let kubectl: Kubectl;
  let token: string;
  let clusterId: string;
  /** A twin of the cluster (same lab, same seed, same commands): the terminal does there what kubectl does here. */
  let twinId: string;

  const terminal = (command: string, stdin?: string, id = clusterId) => terminalLine(t, token, id, command, stdin);
  const line = kubectlLine;

  /**
   * A write: real kubectl on the cluster, the terminal on its twin; same output, then the same pods and services, byte
   * for byte (the terminal's `create deployment` sends the object real kubectl sends, so even the hashes agree).
   */
  async function sameWrite(args: string[], stdin?: string) {
    const real = await kubectl.run(args, stdin);
    const ours = await terminal(line(args), stdin, twinId);
    expect(real.stderr).toBe(ours.stderr);
    expect(real.stdout).toBe(ours.stdout);
    expect(real.code === 0).toBe(ours.exitCode === 0);
    for (const read of ["kubectl get pods,svc,ep,deploy,rs -o wide --show-labels"]) {
      const a = await terminal(read);
      const b = await terminal(read, undefined, twinId);
      expect(a.stdout).toBe(b.stdout);
    }
    return real;
  }

  /** Real kubectl and the engine's terminal agree on stdout (and on success). */
  async function same(args: string[]) {
    const real = await kubectl.run(args);
    const ours = await terminal(line(args));
    expect(real.stderr).toBe(ours.stderr);
    expect(real.stdout).toBe(ours.stdout);
    expect(real.code === 0).toBe(ours.exitCode === 0);
    return real;
  }

  beforeAll(async () => {
    t = await createTestApp();
    server = await serve(t.app, [4400, 4499]);
    token = await t.token({ sub: "alice", role: "student", course: "c1" });
    for (const name of ["k", "twin"]) {
      const r = await t.gql(token, `mutation($n: String!) { createCluster(input: { name: $n, labSlug: "clusterip-services", seed: 7 }) { ... on CreateClusterPayload { cluster { id } } } }`, { n: name });
      const id = r.data.createCluster.cluster.id;
      await terminal("kubectl apply -f services-clusterip-demo.yaml", undefined, id);
      await terminal("sleep 600", undefined, id);
      if (name === "k") clusterId = id;
      else twinId = id;
    }
    kubectl = await kubectlFor(server.origin, { id: clusterId, name: "k" }, { sub: "alice", role: "student", course: "c1" });
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

  it("get --raw: kubectl drops the server's path for raw paths, and the cluster comes from the token", async () => {
    const eps = await kubectl.run(["get", "--raw", "/api/v1/namespaces/default/endpoints/demoapp-svc"]);
    expect(eps.code, eps.stderr).toBe(0);
    const body = JSON.parse(eps.stdout);
    expect([body.kind, body.metadata.name, body.subsets[0].addresses.length]).toEqual(["Endpoints", "demoapp-svc", 3]);
    const pods = JSON.parse((await kubectl.run(["get", "--raw", "/api/v1/namespaces/default/pods?labelSelector=app%3Ddemoapp"])).stdout);
    expect(pods.items.length).toBe(3);
    expect(JSON.parse((await kubectl.run(["get", "--raw", "/version"])).stdout).gitVersion).toBe("v1.19.4");
    for (const path of ["/healthz", "/readyz", "/livez"]) expect(await kubectl.run(["get", "--raw", path])).toMatchObject({ stdout: "ok", code: 0 });
    // the root paths need the cluster's token, as the prefixed ones do
    expect((await t.app.fetch(new Request("https://kubelab.test/api/v1/namespaces/default/pods", { headers: { authorization: `Bearer ${token}` } }))).status).toBe(401);
    // but what a real apiserver shows anyone (system:public-info-viewer) needs none: its health, and its version
    for (const url of ["https://kubelab.test/healthz", "https://kubelab.test/livez", "https://kubelab.test/readyz/ping", "https://kubelab.test/k8s/clusters/00000000-0000-0000-0000-000000000000/healthz"]) {
      const r = await t.app.fetch(new Request(url));
      expect([r.status, await r.text()], url).toEqual([200, "ok"]);
      const head = await t.app.fetch(new Request(url, { method: "HEAD" }));
      expect([head.status, head.headers.get("content-type"), await head.text()], url).toEqual([200, "text/plain; charset=utf-8", ""]);
    }
    expect(await (await t.app.fetch(new Request("https://kubelab.test/version"))).json()).toMatchObject({ gitVersion: "v1.19.4" });
    // a token that is not valid is refused there too (authentication comes before the public paths' authorization)
    expect((await t.app.fetch(new Request("https://kubelab.test/healthz", { headers: { authorization: "Bearer garbage" } }))).status).toBe(401);
    // nothing else is public
    expect((await t.app.fetch(new Request("https://kubelab.test/api/v1/namespaces/default/pods"))).status).toBe(401);
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
  it("describe ep, get svc -o wide, get po/<name>, get ns,no", async () => {
    await same(["describe", "ep", "demoapp-svc"]);
    await same(["get", "svc", "-o", "wide"]);
    const pod = (await terminal("kubectl get pods -o name")).stdout.split("\n")[0];
    await same(["get", pod, "-o", "wide"]);
    await same(["get", "ns,no"]);
    await same(["get", "svc/nope"]);
  });

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
    // (v1.20's APIVERSION against v1.19's APIGROUP: discovery.k8s.io is served as v1beta1, as v1.19 serves it)
    expect(real.stdout).toMatch(/^endpointslices +discovery\.k8s\.io\/v1beta1 +true +EndpointSlice$/m);
    expect(rows(real.stdout, (v) => v.replace(/\/?v1(beta1)?$/, ""))).toEqual(rows(ours.stdout, (v) => v));
  });

  // events are the engine's records served as core/v1 Events: the server-side Table (printEvent's columns) and the
  // terminal's printer give the same lines; -o wide puts SUBOBJECT and SOURCE before MESSAGE
  it("get events, get ev -o wide, get ev -A, get ev/<name>", async () => {
    const r = await same(["get", "events"]);
    expect(r.stdout.split("\n")[0]).toMatch(/^LAST SEEN +TYPE +REASON +OBJECT +MESSAGE$/);
    expect(r.stdout).toMatch(/\n\S+ +Normal +ScalingReplicaSet +deployment\/demoapp +Scaled up replica set demoapp-/);
    const wide = await same(["get", "ev", "-o", "wide"]);
    expect(wide.stdout.split("\n")[0]).toMatch(/^LAST SEEN +TYPE +REASON +OBJECT +SUBOBJECT +SOURCE +MESSAGE +FIRST SEEN +COUNT +NAME$/);
    await same(["get", "ev", "-A"]);
    const name = wide.stdout.split("\n")[1].trim().split(/\s+/).pop()!;
    await same(["get", `ev/${name}`]);
    await same(["get", "ev", "nope"]);
    const sel = await same(["get", "ev", "--field-selector", "involvedObject.name=demoapp"]);
    expect(sel.stdout.trimEnd().split("\n").slice(1).every((l) => / deployment\/demoapp /.test(l))).toBe(true);
    await same(["get", "ev", "--field-selector", "involvedObject.kind=Pod,reason!=Pulled", "-o", "wide"]);
    await same(["get", "ev", "--field-selector", "nope=x"]);
  });

  it("get all", async () => {
    const r = await same(["get", "all"]);
    expect(r.stdout).toContain("deployment.apps/demoapp");
  });

  // kube-system as a kubeadm v1.19 + flannel master has it (derived per topology, engine/kubeadm/): real kubectl reads
  // the same system pods, DaemonSets, kube-dns and its Endpoints the terminal lists.
  it("get pods -A -o wide, get svc -A, get ds -A -o wide, get ep -n kube-system, describe ds", async () => {
    const pods = await same(["get", "pods", "-A", "-o", "wide"]);
    expect(pods.stdout).toMatch(/\nkube-system +etcd-master01 +1\/1 +Running +0 /);
    await same(["get", "svc", "-A"]);
    const ds = await same(["get", "ds", "-A", "-o", "wide"]);
    expect(ds.stdout).toMatch(/\nkube-system +kube-proxy +3 +3 +3 +3 +3 +kubernetes.io\/os=linux /);
    await same(["get", "ep", "-n", "kube-system"]);
    await same(["describe", "ds", "kube-proxy", "-n", "kube-system"]);
  });

  it("get -l with each selector form", async () => {
    for (const sel of ["app=demoapp", "app", "!app", "app in (mypod,demoapp)", "app notin (x)", "app!=x,app"]) await same(["get", "po", "-l", sel, "--show-labels"]);
  });

  it("label: add, the refusal without --overwrite, --overwrite, key-", async () => {
    const pod = (await terminal("kubectl get pods -o name")).stdout.split("\n")[0];
    expect(pod).toMatch(/^pod\/demoapp-/);
    await sameWrite(["label", pod, "release=alpha"]);
    await sameWrite(["label", pod, "release=beta"]);
    await sameWrite(["label", pod, "release=beta", "--overwrite"]);
    await sameWrite(["label", pod, "release-"]);
    await sameWrite(["label", "svc/demoapp-svc", "tier=web"]);
  });

  it("scale, create deployment, expose, delete", async () => {
    await sameWrite(["scale", "deployment", "demoapp", "--replicas=2"]);
    await sameWrite(["create", "deployment", "web", "--image=ikubernetes/demoapp:v1.0", "--replicas=2"]);
    // the terminal builds the Deployment real kubectl sends: the same template, so the same pod-template-hash
    for (const read of ["kubectl get deploy web -o jsonpath={.spec.template}", "kubectl get rs -l app=web -o name"]) {
      const ours = (await terminal(read, undefined, twinId)).stdout;
      expect(ours).not.toBe("");
      expect(ours).toBe((await terminal(read)).stdout);
    }
    await sameWrite(["expose", "deployment", "web", "--port=80"]);
    await sameWrite(["delete", "svc", "web"]);
    await sameWrite(["delete", "deployment", "web"]);
    // a pod: kubectl waits until it is gone, and its grace period runs out on the virtual clock on both doors (the
    // facade's DELETE used to leave it Terminating, so real kubectl waited for ever); the request's grace period counts
    await sameWrite(["run", "solo", "--image=ikubernetes/demoapp:v1.0"]);
    await sameWrite(["delete", "pod", "solo"]);
    await sameWrite(["run", "solo", "--image=ikubernetes/demoapp:v1.0"]);
    await sameWrite(["delete", "pod", "solo", "--grace-period=0", "--force"]);
    await sameWrite(["get", "pod", "solo"]);
  });

  it("create deployment --dry-run=client prints what kubectl prints", async () => {
    await same(["create", "deployment", "x", "--image=nginx", "--dry-run=client", "-o", "yaml"]);
    await same(["create", "deployment", "x", "--image=nginx", "--dry-run=client", "-o", "json"]);
    await same(["create", "deployment", "my-dep", "-n", "ns1", "--image=busybox:1.2", "--image=nginx", "--port=5701", "--replicas=3", "--dry-run=client", "-o", "yaml"]);
    await same(["create", "deployment", "x", "--image=ikubernetes/demoapp:v1.0", "--dry-run=client", "-o", "yaml", "--", "date", "-u"]);
    await same(["create", "deployment", "x", "--image=nginx", "--dry-run=client", "-o", "name"]);
    await same(["create", "deployment", "x", "--image=nginx", "--dry-run=client"]);
  });

  // cobra checks flags marked required (MarkFlagRequired, in v1.19.4 and v1.20.2 alike: run/create deployment --image,
  // create service externalname --external-name, scale --replicas) before the command runs, so before its own NAME
  // checks; an empty value counts as given and reaches the command's own message
  it("required flags: cobra's refusal comes first, an empty value reaches the command", async () => {
    for (const args of [
      ["run", "x"],
      ["run"],
      ["run", "x", "--image="],
      ["create", "deployment", "x"],
      ["create", "deployment"],
      ["create", "service", "externalname", "x"],
      ["create", "service", "externalname"],
      ["create", "service", "externalname", "x", "--external-name="],
      ["scale", "deployment", "demoapp"],
      ["scale"],
      ["scale", "deployment", "demoapp", "--replicas=-1"],
    ]) {
      const r = await same(args);
      expect(r.code, args.join(" ")).not.toBe(0);
    }
  });

  it("apply -f of the course manifests (validated against /openapi/v2), and a misspelt field", async () => {
    const manifest = (await terminal("cat services-clusterip-demo.yaml")).stdout;
    const nodeport = manifest.replace(/name: demoapp-svc/, "name: demoapp-nodeport-svc").replace(/  clusterIP: .*\n/, "").replace(/spec:\n/, "spec:\n  type: NodePort\n");
    await sameWrite(["apply", "-f", "-"], nodeport);
    await sameWrite(["apply", "-f", "-"], nodeport.replace("port: 80", "port: 8080"));
    await sameWrite(["apply", "-f", "-"], nodeport.replace("port: 80", "port: 8080"));
    // kubectl's own schema check, against the served /openapi/v2 (the terminal does not check unknown fields: README)
    const bad = await kubectl.run(["apply", "-f", "-"], nodeport.replace("ports:", "prots:"));
    expect(bad.stderr).toBe(
      'error: error validating "STDIN": error validating data: ValidationError(Service.spec): unknown field "prots" in io.k8s.api.core.v1.ServiceSpec; if you choose to ignore these errors, turn validation off with --validate=false\n',
    );
    const typo = await kubectl.run(["apply", "-f", "-"], nodeport.replace("port: 8080", "port: eighty"));
    expect(typo.stderr).toBe((await terminal("kubectl apply -f -", nodeport.replace("port: 8080", "port: eighty"), twinId)).stderr);
  });

  it("explain, from the same served definitions", async () => {
    await same(["explain", "service.spec"]);
    await same(["explain", "svc"]);
    await same(["explain", "service.spec.clusterIP"]);
    await same(["explain", "pods.spec.containers.ports"]);
    await same(["explain", "deployment.spec.selector", "--recursive"]);
    await same(["explain", "service.spec.nope"]);
    await same(["explain", "endpointslices"]);
    await same(["explain", "endpointslice.endpoints", "--recursive"]);
  });

  const until = async (cond: () => boolean, ms = 15_000) => {
    for (const end = Date.now() + ms; !cond() && Date.now() < end; ) await new Promise((r) => setTimeout(r, 100));
    return cond();
  };

  it("get -w sees a scale's new pods as the terminal lists them; rollout status", async () => {
    const w = kubectl.start(["get", "pods", "-l", "app=demoapp", "-w"]);
    try {
      const before = (await terminal("kubectl get pods -l app=demoapp")).stdout;
      expect(await until(() => w.output() === before)).toBe(true);
      await terminal("kubectl scale deployment demoapp --replicas=4");
      const after = (await terminal("kubectl get pods -l app=demoapp")).stdout.split("\n").slice(1).filter(Boolean);
      const added = after.filter((l) => !before.includes(l.split(" ")[0]));
      expect(added.length).toBeGreaterThan(0);
      const squash = (l: string) => l.replace(/ +/g, " ");
      // (a watch event's row is printed with its own column widths)
      expect(await until(() => added.every((l) => w.output().split("\n").map(squash).includes(squash(l))))).toBe(true);
    } finally {
      w.stop();
    }
    const r = await kubectl.run(["rollout", "status", "deployment/demoapp"]);
    expect([r.stdout, r.stderr, r.code]).toEqual(['deployment "demoapp" successfully rolled out\n', "", 0]);
  }, 90_000);
});
