// The terminal's editor contract over GraphQL: vi / nano / kubectl edit answer with an `editor` request (the file,
// its text, the save and cancel commands); the page saves by running `saveCommand` with the edited text as stdin.
// And `history` lists the lines this cluster's terminal ran before, from the command log.
import { afterAll, beforeAll, expect, it } from "vitest";
import { createTestApp, type TestApp } from "./helpers/db-app.ts";

const CREATE = `mutation($name: String!) { createCluster(input: { name: $name, seed: 3 }) {
  __typename ... on CreateClusterPayload { cluster { id } } ... on Error { message } } }`;
const EXEC = `mutation($id: ID!, $cmd: String!, $stdin: String) { exec(input: { clusterId: $id, command: $cmd, stdin: $stdin }) {
  __typename ... on ExecPayload { stdout stderr exitCode editor { host path content editor syntax saveCommand cancelCommand } } ... on Error { message } } }`;

let t: TestApp;
let token: string;
let id: string;
const run = async (cmd: string, stdin?: string) => {
  const r = await t.gql(token, EXEC, { id, cmd, stdin });
  expect(r.errors).toBeUndefined();
  expect(r.data.exec.__typename).toBe("ExecPayload");
  return r.data.exec;
};

beforeAll(async () => {
  t = await createTestApp();
  token = await t.token({ sub: "ed", role: "student", courseId: "c1" } as never);
  id = (await t.gql(token, CREATE, { name: "editor" })).data.createCluster.cluster.id;
});
afterAll(() => t?.close());

it("vim on a file: vim's no-terminal warnings, and an editor request the page saves through exec", async () => {
  await run("kubectl create deployment web --image=nginx --dry-run=client -o yaml > web.yaml");
  const r = await run("vim web.yaml");
  expect(r).toMatchObject({ stdout: "", stderr: "Vim: Warning: Output is not to a terminal\nVim: Warning: Input is not from a terminal\n", exitCode: 1 });
  expect(r.editor).toMatchObject({ host: "master01", path: "/root/web.yaml", editor: "vim", syntax: "yaml", saveCommand: "cat > /root/web.yaml", cancelCommand: null });
  expect(r.editor.content).toContain("  replicas: 1\n");
  const saved = await run(r.editor.saveCommand, r.editor.content.replace("replicas: 1", "replicas: 2"));
  expect(saved).toMatchObject({ exitCode: 0, editor: null });
  expect((await run("kubectl apply -f web.yaml")).stdout).toBe("deployment.apps/web created\n");
  expect((await run("kubectl get deploy web")).stdout).toMatch(/^NAME +READY.*\nweb +2\/2 /);
  const nano = await run("nano web.yaml");
  expect(nano).toMatchObject({ stderr: "Error opening terminal: unknown.\n", exitCode: 1, editor: { editor: "nano" } });
  expect((await run("ls")).editor).toBeNull();
});

it("kubectl edit: the page's save applies the edit with kubectl's message; quitting cancels", async () => {
  const r = await run("kubectl edit deploy web");
  expect(r.exitCode).toBe(1);
  expect(r.editor.path).toMatch(/^\/tmp\/kubectl-edit-\d+\.yaml$/);
  expect(r.editor.content.startsWith("# Please edit the object below. Lines beginning with a '#' will be ignored,\n")).toBe(true);
  const done = await run(r.editor.saveCommand, r.editor.content.replace("replicas: 2", "replicas: 3"));
  expect(done).toMatchObject({ stdout: "deployment.apps/web edited\n", stderr: "", exitCode: 0 });
  expect((await run("kubectl get deploy web")).stdout).toMatch(/\nweb +3\/3 /);
  const again = await run("kubectl edit deploy web");
  expect(await run(again.editor.cancelCommand)).toMatchObject({ stdout: "", stderr: "Edit cancelled, no changes made.\n", exitCode: 0 });
});

it("history lists this terminal's earlier lines from the command log", async () => {
  const h = await run("history | tail -3");
  expect(h.stdout).toMatch(/^ +\d+  kubectl edit deploy web\n +\d+  kubectl edit deployment\.apps\/web -n default --kubelab-resume=\/tmp\/kubectl-edit-\d+\.yaml\n +\d+  history \| tail -3\n$/);
});

it("bash's history expansion uses this terminal's earlier lines: `!!` reruns, an unquoted `!app` is not found", async () => {
  expect((await run("kubectl get deploy web -o name")).stdout).toBe("deployment.apps/web\n");
  expect(await run("!!")).toMatchObject({ stdout: "kubectl get deploy web -o name\ndeployment.apps/web\n", stderr: "", exitCode: 0 });
  expect(await run("kubectl get po -l !app")).toMatchObject({ stdout: "", stderr: "bash: !app: event not found\n" });
  expect((await run("kubectl get po -l '!app'")).stderr).toBe("No resources found in default namespace.\n");
  expect((await run("echo !kubectl:1")).stdout).toBe("echo get\nget\n");
});
