// The lab terminal's bash: quoting, pipes, && / ||, bounded loops, redirections, text tools, network tools, and the
// promise that no line ever throws out of exec.
import fc from "fast-check";
import { beforeEach, describe, expect, it } from "vitest";
import { Cluster } from "../engine/index.ts";
import { execLine } from "../engine/shell/exec.ts";
import { parse } from "../engine/shell/parse.ts";

let c: Cluster;
const sh = (line: string, opts: { host?: string; stdin?: string; cwd?: string } = {}) => execLine(c, line, opts);
const out = (stdout: string, exitCode = 0) => ({ stdout, stderr: "", exitCode });

beforeEach(() => {
  c = Cluster.create({ seed: 5 });
});

describe("bash syntax", () => {
  it("quotes, escapes and variables", () => {
    expect(sh(`echo 'a  b' "c  $HOSTNAME" d\\ e`)).toEqual(out("a  b c  master01 d e\n"));
    expect(sh(`echo "$(echo  one   two)" $(echo  one   two)`)).toEqual(out("one two one two\n"));
    expect(sh("X=5; echo ${X}x $X", { host: "node01" })).toEqual(out("5x 5\n"));
    expect(sh("echo '$HOME' \"$HOME\" ~/x")).toEqual(out("$HOME /root /root/x\n"));
    expect(sh("echo a # comment")).toEqual(out("a\n"));
  });
  it("pipes, lists, && and ||, $?", () => {
    expect(sh("echo b; echo a | tr a z")).toEqual(out("b\nz\n"));
    expect(sh("false && echo no || echo yes")).toEqual(out("yes\n"));
    expect(sh("true && echo ok; false; echo $?")).toEqual(out("ok\n1\n"));
    expect(sh("! false && echo negated")).toEqual(out("negated\n"));
    expect(sh("{ echo a; echo b; } | wc -l")).toEqual(out("2\n"));
    expect(sh("if grep -q x <<< 'xyz'; then echo has; else echo not; fi")).toEqual(out("has\n"));
  });
  it("syntax errors are bash's, exit 2", () => {
    expect(sh("echo 'oops")).toEqual({ stdout: "", stderr: "bash: unexpected EOF while looking for matching `''\nbash: syntax error: unexpected end of file\n", exitCode: 2 });
    expect(sh("echo a ;; echo b")).toEqual({ stdout: "", stderr: "bash: syntax error near unexpected token `;;'\n", exitCode: 2 });
    expect(sh("| grep x")).toEqual({ stdout: "", stderr: "bash: syntax error near unexpected token `|'\n", exitCode: 2 });
    expect(sh("while true; do echo x")).toEqual({ stdout: "", stderr: "bash: syntax error: unexpected end of file\n", exitCode: 2 });
    expect(() => parse("for i in 1 2; do echo $i; done")).not.toThrow();
  });
  it("unknown commands: 127 with bash's message (sh's inside a pod)", () => {
    expect(sh("foo --bar")).toEqual({ stdout: "", stderr: "bash: foo: command not found\n", exitCode: 127 });
    expect(sh("kubectl get po", { host: "pod:default/nope" }).exitCode).toBe(127);
  });
  it("loops are bounded with a note and never hang", () => {
    const r = sh("while true; do echo tick; done");
    expect(r.stdout.split("\n").filter((l) => l === "tick")).toHaveLength(100);
    expect(r.stderr).toBe("^C\nkubelab: loop stopped after 100 iterations (loops are bounded so the terminal never hangs)\n");
    expect(r.exitCode).toBe(130);
    expect(sh("for i in $(seq 1 3); do echo n$i; done")).toEqual(out("n1\nn2\nn3\n"));
    expect(sh("for i in $(seq 1 500); do :; done").stderr).toMatch(/loop stopped after 100 iterations/);
    expect(sh("until false; do sleep 1; done").exitCode).toBe(130);
    expect(sh("while :; do while :; do :; done; done").exitCode).toBe(130);
  });
  it("sleep and wait advance the virtual clock", () => {
    const t = c.nowSeconds();
    sh("sleep 30; wait 2m");
    expect(c.nowSeconds()).toBe(t + 150);
    expect(sh("sleep x").stderr).toBe("sleep: invalid time interval ‘x’\nTry 'sleep --help' for more information.\n");
  });
  it("redirections: > >> < 2>&1 2>/dev/null, here-documents, here-strings", () => {
    expect(sh("echo one > f.txt; echo two >> f.txt; cat < f.txt")).toEqual(out("one\ntwo\n"));
    expect(c.readFile("/root/f.txt")).toBe("one\ntwo\n");
    expect(sh("cat nope 2>&1 | grep -c such")).toEqual(out("1\n"));
    expect(sh("cat nope 2>/dev/null")).toEqual({ stdout: "", stderr: "", exitCode: 1 });
    expect(sh("cat <<EOF > g.txt\nhello\nworld\nEOF\ncat g.txt")).toEqual(out("hello\nworld\n"));
    expect(sh("kubectl apply -f - <<EOF", { stdin: "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: lab\n" })).toEqual(out("namespace/lab created\n"));
  });
  it("files and directories", () => {
    c.writeFile("/root/chapter7/a.yaml", "x: 1\n");
    expect(sh("ls")).toEqual(out("chapter7\n"));
    expect(sh("cd chapter7 && pwd && ls && cat a.yaml")).toEqual(out("/root/chapter7\na.yaml\nx: 1\n"));
    // a line run in a given shell reports that shell as it left it: where it is, and the last status
    expect(sh("cat a.yaml", { cwd: "/root/chapter7" })).toEqual({ ...out("x: 1\n"), shell: { cwd: "/root/chapter7", env: { "?": "0" } } });
    expect(sh("cd /; X=1; cat nope", { cwd: "/root/chapter7" }).shell).toEqual({ cwd: "/", env: { X: "1", "?": "1" } });
    expect(sh("cat missing.yaml")).toEqual({ stdout: "", stderr: "cat: missing.yaml: No such file or directory\n", exitCode: 1 });
    expect(sh("cat chapter7")).toEqual({ stdout: "", stderr: "cat: chapter7: Is a directory\n", exitCode: 1 });
    expect(sh("cd nowhere")).toEqual({ stdout: "", stderr: "bash: cd: nowhere: No such file or directory\n", exitCode: 1 });
    expect(sh("hostname", { host: "node02" })).toEqual(out("node02\n"));
  });
});

describe("text tools", () => {
  const table = "NAME   IP\nweb-1  10.0.0.1\ndb-1   10.0.0.2\nweb-2  10.0.0.3\n";
  beforeEach(() => c.writeFile("/root/t.txt", table));
  it("grep -v -i -E -c -o -w", () => {
    expect(sh("grep web t.txt")).toEqual(out("web-1  10.0.0.1\nweb-2  10.0.0.3\n"));
    expect(sh("grep -v web t.txt")).toEqual(out("NAME   IP\ndb-1   10.0.0.2\n"));
    expect(sh("grep -i name t.txt")).toEqual(out("NAME   IP\n"));
    expect(sh("grep -E 'db|web-2' t.txt")).toEqual(out("db-1   10.0.0.2\nweb-2  10.0.0.3\n"));
    expect(sh("grep 'db\\|web-2' t.txt")).toEqual(out("db-1   10.0.0.2\nweb-2  10.0.0.3\n"));
    expect(sh("grep -c 10 t.txt")).toEqual(out("3\n"));
    expect(sh("grep -o '10\\.0\\.0\\.[0-9]' t.txt | head -n 1")).toEqual(out("10.0.0.1\n"));
    expect(sh("grep ^d t.txt")).toEqual(out("db-1   10.0.0.2\n"));
    expect(sh("grep nothing t.txt")).toEqual({ stdout: "", stderr: "", exitCode: 1 });
    expect(sh("grep [[:digit:]]$ t.txt | wc -l")).toEqual(out("3\n"));
  });
  it("awk, head, tail, wc, sort, uniq, cut", () => {
    expect(sh("awk '{print $2}' t.txt")).toEqual(out("IP\n10.0.0.1\n10.0.0.2\n10.0.0.3\n"));
    expect(sh("awk 'NR>1 {print $1, $NF}' t.txt")).toEqual(out("web-1 10.0.0.1\ndb-1 10.0.0.2\nweb-2 10.0.0.3\n"));
    expect(sh("awk '/web/{print $1}' t.txt")).toEqual(out("web-1\nweb-2\n"));
    expect(sh("awk -F. '{print $4}' t.txt | tail -n 1")).toEqual(out("3\n"));
    expect(sh("head -n 2 t.txt")).toEqual(out("NAME   IP\nweb-1  10.0.0.1\n"));
    expect(sh("head -1 t.txt")).toEqual(out("NAME   IP\n"));
    expect(sh("tail -n +3 t.txt")).toEqual(out("db-1   10.0.0.2\nweb-2  10.0.0.3\n"));
    expect(sh("wc -l t.txt")).toEqual(out("4 t.txt\n"));
    expect(sh("cat t.txt | wc -l")).toEqual(out("4\n"));
    expect(sh("awk '{print $1}' t.txt | sort -r | head -n 1")).toEqual(out("web-2\n"));
    expect(sh("echo -e 'b\\na\\nb' | sort | uniq -c")).toEqual(out("      1 a\n      2 b\n"));
    expect(sh("echo a:b:c | cut -d: -f2")).toEqual(out("b\n"));
    expect(sh("awk '{print $' t.txt").exitCode).toBe(1);
  });
});

describe("network tools", () => {
  it("ip addr show / add / errors", () => {
    const all = sh("ip a", { host: "node01" }).stdout;
    expect(all).toMatch(/^1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 /);
    expect(all).toContain("    inet 10.244.5.1/24 brd 10.244.5.255 scope global cni0\n");
    expect(all).toContain("    inet 10.244.5.0/32 scope global flannel.1\n");
    expect(sh("ip addr add 192.168.2.6/21 dev eth0", { host: "node02" }).exitCode).toBe(0);
    expect(sh("ip addr add 192.168.2.6/21 dev eth0", { host: "node02" })).toEqual({ stdout: "", stderr: "RTNETLINK answers: File exists\n", exitCode: 2 });
    expect(sh("ip addr add 192.168.2.7/21", { host: "node02" }).stderr).toBe('Not enough information: "dev" argument is required.\n');
    expect(sh("ip a s eth9").stderr).toBe('Device "eth9" does not exist.\n');
  });
  it("curl failures as curl prints them", () => {
    const refused = sh("kubectl create service clusterip nobody --tcp=8080:8080 && curl $(kubectl get svc nobody -o jsonpath='{.spec.clusterIP}'):8080", { host: "node01" });
    // the nodes' curl is CentOS 7's 7.29
    expect(refused.stderr).toMatch(/^curl: \(7\) Failed connect to 10\.\d+\.\d+\.\d+:8080; Connection refused\n$/);
    expect(refused.exitCode).toBe(7);
    expect(sh("curl nosuchhost", { host: "node01" })).toEqual({ stdout: "", stderr: "curl: (6) Could not resolve host: nosuchhost; Name or service not known\n", exitCode: 6 });
    // a connection nobody answers: the kernel gives up (7), or curl at -m (28); a name kept as typed
    expect(sh("curl 10.0.0.1", { host: "node01" })).toEqual({ stdout: "", stderr: "curl: (7) Failed connect to 10.0.0.1:80; Connection timed out\n", exitCode: 7 });
    expect(sh("curl --connect-timeout 3 10.0.0.1", { host: "node01" })).toEqual({ stdout: "", stderr: "curl: (28) Connection timed out after 3001 milliseconds\n", exitCode: 28 });
    expect(sh("curl localhost:880", { host: "node01" }).stderr).toBe("curl: (7) Failed connect to localhost:880; Connection refused\n");
    expect(sh("curl -v localhost:880", { host: "node01" }).stderr).toBe(
      "* About to connect() to localhost port 880 (#0)\n*   Trying 127.0.0.1...\n* Connection refused\n* Failed connect to localhost:880; Connection refused\n* Closing connection 0\ncurl: (7) Failed connect to localhost:880; Connection refused\n",
    );
    expect(sh("curl -s nosuchhost", { host: "node01" }).stderr).toBe("");
    expect(sh("curl --bogus x").stderr).toBe("curl: option --bogus: is unknown\ncurl: try 'curl --help' or 'curl --manual' for more information\n");
    expect(sh("curl").stderr).toBe("curl: no URL specified!\ncurl: try 'curl --help' or 'curl --manual' for more information\n");
  });
  it("curl -I / -v / -X -d against demoapp", () => {
    sh("kubectl run web --image=ikubernetes/demoapp:v1.0; sleep 20");
    const ip = sh("kubectl get po web -o jsonpath='{.status.podIP}'").stdout;
    expect(sh(`curl ${ip}`, { host: "node01" }).stdout).toMatch(new RegExp(`^iKubernetes demoapp v1\\.0 !! ClientIP: \\S+, ServerName: web, ServerIP: ${ip.replace(/\./g, "\\.")}!\\n$`));
    const head = sh(`curl -I http://${ip}/`, { host: "node01" }).stdout;
    expect(head).toMatch(/^HTTP\/1\.0 200 OK\r\nContent-Type: text\/html; charset=utf-8\r\n/);
    expect(sh(`curl -v ${ip}/hostname`, { host: "node01" }).stderr).toContain("> GET /hostname HTTP/1.1\n> User-Agent: curl/7.29.0\n");
    expect(sh(`curl -XPOST -d 'readyz=FAIL' ${ip}/readyz && curl -s -o /dev/null -w '%{http_code}' ${ip}/readyz`, { host: "node01" }).stdout).toBe("500");
  });
  it("DNS tools see cluster DNS only from pods", () => {
    sh("kubectl run c --image=ikubernetes/admin-box:v1.2; sleep 20");
    expect(sh("host kubernetes", { host: "pod:default/c" })).toEqual(out("kubernetes.default.svc.cluster.local has address 10.96.0.1\n"));
    expect(sh("dig +short kubernetes.default.svc.cluster.local", { host: "pod:default/c" })).toEqual(out("10.96.0.1\n"));
    expect(sh("nslookup kubernetes", { host: "node01" }).exitCode).toBe(1);
    expect(sh("nslookup node02", { host: "node01" }).stdout).toContain("Address: 192.168.2.3\n");
  });
  it("mysql: status, wrong password, nothing listening", () => {
    expect(sh('mysql -h192.168.2.8 -p123 -e "status" | grep user', { host: "node01" })).toEqual(out("Current user:\t\troot@192.168.2.2\n"));
    expect(sh('mysql -h 192.168.2.9 -pbad -e status', { host: "node02" })).toEqual({ stdout: "", stderr: "ERROR 1045 (28000): Access denied for user 'root'@'192.168.2.3' (using password: YES)\n", exitCode: 1 });
    expect(sh('mysql -h nowhere -p123 -e status', { host: "node02" }).stderr).toBe("ERROR 2005 (HY000): Unknown MySQL server host 'nowhere' (2)\n");
  });
});

describe("robustness", () => {
  it("no line throws out of exec, and every failure has a non-zero exit code and a message", () => {
    const words = ["kubectl", "get", "po", "svc", "-l", "'a in (b'", "-o", "yaml", "|", "grep", "&&", "||", ";", "'", '"', "$(", ")", "curl", "10.96.0.1", "label", "x=y", "z-", "while", "do", "done", "for", "in", "ip", "a", "add", "<", ">", "<<", "awk", "'{print $1}'", "describe", "--foo", "-n", "", "\\"];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...words), { maxLength: 8 }), fc.constantFrom("master01", "node01", "pod:default/x"), (ws, host) => {
        const r = execLine(c, ws.join(" "), { host });
        expect(typeof r.stdout).toBe("string");
        // grep that matches nothing exits 1 silently, as it does in bash; every other failure says why.
        if (r.exitCode !== 0 && !ws.includes("grep")) expect(r.stderr.length + r.stdout.length).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  });
  it("unknown hosts are reported, not thrown", () => {
    expect(c.exec("echo hi", { host: "node99" }).exitCode).toBe(255);
  });
});
