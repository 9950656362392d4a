// `kubectl patch` and `kubectl replace` in the terminal, judged by the real kubectl v1.20.2: twins of the same
// objects, one written by real kubectl through the Kubernetes API facade, the other by the terminal, must print the
// same text (names swapped) and end up the same objects (spec, labels, annotations and managedFields; allocated IPs,
// ports and times masked).
//
// Where kubectl v1.19.4 (the course's client generation, which the terminal follows) and v1.20.2 (installed here)
// differ, the terminal is held to v1.19.4's text, and real kubectl is checked to still print v1.20.2's (sources:
// kubernetes/kubectl tags v0.19.4 and v0.20.2, pkg/cmd/patch/patch.go):
//
// | what                    | v1.19.4                                                  | v1.20.2                                     |
// |-------------------------|----------------------------------------------------------|---------------------------------------------|
// | no -p                   | `Error: required flag(s) "patch" not set` (cobra:        | `error: must specify --patch or             |
// |                         | cmd.MarkFlagRequired("patch"), L126)                      | --patch-file containing the contents …`     |
// | `-p ''`                 | `error: must specify -p to patch` (Validate, L184)        | the same `must specify --patch or …`        |
// | `--patch-file FILE`     | `Error: unknown flag: --patch-file` (no such flag)        | reads the patch from FILE (added in v1.20)  |
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestApp, type TestApp } from "./helpers/db-app.ts";
import { hasKubectl, kubectlFor, kubectlLine, onTwins, serve, terminalLine, type Kubectl } from "./helpers/kubectl.ts";

const run = hasKubectl();

const deployment = (name: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: 2
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      containers:
      - name: demoapp
        image: ikubernetes/demoapp:v1.0
        ports:
        - containerPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: ${name}
spec:
  selector:
    app: ${name}
  ports:
  - name: http
    port: 80
    targetPort: 80
`;

describe.skipIf(!run)("kubectl patch and replace: the terminal prints and writes what real kubectl does through the API", () => {
  let t: TestApp;
  let server: { origin: string; close(): Promise<void> };
  let kubectl: Kubectl;
  let token: string;
  let id: string;
  const dir = mkdtempSync(join(tmpdir(), "kubelab-patch-"));

  const terminal = (command: string, stdin?: string) => terminalLine(t, token, id, command, stdin);
  const line = kubectlLine;

  /** The same command on both twins (NAME is pk for real kubectl, pt for the terminal): the same text, the same success. */
  const both = (args: string[], vary?: (side: "pk" | "pt") => Record<string, string>) => onTwins(kubectl, terminal, args, { real: "pk" as const, ours: "pt" as const }, vary);

  /** When the two sides differ: the cluster's last writes as its command log has them (which door, what it said). */
  async function logTail(): Promise<string> {
    const r = await t.gql(token, `query($id: ID!) { cluster(id: $id) { version commandLog(last: 6) { edges { node { seq operation input stdout stderr } } } } }`, { id });
    const c = r.data?.cluster;
    return `  cluster version ${c?.version}; last log entries:\n${(c?.commandLog.edges ?? []).map((e: { node: unknown }) => `    ${JSON.stringify(e.node)}`).join("\n")}`;
  }

  /** What a patch leaves on an object, with what differs between twins by allocation or time masked. */
  async function written(kind: string, name: string) {
    const o = JSON.parse((await terminal(`kubectl get ${kind} ${name} -o json`)).stdout);
    const mask = (s: string) =>
      s
        .replaceAll(name, "NAME")
        .replace(/"(clusterIP|nodePort)":("[^"]*"|\d+)/g, '"$1":"X"')
        .replace(/"clusterIPs":\[[^\]]*\]/g, '"clusterIPs":["X"]')
        .replace(/"time":"[^"]*"/g, '"time":"T"')
        .replace(/192\.168\.2\.10[12]/g, "EXTIP")
        .replace(/pod-template-hash":"[a-z0-9]+"/g, 'pod-template-hash":"H"');
    return mask(JSON.stringify({ labels: o.metadata.labels, annotations: o.metadata.annotations, spec: o.spec, managedFields: o.metadata.managedFields }));
  }

  beforeAll(async () => {
    t = await createTestApp();
    server = await serve(t.app, [4500, 4599]);
    token = await t.token({ sub: "alice", role: "student", course: "c1" });
    const r = await t.gql(token, `mutation { createCluster(input: { name: "patch", seed: 7 }) { ... on CreateClusterPayload { cluster { id } } ... on Error { message } } }`);
    id = r.data.createCluster.cluster.id;
    for (const name of ["pk", "pt"]) {
      const out = await terminal("kubectl apply -f -", deployment(name));
      expect(out.exitCode, out.stderr).toBe(0);
    }
    kubectl = await kubectlFor(server.origin, { id, name: "patch" }, { sub: "alice", role: "student", course: "c1" });
  }, 120_000);
  afterAll(async () => {
    kubectl?.close();
    await server?.close();
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("strategic, merge and JSON patches of a Service: the same messages, the same objects", async () => {
    const cases: [string[], ((side: "pk" | "pt") => Record<string, string>)?][] = [
      [["patch", "svc", "NAME", "-p", '{"spec":{"type":"NodePort"}}']],
      [["patch", "svc", "NAME", "-p", '{"spec":{"type":"NodePort"}}']], // again: no change
      [["patch", "svc", "NAME", "--type=merge", "-p", '{"spec":{"externalIPs":["EXTERNAL"]}}'], (s) => ({ EXTERNAL: s === "pk" ? "192.168.2.101" : "192.168.2.102" })],
      [["patch", "svc", "NAME", "--type", "json", "-p", '[{"op":"replace","path":"/spec/ports/0/nodePort","value":PORT}]'], (s) => ({ PORT: s === "pk" ? "31001" : "31002" })],
      [["patch", "svc", "NAME", "-p", '{"spec":{"ports":[{"port":80,"nodePort":40000}]}}']],
      [["patch", "svc", "NAME", "-p", '{"spec":{"ports":[{"port":80,"protocol":"XTP"}]}}']],
      [["patch", "svc", "NAME", "-p", '{"metadata":{"labels":{"tier":"web"},"annotations":{"note":"x"}}}', "-o", "name"]],
      [["patch", "svc", "NAME", "--dry-run=client", "-p", '{"spec":{"type":"ClusterIP"}}']],
      [["patch", "svc/NAME", "-p", "spec:\n  sessionAffinity: ClientIP"]], // YAML
    ];
    const diffs: string[] = [];
    for (const [args, vary] of cases) {
      const r = await both(args, vary);
      if (r.real !== r.ours) diffs.push(`${line(args)}\n  kubectl:  ${JSON.stringify(r.real)}\n  terminal: ${JSON.stringify(r.ours)}\n${await logTail()}`);
    }
    expect(diffs.join("\n\n")).toBe("");
    expect(await written("svc", "pt")).toBe(await written("svc", "pk"));
    expect(await written("svc", "pt")).toContain('"sessionAffinity":"ClientIP"');
    // --dry-run=server: real kubectl refuses it here (the facade's OpenAPI document has no paths, so kubectl's
    // dry-run verifier finds no dryRun parameter); against a v1.19 apiserver it prints the message and writes nothing
    const dry = await terminal(line(["patch", "svc", "pt", "--dry-run=server", "-p", '{"spec":{"sessionAffinity":"None"}}']));
    expect(dry).toEqual({ stdout: "service/pt patched\n", stderr: "", exitCode: 0 });
    expect(await written("svc", "pt")).toContain('"sessionAffinity":"ClientIP"');
  }, 120_000);

  it("a Deployment's replicas and image, and a pod taken out of its ReplicaSet by a label patch", async () => {
    for (const args of [
      ["patch", "deploy", "NAME", "-p", '{"spec":{"replicas":3}}'],
      ["patch", "deployment.apps/NAME", "-p", '{"spec":{"template":{"spec":{"containers":[{"name":"demoapp","image":"ikubernetes/demoapp:v1.1"}]}}}}'],
    ]) {
      const r = await both(args);
      expect(r.ours, line(args)).toBe(r.real);
    }
    expect(await written("deploy", "pt")).toBe(await written("deploy", "pk"));
    await terminal("sleep 60");
    const podOf = async (app: string) => (await terminal(`kubectl get pods -l app=${app} -o jsonpath={.items[0].metadata.name}`)).stdout;
    const [pk, pt] = [await podOf("pk"), await podOf("pt")];
    const real = await kubectl.run(["patch", "pod", pk, "-p", '{"metadata":{"labels":{"app":"debug-pk"}}}']);
    const ours = await terminal(line(["patch", "pod", pt, "-p", '{"metadata":{"labels":{"app":"debug-pt"}}}']));
    expect([real.stdout, ours.stdout]).toEqual([`pod/${pk} patched\n`, `pod/${pt} patched\n`]);
    // released by its ReplicaSet and replaced; out of the Service's endpoints
    for (const app of ["pk", "pt"]) {
      expect((await terminal(`kubectl get pods -l app=${app} -o name`)).stdout.trim().split("\n")).toHaveLength(3);
      expect((await terminal(`kubectl get pods -l app=debug-${app} -o jsonpath={.items[0].metadata.ownerReferences}`)).stdout).toBe("");
    }
    const ep = (n: string) => terminal(`kubectl get ep ${n} -o jsonpath={.subsets[*].addresses[*].targetRef.name}`).then((r) => r.stdout);
    expect(await ep("pt")).not.toContain(pt);
    expect(await ep("pk")).not.toContain(pk);
  }, 120_000);

  it("refusals: a missing object, a bad patch, a missing -p, an unknown --type, a type without a name, a failed JSON patch", async () => {
    const diffs: string[] = [];
    for (const args of [
      ["patch", "svc", "nosuch", "-p", "{}"],
      ["patch", "svc", "NAME", "-p", "{bad"],
      ["patch", "svc", "NAME", "--type=foo", "-p", "{}"],
      ["patch", "svc", "-p", "{}"],
      ["patch", "-p", "{}"],
      ["patch", "svc", "NAME", "--type=json", "-p", '[{"op":"remove","path":"/spec/nosuch"}]'],
      ["patch", "svc", "NAME", "--type=json", "-p", '[{"op":"replace","path":"/spec/ports/5/port","value":1}]'],
      ["patch", "svc", "NAME", "-o", "wide", "-p", "{}"],
      ["patch", "svc", "NAME", "--dry-run=maybe", "-p", "{}"],
      ["patch", "svc", "NAME", "-p", "{spec:{type:NodePort}}"], // the shell ate the quotes
      ["patch", "svc", "NAME", "-p", '{"spec":{"type":"NodePort"}'],
      ["patch", "svc", "NAME", "-p", '{"spec":{"ports":[{"port":80,}]}}'],
      ["patch", "svc", "NAME", "-p", "[1,2]"],
      ["patch", "svc", "NAME", "--type=merge", "-p", "{nope"],
      ["patch", "svc", "NAME", "--type=json", "-p", '{"op":"add"}'],
      ["patch", "svc", "NAME", "--type=json", "-p", '["add"]'],
      ["patch", "deploy", "NAME", "-p", '{"spec":{"template":{"spec":{"containers":[{"image":"x"}]}}}}'],
      ["patch", "svc", "NAME", "--dry-run=client", "-p", "{oops"],
      ["patch", "svc", "NAME", "--dry-run=client", "--type=json", "-p", '[{"op":"remove","path":"/spec/nosuch"}]'],
    ]) {
      const r = await both(args);
      if (r.real !== r.ours) diffs.push(`${line(args)}\n  kubectl:  ${JSON.stringify(r.real)}\n  terminal: ${JSON.stringify(r.ours)}\n${await logTail()}`);
    }
    expect(diffs.join("\n\n")).toBe("");
  }, 120_000);

  it("v1.19.4's refusals where v1.20.2 differs: no -p (a required flag), an empty -p, --patch-file (not a v1.19 flag)", async () => {
    const FLAG_HELP = "See 'kubectl patch --help' for usage.\n";
    const V1_20_MISSING = "error: must specify --patch or --patch-file containing the contents of the patch\n";
    for (const [args, v119, v120] of [
      [["patch", "svc", "NAME"], 'Error: required flag(s) "patch" not set\n', V1_20_MISSING],
      [["patch", "svc", "NAME", "-p", ""], "error: must specify -p to patch\n", V1_20_MISSING],
      [["patch", "svc", "NAME", "--patch-file", "nosuch.json"], `Error: unknown flag: --patch-file\n${FLAG_HELP}`, "error: unable to read patch file: open nosuch.json: no such file or directory\n"],
      [["patch", "svc", "NAME", "-p", "{}", "--patch-file", "x.json"], `Error: unknown flag: --patch-file\n${FLAG_HELP}`, "error: cannot specify --patch and --patch-file together\n"],
      [["patch", "--patch-file", "x.json", "svc", "NAME"], `Error: unknown flag: --patch-file\n${FLAG_HELP}`, undefined],
    ] as [string[], string, string | undefined][]) {
      const r = await both(args);
      expect(r.ours, line(args)).toBe(`--stderr--\n${v119}--ok false`);
      if (v120) expect(r.real, line(args)).toBe(`--stderr--\n${v120}--ok false`);
    }
  }, 120_000);

  it("-f names the object; --local patches the file's own object and writes nothing", async () => {
    const file = (n: string) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${n}\nspec:\n  ports:\n  - port: 80\n`;
    const patchFile = "metadata:\n  annotations:\n    from: patch-file\n";
    writeFileSync(join(dir, "svc.yaml"), file("pk"));
    writeFileSync(join(dir, "patch.yaml"), patchFile);
    await terminal("cat > svc.yaml", file("pt"));
    await terminal("cat > patch.yaml", patchFile);
    const path = (s: "pk" | "pt") => (s === "pk" ? { MANIFEST: join(dir, "svc.yaml"), PATCHDOC: join(dir, "patch.yaml") } : { MANIFEST: "svc.yaml", PATCHDOC: "patch.yaml" });
    const before = await written("svc", "pt");
    for (const args of [
      ["patch", "-f", "MANIFEST", "-p", '{"metadata":{"labels":{"from":"file"}}}'],
      ["patch", "-f", "MANIFEST", "--local", "-o", "name", "-p", '{"spec":{"type":"NodePort"}}'],
      ["patch", "-f", "MANIFEST", "--local", "-p", '{"spec":{"type":"NodePort"}}'],
      ["patch", "-f", "MANIFEST", "--local", "-o", "yaml", "-p", '{"spec":{"type":"NodePort"}}'],
      ["patch", "-f", "MANIFEST", "--local", "-o", "json", "-p", '{"spec":{"type":"NodePort","ports":[{"port":80,"targetPort":8080}]}}'],
      ["patch", "-f", "MANIFEST", "--local", "-o", "jsonpath={.spec.ports[0].targetPort}", "-p", '{"spec":{"ports":[{"port":80,"targetPort":8080}]}}'],
      ["patch", "-f", "MANIFEST", "--local", "-o", "jsonpath={.spec.ports[3]}", "-p", "{}"],
      ["patch", "-f", "MANIFEST", "--local", "--dry-run=server", "-p", "{}"],
      ["patch", "svc", "NAME", "--local", "-p", "{}"],
    ]) {
      const r = await both(args, path);
      expect(r.ours, line(args)).toBe(r.real);
    }
    const after = await written("svc", "pt");
    expect(before).not.toContain('"from":"file"');
    expect(after).toContain('"from":"file"');
    expect(after).toBe(await written("svc", "pk"));
  }, 120_000);

  it("replace -f: a whole object (v1.19 refuses a Service without its clusterIP), a stale version, a missing object, --force, --force --save-config", async () => {
    // the files at the same path on both sides, so messages that name them are the same
    const at = (f: string) => join(dir, f);
    const put = async (f: string, text: (side: "pk" | "pt") => string) => {
      writeFileSync(at(`pk-${f}`), text("pk"));
      await terminal(`mkdir -p ${dir} && cat > ${at(`pt-${f}`)}`, text("pt"));
    };
    const file = (f: string) => (side: "pk" | "pt") => ({ FILE: at(`${side}-${f}`) });
    const bare = (n: string) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${n}\nspec:\n  selector:\n    app: ${n}\n  ports:\n  - name: http\n    port: 80\n    targetPort: 8080\n`;
    await put("bare.yaml", bare);
    await put("missing.yaml", (n) => bare(`${n}-missing`));
    // the live object as each side reads it, changed, with and without its resourceVersion
    for (const side of ["pk", "pt"] as const) {
      const live = JSON.parse((await terminal(`kubectl get svc ${side} -o json`)).stdout);
      live.spec.ports[0].targetPort = 8080;
      const text = JSON.stringify(live);
      if (side === "pk") writeFileSync(at("pk-live.json"), text);
      else await terminal(`cat > ${at("pt-live.json")}`, text);
    }
    const diffs: string[] = [];
    for (const [args, vary] of [
      [["replace", "-f", "FILE"], file("bare.yaml")],
      [["replace", "-f", "FILE"], file("missing.yaml")],
      [["replace"], undefined],
      [["replace", "-f", "FILE", "--grace-period=5"], file("bare.yaml")],
      [["replace", "-f", "FILE", "--dry-run=client"], file("bare.yaml")],
      [["replace", "-f", "FILE"], file("live.json")],
      [["replace", "-f", "FILE"], file("live.json")], // again: its resourceVersion is stale now
      [["replace", "-f", "FILE", "-o", "name", "--force"], file("bare.yaml")],
      [["replace", "-f", "FILE", "--force"], file("missing.yaml")],
    ] as [string[], ((side: "pk" | "pt") => Record<string, string>) | undefined][]) {
      const r = await both(args, vary);
      if (r.real !== r.ours) diffs.push(`${line(args)}\n  kubectl:  ${JSON.stringify(r.real)}\n  terminal: ${JSON.stringify(r.ours)}\n${await logTail()}`);
    }
    expect(diffs.join("\n\n")).toBe("");
    expect(await written("svc", "pt")).toBe(await written("svc", "pk"));
    expect(await written("svc", "pt-missing")).toBe(await written("svc", "pk-missing"));
    // --save-config records what was sent as the last-applied configuration
    await put("saved.yaml", (n) => bare(n).replace("targetPort: 8080", "targetPort: 9090"));
    // --dry-run=server (real kubectl refuses it here: the served OpenAPI has no paths) writes nothing
    const unchanged = await written("svc", "pt");
    await terminal(`kubectl replace -f ${at("pt-saved.yaml")} --force --dry-run=server`);
    await terminal(`kubectl replace -f ${at("pt-saved.yaml")} --dry-run=server`);
    expect(await written("svc", "pt")).toBe(unchanged);
    const r = await both(["replace", "-f", "FILE", "--force", "--save-config"], file("saved.yaml"));
    expect(r.ours).toBe(r.real);
    expect(r.ours).toContain("NAME replaced");
    expect(await written("svc", "pt")).toBe(await written("svc", "pk"));
    expect(await written("svc", "pt")).toMatch(/last-applied-configuration.*"targetPort\":9090/);
  }, 120_000);

  it("replace -o yaml|json|jsonpath: the object the server answered (keys sorted), a dry run's object as read, --force's created object, an -o it cannot print", async () => {
    const at = (f: string) => join(dir, f);
    const yaml = (n: string, port: number) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${n}-o\n  labels:\n    app: ${n}\nspec:\n  selector:\n    app: ${n}\n  ports:\n  - name: http\n    port: 80\n    targetPort: ${port}\n`;
    const put = async (f: string, text: (side: "pk" | "pt") => string) => {
      writeFileSync(at(`pk-${f}`), text("pk"));
      await terminal(`mkdir -p ${dir} && cat > ${at(`pt-${f}`)}`, text("pt"));
    };
    await put("o.yaml", (n) => yaml(n, 81));
    await put("o2.yaml", (n) => yaml(n, 82));
    for (const side of ["pk", "pt"]) expect((await terminal("kubectl apply -f -", yaml(side, 81))).exitCode).toBe(0);
    // what differs between twins by allocation or time
    const mask = (s: string) =>
      s
        .replace(/(uid|creationTimestamp|resourceVersion|clusterIP|time)("?:\s*"?)[^"\n,]+/g, "$1$2X")
        .replace(/("clusterIPs":\s*\[\s*|clusterIPs:\n\s*- )[0-9.]+/g, "$1X");
    const file = (f: string) => (side: "pk" | "pt") => ({ FILE: at(`${side}-${f}`) });
    const diffs: string[] = [];
    for (const [args, vary] of [
      [["replace", "-f", "FILE", "-o", "yaml"], file("o2.yaml")],
      [["replace", "-f", "FILE", "-o", "json"], file("o.yaml")],
      [["replace", "-f", "FILE", "-o", "jsonpath={.spec.ports[0].targetPort} {.kind}"], file("o2.yaml")],
      [["replace", "-f", "FILE", "-o", "jsonpath={.spec.nosuch.x}"], file("o2.yaml")],
      [["replace", "-f", "FILE", "--dry-run=client", "-o", "yaml"], file("o.yaml")],
      [["replace", "-f", "FILE", "-o", "wide"], file("o.yaml")],
      [["replace", "-f", "FILE", "--force", "-o", "yaml"], file("o.yaml")],
    ] as [string[], (side: "pk" | "pt") => Record<string, string>][]) {
      const r = await both(args, vary);
      if (mask(r.real) !== mask(r.ours)) diffs.push(`${line(args)}\n  kubectl:  ${JSON.stringify(mask(r.real))}\n  terminal: ${JSON.stringify(mask(r.ours))}\n${await logTail()}`);
    }
    expect(diffs.join("\n\n")).toBe("");
    // the same object written on both sides (its selector and label name the twin)
    expect((await written("svc", "pt-o")).replaceAll('"pt"', '"pk"')).toBe(await written("svc", "pk-o"));
  }, 120_000);
});
