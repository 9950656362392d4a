// A pipeline with Debian's python3-kubernetes (the official client, 22.6.0) against a real kubelab server: it lists
// pods by label selector, reads Endpoints and patches a label; the cluster shows what it did.
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createTestApp, type TestApp } from "./helpers/db-app.ts";
import { PYTHON, requireClient, serve, trustTestCA } from "./helpers/kubectl.ts";

const found =
  existsSync(PYTHON) &&
  (await new Promise<boolean>((r) => execFile(PYTHON, ["-c", "import kubernetes"], (err) => r(!err))));
const run = requireClient(`python3-kubernetes (for ${PYTHON}, env KUBELAB_PYTHON)`, found, "apt-get install -y python3-kubernetes");

let t: TestApp;
let server: { origin: string; close(): Promise<void> };
const dir = mkdtempSync(join(tmpdir(), "kubelab-py-"));

beforeAll(async () => {
  if (!run) return;
  t = await createTestApp();
  server = await serve(t.app, [4400, 4499]);
});
afterAll(async () => {
  await server?.close();
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

it.skipIf(!run)("lists pods by label, reads Endpoints and patches a label", async () => {
  const token = await t.token({ sub: "alice", role: "student", course: "c1" });
  const r = await t.gql(token, `mutation { createCluster(input: { name: "py", labSlug: "clusterip-services", seed: 3 }) { ... on CreateClusterPayload { cluster { id } } } }`);
  const id = r.data.createCluster.cluster.id;
  const exec = (c: string) => t.gql(token, `mutation($id: ID!, $c: String!) { exec(input: { clusterId: $id, command: $c }) { ... on ExecPayload { stdout } } }`, { id, c });
  await exec("kubectl apply -f services-clusterip-demo.yaml");
  const origin = new URL(server.origin);
  const res = await t.app.fetch("http://internal/graphql", {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}`, "x-forwarded-proto": "https", "x-forwarded-host": origin.host },
    body: JSON.stringify({ query: `query($id: ID!) { cluster(id: $id) { kubeconfig } }`, variables: { id } }),
  });
  const kubeconfig = join(dir, "config");
  writeFileSync(kubeconfig, trustTestCA(((await res.json()) as any).data.cluster.kubeconfig));
  const out = await new Promise<string>((resolve, reject) =>
    execFile(PYTHON, [join(import.meta.dirname, "fixtures", "python", "pipeline.py"), kubeconfig], { env: { PATH: process.env.PATH ?? "", HOME: dir }, timeout: 60_000 }, (err, stdout, stderr) =>
      err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout),
    ),
  );
  const seen = JSON.parse(out.trim().split("\n").pop()!);
  const pods = (await exec("kubectl get pods -l app=demoapp -o jsonpath={.items[*].metadata.name}")).data.exec.stdout.split(" ").sort();
  const ips = (await exec("kubectl get pods -l app=demoapp -o jsonpath={.items[*].status.podIP}")).data.exec.stdout.split(" ").sort();
  expect(seen.pods).toEqual(pods);
  expect(seen.podIPs).toEqual(ips);
  expect(seen.endpoints).toEqual(ips);
  expect(seen.patched).toEqual([seen.pods[0], "yes"]);
  expect((await exec(`kubectl get pod ${seen.pods[0]} -o jsonpath={.metadata.labels.graded}`)).data.exec.stdout).toBe("yes");
});
