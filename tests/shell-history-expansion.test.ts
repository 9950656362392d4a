// Interactive bash's history expansion on the nodes' terminal (engine/shell/history-expansion.ts): the rules as a
// table, then through Cluster.exec with the lines typed before — and where bash does not expand (single quotes, a
// pod's sh, `!=`, `$!`, `[!…]`).
import { describe, expect, it } from "vitest";
import { Cluster } from "../engine/index.ts";
import { expandHistory, historyWords, resolvedHistory } from "../engine/shell/history-expansion.ts";

const H = ["kubectl get pods -o wide", "kubectl label pod web-1 app=web", "curl 10.97.72.1", "echo 'a b' \"c d\" e"];

describe("history expansion", () => {
  const rows: [string, string | { error: string }][] = [
    ["!!", "echo 'a b' \"c d\" e"],
    ["sudo !!", "sudo echo 'a b' \"c d\" e"],
    ["!1", "kubectl get pods -o wide"],
    ["!-2", "curl 10.97.72.1"],
    ["!kubectl", "kubectl label pod web-1 app=web"],
    ["!?get?", "kubectl get pods -o wide"],
    ["!curl | grep x", "curl 10.97.72.1 | grep x"],
    ["echo !$", "echo e"],
    ["echo !^", "echo 'a b'"],
    ["echo !*", "echo 'a b' \"c d\" e"],
    ["echo !kubectl:3", "echo web-1"],
    ["echo !kubectl:2-3", "echo pod web-1"],
    ["echo !!:0", "echo echo"],
    ["^c d^c e", "echo 'a b' \"c e\" e"],
    // where bash leaves `!` alone
    ["kubectl get po -l '!app'", "kubectl get po -l '!app'"],
    ["kubectl get po -l env!=prod", "kubectl get po -l env!=prod"],
    ["echo hi! ; [ 1 != 2 ]", "echo hi! ; [ 1 != 2 ]"],
    ["echo $! \\!x", "echo $! \\!x"],
    ["ls [!a]*", "ls [!a]*"],
    ['echo "done!"', 'echo "done!"'],
    // and where it fails
    ["kubectl get po -l !app", { error: "bash: !app: event not found" }],
    ['kubectl get po -l "!app"', { error: "bash: !app: event not found" }],
    ["!42", { error: "bash: !42: event not found" }],
    ["echo !kubectl:9", { error: "bash: :9: bad word specifier" }],
    ["^nope^x", { error: "bash: :s^nope^x: substitution failed" }],
  ];
  it.each(rows)("%s", (line, want) => {
    const x = expandHistory(line, H);
    if (typeof want === "string") expect("line" in x && x.line).toBe(want);
    else expect(x).toEqual(want);
  });

  it("word ranges and modifiers: :1-$, :s/old/new/, :gs, :h :t :r :e, :p prints instead of running", () => {
    const ok = (line: string, hist = H) => {
      const x = expandHistory(line, hist);
      return "line" in x ? x.line : x.error;
    };
    expect(ok("echo !!:1-$")).toBe("echo 'a b' \"c d\" e");
    expect(ok("!curl:s/10.97/10.98/")).toBe("curl 10.98.72.1");
    expect(ok("!1:gs/o/0/")).toBe("kubectl get p0ds -0 wide");
    expect(ok("!1:s/pods/&,svc/")).toBe("kubectl get pods,svc -o wide");
    const P = ["vi /etc/kubernetes/manifests/kube-apiserver.yaml"];
    expect([ok("ls !vi:$:h", P), ok("echo !vi:$:t", P), ok("echo !vi:$:r", P), ok("echo !vi:$:e", P)]).toEqual([
      "ls /etc/kubernetes/manifests",
      "echo kube-apiserver.yaml",
      "echo /etc/kubernetes/manifests/kube-apiserver",
      "echo .yaml",
    ]);
    expect(expandHistory("!curl:p", H)).toEqual({ line: "curl 10.97.72.1", changed: true, printOnly: true });
    expect(ok("!curl:z")).toBe("bash: :z: unrecognized history modifier");
    expect(ok("!curl:s/nope/x/")).toBe("bash: :s/nope/x/: substitution failed");
  });

  it("words as history_tokenize splits them; the history as bash kept it", () => {
    expect(historyWords(`kubectl get po -l 'a in (x, y)' | grep "b c"`)).toEqual(["kubectl", "get", "po", "-l", "'a in (x, y)'", "|", "grep", '"b c"']);
    expect(resolvedHistory(["ls", "", "!!", "!nope", "echo !$"])).toEqual(["ls", "ls", "echo ls"]);
  });
});

describe("history expansion in the terminal", () => {
  const c = Cluster.create({ seed: 5 });
  c.exec("kubectl create deployment web --image=ikubernetes/demoapp:v1.0 --replicas=2");
  const typed = ["kubectl get deploy web -o name"];

  it("runs the expanded line, echoed first; a failed one runs nothing and keeps $?", () => {
    // (the result says what ran, for the log to replay it)
    expect(c.exec("!!", { history: typed })).toEqual({ stdout: "kubectl get deploy web -o name\ndeployment.apps/web\n", stderr: "", exitCode: 0, ran: "kubectl get deploy web -o name" });
    const failed = c.exec("kubectl delete deploy web -l !app", { history: typed, cwd: "/root", env: { "?": "3" } });
    expect(failed).toMatchObject({ stdout: "", stderr: "bash: !app: event not found\n", exitCode: 3, ran: false });
    // a replay does not expand: it runs the line as logged
    expect(c.exec("echo !x", { historyExpansion: false })).toMatchObject({ stdout: "!x\n", exitCode: 0 });
    expect(c.exec("kubectl get deploy web -o name").stdout).toBe("deployment.apps/web\n");
    // the course's way: single quotes
    expect(c.exec("kubectl get po -l '!app'")).toMatchObject({ stderr: "No resources found in default namespace.\n", exitCode: 0 });
    // `history` lists the expanded lines
    expect(c.exec("history", { history: ["ls", "!!"] }).stdout).toBe("    1  ls\n    2  ls\n    3  history\n");
  });

  it(":p prints the expanded line and runs nothing", () => {
    const before = c.toJSONText();
    expect(c.exec("!kubectl:s/get/delete/:p", { history: typed })).toEqual({ stdout: "kubectl delete deploy web -o name\n", stderr: "", exitCode: 0, ran: false });
    expect(c.toJSONText()).toBe(before);
  });

  it("a pod's sh does not expand history", () => {
    const pod = c.exec("kubectl get pods -o name").stdout.split("\n")[0].replace("pod/", "");
    expect(c.exec("echo !x", { host: `pod:default/${pod}`, history: typed })).toMatchObject({ stdout: "!x\n", exitCode: 0 });
  });
});
