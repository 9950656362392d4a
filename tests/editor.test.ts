// vi / vim / nano and kubectl edit through the bare engine: what the editors say without a terminal, the editor
// request a terminal acts on, and kubectl edit's messages with a non-interactive KUBE_EDITOR / EDITOR.
import { beforeEach, describe, expect, it } from "vitest";
import { Cluster } from "../engine/index.ts";

let c: Cluster;
const sh = (line: string, opts: { host?: string; stdin?: string } = {}) => c.exec(line, opts);
const VIM = "Vim: Warning: Output is not to a terminal\nVim: Warning: Input is not from a terminal\n";

beforeEach(() => {
  c = Cluster.create({ seed: 9 });
  sh("kubectl create deployment web --image=ikubernetes/demoapp:v1.0");
});

describe("vi, vim, nano", () => {
  it("say what they say without a terminal and ask the terminal for an editor on the file", () => {
    c.writeFile("notes.txt", "hello\n");
    const r = sh("vi notes.txt");
    expect(r).toMatchObject({ stdout: "", stderr: VIM, exitCode: 1 });
    expect(r.editor).toEqual({ host: "master01", path: "/root/notes.txt", content: "hello\n", isNew: false, editor: "vi", syntax: "text", saveCommand: "cat > /root/notes.txt" });
    expect(sh("vim new.yaml").editor).toMatchObject({ path: "/root/new.yaml", content: "", syntax: "yaml" });
    expect(sh("nano notes.txt")).toMatchObject({ stderr: "Error opening terminal: unknown.\n", exitCode: 1, editor: { editor: "nano" } });
    // saving is an exec of saveCommand with the new text on stdin
    expect(sh(r.editor!.saveCommand, { stdin: "bye\n" }).exitCode).toBe(0);
    expect(c.readFile("notes.txt")).toBe("bye\n");
    // a pod has busybox's vi, not vim
    sh("kubectl run box --image=ikubernetes/admin-box:v1.2");
    expect(sh("kubectl exec box -- vi /tmp/x").editor).toMatchObject({ host: "pod:default/box", path: "/tmp/x" });
    expect(sh("kubectl exec box -- vim /tmp/x").exitCode).not.toBe(0);
  });
});

describe("kubectl edit", () => {
  it("applies what the editor saved: `edited`", () => {
    expect(sh(`KUBE_EDITOR="sed -i 's/replicas: 1/replicas: 3/'" kubectl edit deploy web`)).toEqual({ stdout: "deployment.apps/web edited\n", stderr: "", exitCode: 0 });
    expect(sh("kubectl get deploy web").stdout).toMatch(/\nweb +3\/3 +3 +3 /);
    // EDITOR is used when KUBE_EDITOR is not set; the temp file is gone after a successful edit
    expect(sh(`export EDITOR="sed -i s/replicas:\\ 3/replicas:\\ 2/"; kubectl edit deployment/web`).stdout).toBe("deployment.apps/web edited\n");
    expect(sh("ls /tmp").stdout).toBe("");
  });
  it("no change, or an empty file: `Edit cancelled, no changes made.`", () => {
    expect(sh("KUBE_EDITOR=true kubectl edit deploy web")).toEqual({ stdout: "", stderr: "Edit cancelled, no changes made.\n", exitCode: 0 });
    expect(sh(`KUBE_EDITOR="sed -i d" kubectl edit deploy web`)).toEqual({ stdout: "", stderr: "Edit cancelled, no changes made.\n", exitCode: 0 });
  });
  it("an invalid edit: the error, the kept copy, and nothing saved", () => {
    const r = sh(`KUBE_EDITOR="sed -i 's/replicas: 1/replicas: -1/'" kubectl edit deploy web`);
    expect(r.stdout).toBe("");
    expect(r.exitCode).toBe(1);
    const m = /^error: deployments\.apps "web" is invalid\nA copy of your changes has been stored to "(\/tmp\/kubectl-edit-\d+\.yaml)"\nerror: Edit cancelled, no valid changes were saved\.\n$/.exec(r.stderr);
    expect(m).not.toBeNull();
    const kept = c.readFile(m![1])!;
    expect(kept).toContain('# deployments.apps "web" was not valid:\n# * spec.replicas: Invalid value: -1: must be greater than or equal to 0\n#\n');
    expect(kept).toContain("  replicas: -1\n");
    expect(sh("kubectl get deploy web").stdout).toMatch(/\nweb +1\/1 /);
  });
  it("a changed name, kind or apiVersion: the kept copy and kubectl's refusal, no reopening; a file that does not parse: reopened with the syntax error on top", () => {
    const r = sh(`KUBE_EDITOR="sed -i 's/name: web$/name: web2/'" kubectl edit deploy web`);
    const m = /^A copy of your changes has been stored to "(\/tmp\/kubectl-edit-\d+\.yaml)"\nerror: At least one of apiVersion, kind and name was changed\n$/.exec(r.stderr);
    expect(m, r.stderr).not.toBeNull();
    expect(r).toMatchObject({ stdout: "", exitCode: 1 });
    expect(c.readFile(m![1])).toContain("  name: web2\n");
    expect(sh("kubectl get deploy").stdout).toMatch(/^NAME +READY +UP-TO-DATE +AVAILABLE +AGE\nweb +1\/1 /);
    const s = sh(`KUBE_EDITOR="sed -i 's/^spec:/spec: [/'" kubectl edit deploy web`);
    const k = /^A copy of your changes has been stored to "(\/tmp\/kubectl-edit-\d+\.yaml)"\nerror: Edit cancelled, no valid changes were saved\.\n$/.exec(s.stderr);
    expect(k, s.stderr).not.toBeNull();
    expect(c.readFile(k![1])).toMatch(/^# Please edit the object below\.[^]*\n# The edited file had a syntax error: [^\n]+\n#\n/);
  });
  it("the editor's failure, an unknown object, a missing name", () => {
    expect(sh("KUBE_EDITOR=false kubectl edit deploy web")).toEqual({ stdout: "", stderr: 'error: there was a problem with the editor "false"\n', exitCode: 1 });
    expect(sh("KUBE_EDITOR=true kubectl edit deploy nope")).toEqual({ stdout: "", stderr: 'Error from server (NotFound): deployments.apps "nope" not found\n', exitCode: 1 });
    expect(sh("kubectl edit deploy").stderr).toBe("error: kubelab's kubectl edit edits one named object: kubectl edit TYPE NAME\n");
  });
  it("with vi (the default) there is no terminal here: vim's warnings and an editor request that finishes the edit", () => {
    const r = sh("kubectl edit deploy web -o json");
    expect(r).toMatchObject({ stdout: "", stderr: VIM, exitCode: 1 });
    expect(r.editor).toMatchObject({ editor: "vi", syntax: "json" });
    expect(r.editor!.saveCommand).toBe(`cat > ${r.editor!.path} && kubectl edit deployment.apps/web -n default -o json --kubelab-resume=${r.editor!.path}`);
    const edited = r.editor!.content.replace('"replicas": 1,', '"replicas": 4,');
    expect(sh(r.editor!.saveCommand, { stdin: edited })).toEqual({ stdout: "deployment.apps/web edited\n", stderr: "", exitCode: 0 });
    expect(sh("kubectl get deploy web").stdout).toMatch(/\nweb +4\/4 /);
  });
});
