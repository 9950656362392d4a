// `npm run shell`'s editor: an editor request (vi, vim, nano, kubectl edit) opens the host's $VISUAL / $EDITOR on a
// temporary copy, and what it saved goes back through the request's save command (or the cancel command when the
// text is unchanged or the editor failed). Run here with non-interactive editors standing in for a person.
import { afterEach, beforeEach, expect, it, vi } from "vitest";
import { Cluster } from "../engine/index.ts";
import { editOnHost } from "../scripts/shell-editor.ts";

let c: Cluster;
const saved = { EDITOR: process.env.EDITOR, VISUAL: process.env.VISUAL };

beforeEach(() => {
  c = Cluster.create({ seed: 4 });
  c.exec("kubectl create deployment web --image=ikubernetes/demoapp:v1.0");
  delete process.env.VISUAL;
});
afterEach(() => {
  for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k];
  else process.env[k] = v;
  vi.restoreAllMocks();
});

/** Runs a line; if it asks for an editor, answers it as npm run shell does and runs what that returns. */
function withEditor(line: string) {
  const r = c.exec(line);
  expect(r.editor, line).toBeDefined();
  const next = editOnHost(r.editor!);
  return next ? c.exec(next.line, { stdin: next.stdin }) : undefined;
}

it("kubectl edit: the host's editor on a copy, the edit applied with kubectl's words", () => {
  process.env.EDITOR = "sed -i 's/replicas: 1/replicas: 3/'";
  expect(withEditor("kubectl edit deploy web")).toEqual({ stdout: "deployment.apps/web edited\n", stderr: "", exitCode: 0 });
  expect(c.exec("kubectl get deploy web").stdout).toMatch(/\nweb +3\/3 /);
  // VISUAL comes before EDITOR, as in most tools
  process.env.VISUAL = "sed -i 's/replicas: 3/replicas: 2/'";
  expect(withEditor("kubectl edit deploy web")?.stdout).toBe("deployment.apps/web edited\n");
  expect(c.exec("kubectl get deploy web").stdout).toMatch(/\nweb +2\/2 /);
});

it("unchanged text or a failing editor: the cancel command (kubectl edit's 'Edit cancelled'), nothing written", () => {
  process.env.EDITOR = "true";
  expect(withEditor("kubectl edit deploy web")).toEqual({ stdout: "", stderr: "Edit cancelled, no changes made.\n", exitCode: 0 });
  process.env.EDITOR = "false";
  const err = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
  expect(withEditor("kubectl edit deploy web")?.stderr).toBe("Edit cancelled, no changes made.\n");
  expect(err).toHaveBeenCalledWith('kubelab: the editor "false" exited with status 1\n');
  // vim on a new file the editor leaves empty: nothing to save, no file made
  process.env.EDITOR = "true";
  expect(withEditor("vim notes.txt")).toBeUndefined();
  expect(c.readFile("notes.txt")).toBeUndefined();
});

it("vi/vim/nano FILE: what the editor wrote is the file's new text", () => {
  c.writeFile("notes.txt", "hello\n");
  process.env.EDITOR = "sed -i 's/hello/bye/'";
  expect(withEditor("nano notes.txt")).toEqual({ stdout: "", stderr: "", exitCode: 0 });
  expect(c.readFile("notes.txt")).toBe("bye\n");
  process.env.EDITOR = `sh -c 'printf "apiVersion: v1\\n" > "$0"'`;
  expect(withEditor("vi svc.yaml")?.exitCode).toBe(0);
  expect(c.readFile("svc.yaml")).toBe("apiVersion: v1\n");
});
