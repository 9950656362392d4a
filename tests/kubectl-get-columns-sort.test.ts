// kubectl get -o custom-columns / custom-columns-file and --sort-by (v1.19's CustomColumnsPrinter, SortingPrinter and
// RuntimeSorter): on the engine, then against the real kubectl v1.20.2 through the Kubernetes API facade. The order of
// ties is Go's sort.Sort's, which changed with Go 1.19 (pdqsort): kubectl v1.19.4 was built with Go 1.15, Debian's
// v1.20.2 with Go 1.19, so the twins sort by unique keys only and the engine rows check the Go 1.15 algorithm.
import { describe, expect, it } from "vitest";
import { Cluster } from "../engine/index.ts";
import { goSort } from "../engine/printers/go-sort.ts";
import { naturalLess } from "../engine/printers/natural-less.ts";
import { goV } from "../engine/printers/go-v.ts";
import { hasKubectl, kubectlLine, kubectlTwins } from "./helpers/kubectl.ts";

function cluster(): Cluster {
  const c = Cluster.create({ seed: 5 });
  expect(c.exec("kubectl create deployment web --image=ikubernetes/demoapp:v1.0 --replicas=3").exitCode).toBe(0);
  expect(c.exec("kubectl expose deployment web --port=80 --target-port=80").exitCode).toBe(0);
  return c;
}

describe("kubectl get -o custom-columns", () => {
  const rows: { line: string; out: string | RegExp; err?: string; code?: number }[] = [
    { line: "kubectl get svc web -o custom-columns=NAME:.metadata.name,TYPE:.spec.type,PORTS:.spec.ports", out: /^NAME   TYPE        PORTS\nweb    ClusterIP   \[map\[port:80 protocol:TCP targetPort:80\]\]\n$/ },
    // several values joined by commas; a path that finds nothing is <none>; the last column is not padded
    { line: "kubectl get deploy -o custom-columns=IMAGES:.spec.template.spec.containers[*].image,X:.spec.nope", out: "IMAGES                     X\nikubernetes/demoapp:v1.0   <none>\n" },
    { line: "kubectl get svc web -o custom-columns=SEL:{.spec.selector.app},N:metadata.name --no-headers", out: "web   web\n" },
    { line: "kubectl get deploy web -o custom-columns=R:.spec.replicas,L:.metadata.labels", out: "R     L\n3     map[app:web]\n" },
    { line: "kubectl get svc -n kube-public -o custom-columns=NAME:.metadata.name", out: "NAME\n" },
    { line: "kubectl get svc -n kube-public -o custom-columns=NAME:.metadata.name --ignore-not-found", out: "" },
    { line: "kubectl get svc web -o custom-columns=", out: "", err: "error: custom-columns format specified but no custom columns given\n", code: 1 },
    { line: "kubectl get svc web -o custom-columns", out: "", err: "error: custom-columns format specified but no custom columns given\n", code: 1 },
    { line: "kubectl get svc web -o custom-columns=NAME", out: "", err: "error: unexpected custom-columns spec: NAME, expected <header>:<json-path-expr>\n", code: 1 },
    { line: "kubectl get svc web -o custom-columns=A:{.a}}", out: "", err: "error: unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'\n", code: 1 },
    // a path that cannot run: the rows before it, then the error
    { line: "kubectl get svc web -o custom-columns=P:.spec.ports[3].port", out: "P\n", err: "error: array index out of bounds: index 3, length 1\n", code: 1 },
    { line: "kubectl get svc nope -o custom-columns=N:.metadata.name", out: "", err: 'Error from server (NotFound): services "nope" not found\n', code: 1 },
    { line: "kubectl get svc web -o custom-columns-file=cols.txt", out: "", err: "error: error reading template cols.txt, open cols.txt: no such file or directory\n", code: 1 },
  ];
  it.each(rows)("$line", ({ line, out, err = "", code = 0 }) => {
    const r = cluster().exec(line);
    if (typeof out === "string") expect(r.stdout).toBe(out);
    else expect(r.stdout).toMatch(out);
    expect(r.stderr).toBe(err);
    expect(r.exitCode).toBe(code);
  });

  it("reads the columns from a file: a line of headers, a line of paths", () => {
    const c = cluster();
    expect(c.exec("printf 'NAME  CLUSTER-IP\\n.metadata.name   {.spec.clusterIP}\\n' > cols.txt").exitCode).toBe(0);
    const ip = c.exec("kubectl get svc web -o jsonpath={.spec.clusterIP}").stdout;
    expect(c.exec("kubectl get svc web -o custom-columns-file=cols.txt")).toEqual({ stdout: `NAME   CLUSTER-IP\nweb    ${ip}\n`, stderr: "", exitCode: 0 });
    expect(c.exec("printf 'A B\\n.a\\n' > bad.txt && kubectl get svc web -o custom-columns-file=bad.txt").stderr).toBe("error: number of headers (2) and field specifications (1) don't match\n");
    expect(c.exec("printf 'A B\\n' > one.txt && kubectl get svc web -o custom-columns-file=one.txt").stderr).toBe(
      "error: invalid template, missing spec line. Expected format is one line of space separated headers, one line of space separated column specs.\n",
    );
  });

  it("Go's %v of JSON values", () => {
    expect([goV("x"), goV(3), goV(0.5), goV(1234567.5), goV(0.00001), goV(true), goV(null), goV([]), goV({})]).toEqual(["x", "3", "0.5", "1.2345675e+06", "1e-05", "true", "<nil>", "[]", "map[]"]);
    expect(goV({ b: [1, "two", null], a: { z: false, "k.io/x": "y" } })).toBe("map[a:map[k.io/x:y z:false] b:[1 two <nil>]]");
  });
});

describe("kubectl get --sort-by", () => {
  const names = (r: { stdout: string }) => r.stdout.trim().split("\n");

  it("sorts a table's rows, and a generic printer's list, by the path's first value", () => {
    const c = cluster();
    for (const n of ["b-10", "b-2", "a-1"]) expect(c.exec(`kubectl create service clusterip ${n} --tcp=${n === "b-2" ? 8080 : 81}:80`).exitCode).toBe(0);
    // natural order: b-2 before b-10; digits before letters
    expect(names(c.exec("kubectl get svc --sort-by=.metadata.name -o name"))).toEqual(["service/a-1", "service/b-2", "service/b-10", "service/kubernetes", "service/web"]);
    expect(names(c.exec("kubectl get svc --sort-by={.metadata.name} --no-headers")).map((l) => l.split(/\s+/)[0])).toEqual(["a-1", "b-2", "b-10", "kubernetes", "web"]);
    // numbers by value (80 < 81 < 443 < 8080)
    expect(c.exec("kubectl get svc --sort-by=.spec.ports[0].port -o custom-columns=N:.metadata.name,P:.spec.ports[0].port --no-headers").stdout).toBe(
      "web          80\na-1          81\nb-10         81\nkubernetes   443\nb-2          8080\n".replace(/ +/g, (s) => s),
    );
    // an object without the field sorts first
    expect(names(c.exec("kubectl get svc --sort-by=.spec.selector.app -o name"))[0]).not.toBe("service/web");
    expect(names(c.exec("kubectl get svc --sort-by=.spec.selector.app -o name")).at(-1)).toBe("service/web");
    // -o yaml's List in that order
    expect(c.exec("kubectl get svc --sort-by=.metadata.name -o jsonpath={.items[*].metadata.name}").stdout).toBe("a-1 b-2 b-10 kubernetes web");
  });

  it("refuses a field no object has, and ends as klog.Fatalf does on values it cannot compare", () => {
    const c = cluster();
    // a generic printer's list: refused
    expect(c.exec("kubectl get pods --sort-by=.nope -o name")).toEqual({ stdout: "", stderr: 'error: couldn\'t find any field with path "{.nope}" in the list of objects\n', exitCode: 1 });
    // a table: its printer's error goes unchecked, so the table is not printed and kubectl says it found nothing
    expect(c.exec("kubectl get pods --sort-by=.nope")).toEqual({ stdout: "", stderr: "No resources found in default namespace.\n", exitCode: 0 });
    expect(c.exec("kubectl get pods,svc --sort-by=.spec.type").stdout).toMatch(/^NAME +TYPE +CLUSTER-IP/);
    // one row or one object is not sorted at all
    expect(c.exec("kubectl get svc web --sort-by=.nope").stdout).toMatch(/^NAME +TYPE/);
    expect(c.exec("kubectl get svc web --sort-by=.nope -o name")).toEqual({ stdout: "service/web\n", stderr: "", exitCode: 0 });
    const fatal = c.exec("kubectl get pods --sort-by=.metadata.labels");
    expect(fatal.stdout).toBe("");
    expect(fatal.stderr).toMatch(/^F\d{4} \d\d:\d\d:\d\d\.000000 +\d+ sorter\.go:360\] Field \{\.metadata\.labels\} in \[\]\[\]\[\]reflect\.Value is an unsortable type: interface, err: unsortable type: map\[string\]interface \{\}\n$/);
    expect(fatal.exitCode).toBe(255);
    expect(c.exec("kubectl get pods --sort-by=.metadata.labels -o name").stderr).toMatch(/sorter\.go:314\] Field \{\.metadata\.labels\} in \*unstructured\.Unstructured is an unsortable type/);
    expect(c.exec("kubectl get pods -w --sort-by=.metadata.name").stderr).toMatch(/^warning: --watch or --watch-only requested, --sort-by will be ignored\n/);
  });

  it("events list in storage-key order (grouped by object, each object's oldest first); --sort-by puts them in time order", () => {
    const c = Cluster.create({ seed: 5 });
    expect(c.exec("kubectl create deployment web --image=ikubernetes/demoapp:v1.0 --replicas=2").exitCode).toBe(0);
    c.advance(10);
    expect(c.exec("kubectl scale deploy web --replicas=3").exitCode).toBe(0);
    const objects = c.exec("kubectl get events -o custom-columns=O:.involvedObject.name --no-headers").stdout.trim().split("\n");
    // each object's events together, in name order: the pods, the ReplicaSet, the Deployment last
    const runs = objects.filter((o, i) => i === 0 || objects[i - 1] !== o);
    expect(runs).toEqual([...new Set(objects)]);
    expect(runs.at(-1)).toBe("web"); // `web.…` sorts after `web-…`
    const names = c.exec("kubectl get events -o name").stdout.trim().split("\n");
    expect(names).toEqual([...names].sort());
    const byTime = c.exec("kubectl get events --sort-by=.lastTimestamp -o custom-columns=T:.lastTimestamp --no-headers").stdout.trim().split("\n");
    expect(byTime).toEqual([...byTime].sort());
    expect(new Set(byTime).size).toBe(2);
  });

  it("natural order as sortorder.NaturalLess", () => {
    const pairs: [string, string, boolean][] = [
      ["a2", "a10", true],
      ["a10", "a2", false],
      ["2", "02", true],
      ["02", "2", false],
      ["1", "a", true],
      ["a", "1", false],
      ["ab", "abc", true],
      ["abc", "abc", false],
      ["Z", "a", true],
      ["x-007-b", "x-7-a", false],
    ];
    for (const [a, b, want] of pairs) expect(naturalLess(a, b), `${a} < ${b}`).toBe(want);
  });

  it("Go's sort.Sort: sorted for any input, and its own order of ties", () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (const n of [0, 1, 2, 5, 12, 13, 40, 41, 100, 500]) {
      const a = Array.from({ length: n }, (_, i) => ({ k: Math.floor(rnd() * (n / 3 + 1)), i }));
      goSort(a, (x, y) => x.k < y.k);
      for (let i = 1; i < a.length; i++) expect(a[i - 1].k <= a[i].k).toBe(true);
      expect(new Set(a.map((x) => x.i)).size).toBe(n);
    }
    // twelve or fewer: a shell pass of gap 6 before insertion sort moves ties out of their order
    const t = [1, 0, 0, 0, 0, 0, 0].map((k, i) => ({ k, i }));
    goSort(t, (x, y) => x.k < y.k);
    expect(t.map((x) => x.i)).toEqual([6, 1, 2, 3, 4, 5, 0]);
  });
});

describe.skipIf(!hasKubectl())("kubectl get -o custom-columns / --sort-by: the terminal prints what real kubectl does through the API", () => {
  const twins = kubectlTwins("columns", { real: "qk10", ours: "qt10" });
  const both = twins.both;

  it("the same columns and the same order on the same cluster", async () => {
    // more than twelve pods (kube-system's twelve and these), so that the quicksort path of Go's sort runs too; one
    // deployment both sides read (the twins' names are for objects each side makes)
    expect((await twins.kubectl().run(["create", "deployment", "many", "--image=ikubernetes/demoapp:v1.0", "--replicas=6"])).code).toBe(0);
    for (const args of [
      ["get", "pods", "-A", "-o", "custom-columns=NS:.metadata.namespace,NAME:.metadata.name,IP:.status.podIP,NODE:.spec.nodeName"],
      ["get", "pods", "-A", "--sort-by=.metadata.name", "-o", "name"],
      ["get", "pods", "-A", "--sort-by=.metadata.uid", "-o", "custom-columns=NAME:.metadata.name,NODE:.spec.nodeName,HOST:.status.hostIP"],
      ["get", "pods", "-A", "--sort-by={.metadata.uid}", "-o", "jsonpath={.items[*].metadata.name}"],
      ["get", "svc", "-A", "--sort-by=.spec.clusterIP"],
      ["get", "pods", "--sort-by=.metadata.name", "-o", "wide"],
      ["get", "svc,deploy", "-A", "--sort-by=.metadata.name", "-o", "name"],
      ["get", "svc", "-A", "-o", "custom-columns=NAME:.metadata.name,PORTS:.spec.ports,SELECTOR:.spec.selector", "--sort-by=.spec.clusterIP"],
      ["get", "nodes", "-o", "custom-columns=NAME:.metadata.name,TAINTS:.spec.taints,CIDR:{.spec.podCIDR}", "--no-headers"],
      ["get", "deploy", "-n", "kube-system", "-o", "custom-columns=R:.spec.replicas,IMG:.spec.template.spec.containers[*].image,X:.nope"],
      ["get", "pods", "--sort-by=.nope", "-o", "name"],
      ["get", "pods", "--sort-by=.nope"],
      ["get", "svc", "-n", "kube-public", "-o", "custom-columns=NAME:.metadata.name"],
      ["get", "svc", "-n", "kube-public", "-o", "name"],
      ["get", "svc", "-n", "kube-public", "-o", "jsonpath={.items}"],
      ["get", "svc", "-n", "kube-public", "-o", "yaml", "--ignore-not-found"],
      ["get", "svc", "-o", "custom-columns=NAME"],
      ["get", "svc", "-o", "custom-columns="],
      ["get", "svc", "kubernetes", "-o", "custom-columns=P:.spec.ports[2].port"],
    ]) {
      const r = await both(args);
      expect(r.ours, kubectlLine(args)).toBe(r.real);
    }
  }, 120_000);
});
