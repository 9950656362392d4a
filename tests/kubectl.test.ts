// kubectl's messages, exit codes and behaviours in the lab terminal, golden against kubectl v1.19's texts
// (kubectl-label.json is our transcription of kubectl's label tests).
import { readFileSync } from "node:fs";
import { beforeEach, describe, expect, it } from "vitest";
import { Cluster } from "../engine/index.ts";

const LABEL = JSON.parse(readFileSync(new URL("./fixtures/kubectl-label.json", import.meta.url), "utf8"));

let c: Cluster;
const sh = (line: string, opts: { host?: string; stdin?: string } = {}) => c.exec(line, opts);
const err = (stderr: string, exitCode = 1) => ({ stdout: "", stderr, exitCode });

beforeEach(() => {
  c = Cluster.create({ seed: 3 });
  sh("kubectl create deployment demoapp --image=ikubernetes/demoapp:v1.0 --replicas=2");
  sh("kubectl run foo --image=ikubernetes/demoapp:v1.0 --labels=existing=abc");
  sh("sleep 20");
});

describe("client-side errors", () => {
  it("unknown resource type, command, flag, missing flag value", () => {
    expect(sh("kubectl get foo")).toEqual(err('error: the server doesn\'t have a resource type "foo"\n'));
    expect(sh("kubectl describe pdos x")).toEqual(err('error: the server doesn\'t have a resource type "pdos"\n'));
    expect(sh("kubectl frob")).toEqual(err("Error: unknown command \"frob\" for \"kubectl\"\nRun 'kubectl --help' for usage.\n"));
    expect(sh("kubectl get po --foo")).toEqual(err("Error: unknown flag: --foo\nSee 'kubectl get --help' for usage.\n"));
    expect(sh("kubectl get po -z")).toEqual(err("Error: unknown shorthand flag: 'z' in -z\nSee 'kubectl get --help' for usage.\n"));
    expect(sh("kubectl get po -n")).toEqual(err("Error: flag needs an argument: 'n' in -n\nSee 'kubectl get --help' for usage.\n"));
    expect(sh("kubectl scale deploy demoapp --replicas=x")).toEqual(
      err('Error: invalid argument "x" for "--replicas" flag: strconv.ParseInt: parsing "x": invalid syntax\nSee \'kubectl scale --help\' for usage.\n'),
    );
    expect(sh("kubectl get po -o foo").stderr).toMatch(/^error: unable to match a printer suitable for the output format "foo", allowed formats are: custom-columns,.*,wide,yaml\n$/);
    expect(sh("kubectl get po demoapp po/foo").stderr).toMatch(/^error: there is no need to specify a resource type as a separate argument/);
  });
  it("a bad selector is the apiserver's BadRequest", () => {
    expect(sh("kubectl get po -l 'app in (a'")).toEqual(
      err(`Error from server (BadRequest): Unable to find "/v1, Resource=pods" that match label selector "app in (a", field selector "": unable to parse requirement: found '', expected: ',' or ')'\n`),
    );
  });
});

describe("server errors", () => {
  it("NotFound, with the resource's group", () => {
    expect(sh("kubectl get svc x")).toEqual(err('Error from server (NotFound): services "x" not found\n'));
    expect(sh("kubectl describe svc/x")).toEqual(err('Error from server (NotFound): services "x" not found\n'));
    expect(sh("kubectl delete deploy x")).toEqual(err('Error from server (NotFound): deployments.apps "x" not found\n'));
    expect(sh("kubectl scale deploy/x --replicas=1")).toEqual(err('Error from server (NotFound): deployments.apps "x" not found\n'));
    expect(sh("kubectl label po/x a=b")).toEqual(err('Error from server (NotFound): pods "x" not found\n'));
  });
  it("AlreadyExists and Invalid", () => {
    expect(sh("kubectl create service nodeport web --tcp=80:80 --node-port=31398").stdout).toBe("service/web created\n");
    expect(sh("kubectl create service nodeport web --tcp=80:80")).toEqual(err('Error from server (AlreadyExists): services "web" already exists\n'));
    expect(sh("kubectl create service nodeport web2 --tcp=80:80 --node-port=31398")).toEqual(
      err('The Service "web2" is invalid: spec.ports[0].nodePort: Invalid value: 31398: provided port is already allocated\n'),
    );
    expect(sh("kubectl create service nodeport web3 --tcp=80:80 --node-port=80")).toEqual(
      err('The Service "web3" is invalid: spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767\n'),
    );
    const manifest = "apiVersion: v1\nkind: Service\nmetadata:\n  name: s1\nspec:\n  ports:\n  - port: 80\n";
    expect(sh("kubectl apply -f -", { stdin: manifest }).stdout).toBe("service/s1 created\n");
    expect(sh("kubectl apply -f -", { stdin: manifest }).stdout).toBe("service/s1 unchanged\n");
    expect(sh("kubectl create -f -", { stdin: manifest })).toEqual(err('Error from server (AlreadyExists): error when creating "STDIN": services "s1" already exists\n'));
    expect(sh("kubectl apply -f -", { stdin: manifest.replace("port: 80", "port: 8080") }).stdout).toBe("service/s1 configured\n");
    expect(sh("kubectl apply -f nothere.yaml")).toEqual(err('error: the path "nothere.yaml" does not exist\n'));
  });
  it("apply names the file of a refused create only: an object that existed is refused without it", () => {
    // one manifest, two documents: node01 exists (kubectl's message has no "when creating"), node09 does not
    const node = (n: string) => `apiVersion: v1\nkind: Node\nmetadata:\n  name: ${n}\n  labels:\n    a: b\n`;
    const refused = "is forbidden: kubelab's nodes come from the lab's topology; they can be labeled but not created or replaced\n";
    expect(sh("kubectl apply -f -", { stdin: `${node("node01")}---\n${node("node09")}` })).toEqual(
      err(`Error from server (Forbidden): nodes "node01" ${refused}Error from server (Forbidden): error when creating "STDIN": nodes "node09" ${refused}`),
    );
  });
});

describe("get", () => {
  it("No resources found goes to stderr with exit 0", () => {
    expect(sh("kubectl get po -n nope")).toEqual({ stdout: "", stderr: "No resources found in nope namespace.\n", exitCode: 0 });
    expect(sh("kubectl get svc -l app=none")).toEqual({ stdout: "", stderr: "No resources found in default namespace.\n", exitCode: 0 });
    expect(sh("kubectl get po -l app=none -A")).toEqual({ stdout: "", stderr: "No resources found\n", exitCode: 0 });
  });
  it("-o name, -o jsonpath, -o yaml of a single object vs a list", () => {
    expect(sh("kubectl get deploy -o name").stdout).toBe("deployment.apps/demoapp\n");
    expect(sh("kubectl get svc kubernetes -o jsonpath='{.spec.clusterIP}'").stdout).toBe("10.96.0.1");
    expect(sh("kubectl get svc kubernetes -o yaml").stdout).toMatch(/^apiVersion: v1\nkind: Service\nmetadata:\n/);
    expect(sh("kubectl get svc -o yaml").stdout).toMatch(/^apiVersion: v1\nitems:\n- apiVersion: v1\n  kind: Service\n[\s\S]*\nkind: List\nmetadata:\n  resourceVersion: ""\n  selfLink: ""\n$/);
    const j = JSON.parse(sh("kubectl get po foo -o json").stdout);
    expect([j.kind, j.metadata.name, j.metadata.labels]).toEqual(["Pod", "foo", { existing: "abc" }]);
  });
  it("get all prints one table per kind with kind/ prefixes", () => {
    const out = sh("kubectl get all").stdout;
    expect(out.split("\n\n").map((t) => t.split("\n")[1].split("/")[0])).toEqual(["pod", "service", "deployment.apps", "replicaset.apps"]);
  });
  it("-L adds label columns and -A a NAMESPACE column", () => {
    const out = sh("kubectl get po foo -L existing,missing").stdout.split("\n");
    expect(out[0]).toBe("NAME   READY   STATUS    RESTARTS   AGE   EXISTING   MISSING");
    expect(out[1]).toMatch(/^foo    1\/1     Running   0          \d+s   abc        $/);
    expect(sh("kubectl get po -A --no-headers").stdout.split("\n")[0]).toMatch(/^default /);
  });
});

describe("label (kubectl-label.json)", () => {
  const labelErrors: [string, string][] = LABEL.TestLabelErrors.map((t: { args: string[]; error_contains?: string; error_contains_v1_19?: string }) => [t.args.join(" "), t.error_contains_v1_19 ?? t.error_contains]);
  it.each(labelErrors)(
    "kubectl label %s -> %s",
    (args, want) => {
      const r = sh(`kubectl label ${args}`);
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toContain(want);
      expect(r.stderr.startsWith("error: ")).toBe(true);
    },
  );
  const parseErrors: [string[], string][] = LABEL.TestParseLabels.filter((t: { expectErr?: boolean; labels: string[] }) => t.expectErr && t.labels.every((l) => l.includes("=") || l.endsWith("-"))).map((t: { labels: string[]; error: string }) => [t.labels, t.error]);
  it.each(parseErrors)("label spec %j -> %s", (labels, want) => {
    expect(sh(`kubectl label po foo ${labels.map((l) => `'${l}'`).join(" ")}`)).toEqual(err(`error: ${want}\n`));
  });
  it("TestRunLabelMsg (v1.19 outputs)", () => {
    expect(sh("kubectl label pods/foo foo=bar").stdout).toBe("pod/foo labeled\n");
    expect(sh("kubectl label pods/foo existing=bar")).toEqual(err("error: 'existing' already has a value (abc), and --overwrite is false\n"));
    expect(sh("kubectl label pods/foo existing=bar --overwrite").stdout).toBe("pod/foo labeled\n");
    expect(sh("kubectl label pods/foo existing-").stdout).toBe("pod/foo labeled\n");
    expect(sh("kubectl label pods/foo nope-").stdout).toBe('label "nope" not found.\npod/foo not labeled\n');
    expect(sh("kubectl label pods/foo foo=bar --overwrite").stdout).toBe("pod/foo not labeled\n");
    // v1.19's label prints no dry-run suffix (its printer's operation is set after the suffix: tests/kubectl-dry-run)
    expect(sh("kubectl label pods/foo a=b --dry-run=client").stdout).toBe("pod/foo labeled\n");
  });
  it("several objects, --list, --resource-version", () => {
    const out = sh("kubectl label pods --all tier=web").stdout.trimEnd().split("\n");
    expect(out).toHaveLength(3);
    for (const l of out) expect(l).toMatch(/^pod\/\S+ labeled$/);
    expect(sh("kubectl label po foo --list").stdout).toBe("existing=abc\ntier=web\n");
    expect(sh("kubectl label pods --all --resource-version=1 x=y")).toEqual(err("error: --resource-version may only be used with a single resource\n"));
    expect(sh("kubectl label po foo --resource-version=1 x=y")).toEqual(
      err('Error from server (Conflict): Operation cannot be fulfilled on pods "foo": the object has been modified; please apply your changes to the latest version and try again\n'),
    );
    expect(sh("kubectl label pods -l app=demoapp --all x=y")).toEqual(err("error: cannot set --all and --selector at the same time\n"));
  });
});

describe("names and keys that JavaScript objects carry themselves", () => {
  // "constructor" is a valid Namespace or Node name and hasOwnProperty, toString, valueOf valid label and annotation
  // keys: the engine's tables and maps are plain objects, and a lookup must not find Object.prototype's members
  const out = (stdout: string) => ({ stdout, stderr: "", exitCode: 0 });
  it("a Namespace named constructor is created, used, listed and deleted like any other", () => {
    expect(sh("kubectl get ns constructor")).toEqual(err('Error from server (NotFound): namespaces "constructor" not found\n'));
    // (create deployment wraps the server's error in v1.19: tests/kubectl-create-errors.test.ts)
    expect(sh("kubectl create deployment x --image=nginx -n constructor")).toEqual(err('error: failed to create deployment: namespaces "constructor" not found\n'));
    expect(sh("kubectl create namespace constructor")).toEqual(out("namespace/constructor created\n"));
    expect(sh("kubectl create deployment x --image=nginx -n constructor")).toEqual(out("deployment.apps/x created\n"));
    expect(sh("kubectl get ns constructor -o name")).toEqual(out("namespace/constructor\n"));
    expect(sh("kubectl delete ns constructor")).toEqual(out('namespace "constructor" deleted\n'));
  });
  it("label and annotation keys named after Object.prototype's members are ordinary keys", () => {
    expect(sh("kubectl label po foo hasOwnProperty=1 toString=2")).toEqual(out("pod/foo labeled\n"));
    expect(sh("kubectl label po foo constructor-")).toEqual(out('label "constructor" not found.\npod/foo not labeled\n'));
    expect(sh("kubectl label po foo valueOf=3 constructor-").stdout).toBe('label "constructor" not found.\npod/foo labeled\n');
    expect(sh("kubectl label po foo --list").stdout).toBe("existing=abc\nhasOwnProperty=1\ntoString=2\nvalueOf=3\n");
    expect(sh("kubectl annotate po foo constructor=x")).toEqual(out("pod/foo annotated\n"));
    expect(sh("kubectl get pods -l constructor")).toEqual({ stdout: "", stderr: "No resources found in default namespace.\n", exitCode: 0 });
  });
});

describe("scale, expose, run, exec, delete", () => {
  it("scale", () => {
    expect(sh("kubectl scale deployment demoapp --replicas=3")).toEqual({ stdout: "deployment.apps/demoapp scaled\n", stderr: "", exitCode: 0 });
    // --replicas is a required flag (cobra refuses before scale runs); a negative count is scale's own refusal
    expect(sh("kubectl scale deploy demoapp")).toEqual(err('Error: required flag(s) "replicas" not set\n'));
    expect(sh("kubectl scale deploy demoapp --replicas=-1")).toEqual(err("error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0\n"));
    expect(sh("kubectl scale deploy demoapp --current-replicas=1 --replicas=2")).toEqual(err("error: Expected replicas to be 1, was 3\n"));
  });
  it("expose copies the selector and labels", () => {
    expect(sh("kubectl expose deployment demoapp --name=np --type=NodePort --port=80").stdout).toBe("service/np exposed\n");
    expect(sh("kubectl get svc np -o jsonpath='{.spec.type} {.spec.selector.app} {.metadata.labels.app} {.spec.ports[0].targetPort}'").stdout).toBe("NodePort demoapp demoapp 80");
    expect(sh("kubectl expose deployment demoapp --name=np2")).toEqual(err("error: couldn't find port via --port flag or introspection\nSee 'kubectl expose -h' for help and examples\n"));
  });
  it("run --rm -it runs the command in a client pod and deletes it", () => {
    sh("kubectl expose deployment demoapp --name=web --port=80");
    const r = sh("kubectl run client --image=ikubernetes/admin-box:v1.2 --rm -it --restart=Never --command -- curl -s web");
    expect(r.stdout).toMatch(/^iKubernetes demoapp v1\.0 !! ClientIP: 10\.244\.\d+\.\d+, ServerName: demoapp-\S+, ServerIP: 10\.244\.\d+\.\d+!\npod "client" deleted\n$/);
    expect(sh("kubectl get po client")).toEqual(err('Error from server (NotFound): pods "client" not found\n'));
    expect(sh("kubectl run x --image=nginx --rm")).toEqual(err("error: --rm should only be used for attached containers\nSee 'kubectl run -h' for help and examples\n"));
  });
  it("exec runs in the pod: cluster DNS, exit codes, missing commands", () => {
    expect(sh("kubectl exec foo -- cat /etc/resolv.conf").stdout).toBe("nameserver 10.96.0.10\nsearch default.svc.cluster.local svc.cluster.local cluster.local\noptions ndots:5\n");
    expect(sh("kubectl exec foo -- nslookup kubernetes").stdout).toBe("Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\nName:\tkubernetes.default.svc.cluster.local\nAddress: 10.96.0.1\n\n");
    expect(sh("kubectl exec foo -- hostname").stdout).toBe("foo\n");
    expect(sh("kubectl exec foo -- foo")).toEqual(
      err('OCI runtime exec failed: exec failed: container_linux.go:349: starting container process caused "exec: \\"foo\\": executable file not found in $PATH": unknown\ncommand terminated with exit code 126\n', 126),
    );
    expect(sh("kubectl exec foo -- false")).toEqual(err("command terminated with exit code 1\n"));
    expect(sh("kubectl exec foo")).toEqual(err("error: you must specify at least one command for the container\n"));
    expect(sh("kubectl exec nope -- ls")).toEqual(err('Error from server (NotFound): pods "nope" not found\n'));
    expect(sh("kubectl exec foo -- kubectl get po").exitCode).toBe(126);
  });
  it("delete by name, by selector, from a file", () => {
    expect(sh("kubectl delete pod foo")).toEqual({ stdout: 'pod "foo" deleted\n', stderr: "", exitCode: 0 });
    expect(sh("kubectl get pod foo").exitCode).toBe(1); // kubectl delete returns once the pod is gone
    expect(sh("kubectl delete svc -l app=none")).toEqual({ stdout: "", stderr: "No resources found\n", exitCode: 0 });
    expect(sh("kubectl delete deploy")).toEqual(err("error: resource(s) were provided, but no name, label selector, or --all flag specified\n"));
    c.writeFile("/root/s.yaml", "apiVersion: v1\nkind: Service\nmetadata:\n  name: s2\nspec:\n  ports:\n  - port: 80\n");
    sh("kubectl apply -f s.yaml");
    expect(sh("kubectl delete -f s.yaml").stdout).toBe('service "s2" deleted\n');
    expect(sh("kubectl delete deployment.apps/demoapp").stdout).toBe('deployment.apps "demoapp" deleted\n');
  });
});

describe("describe", () => {
  it("matches names by prefix like kubectl and separates several objects", () => {
    // By prefix (kubectl v1.19 DescribeMatchingResources): every page followed by a newline, so a blank line after each.
    const out = sh("kubectl describe po demoapp").stdout;
    expect(out.match(/^Name: /gm)).toHaveLength(2);
    expect(out).toMatch(/\n\nName: /);
    expect(out).not.toContain("\n\n\nName: ");
    expect(out.endsWith("\n\n")).toBe(true);
    // Several objects named in full: pages separated by two newlines, none after the last.
    const names = sh("kubectl get po -o name").stdout.trim().split("\n").map((n) => n.slice(4));
    const both = sh(`kubectl describe po ${names[0]} ${names[1]}`).stdout;
    expect(both).toContain("\n\n\nName: ");
    expect(both.endsWith("\n\n")).toBe(false);
    expect(sh("kubectl describe po/demoapp").stderr).toBe('Error from server (NotFound): pods "demoapp" not found\n');
    expect(sh("kubectl describe po -l app=none")).toEqual({ stdout: "", stderr: "No resources found in default namespace.\n", exitCode: 0 });
  });
  it("describe node and deployment run without errors", () => {
    expect(sh("kubectl describe no node01").stdout).toMatch(/^Name:               node01\nRoles:              <none>\n/);
    expect(sh("kubectl describe deploy demoapp").stdout).toMatch(/NewReplicaSet:   demoapp-\S+ \(2\/2 replicas created\)\n/);
  });
});

// What kubectl v1.19 prints for these (pkg/cmd/create/create_deployment.go; the same bytes from kubectl v1.20.2, whose
// create deployment is unchanged).
const DRY_NGINX = `apiVersion: apps/v1
kind: Deployment
metadata:
  creationTimestamp: null
  labels:
    app: x
  name: x
spec:
  replicas: 1
  selector:
    matchLabels:
      app: x
  strategy: {}
  template:
    metadata:
      creationTimestamp: null
      labels:
        app: x
    spec:
      containers:
      - image: nginx
        name: nginx
        resources: {}
status: {}
`;

describe("create deployment builds kubectl v1.19's object", () => {
  it("--dry-run=client -o yaml prints kubectl's bytes", () => {
    expect(sh("kubectl create deployment x --image=nginx --dry-run=client -o yaml")).toEqual({ stdout: DRY_NGINX, stderr: "", exitCode: 0 });
  });
  it("-n, --replicas, several images (named after the image, `_` and `.` sanitized with a suffix), --port on the first", () => {
    const r = sh("kubectl create deployment my-dep -n ns1 --image=busybox:1.2 --image=a.b/c_d.e@sha256:abc --port=5701 --replicas=3 --dry-run=client -o yaml");
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(
      new RegExp(
        "^apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  creationTimestamp: null\n  labels:\n    app: my-dep\n  name: my-dep\n  namespace: ns1\nspec:\n  replicas: 3\n  selector:\n    matchLabels:\n      app: my-dep\n  strategy: \\{\\}\n  template:\n    metadata:\n      creationTimestamp: null\n      labels:\n        app: my-dep\n    spec:\n      containers:\n" +
          "      - image: busybox:1.2\n        name: busybox\n        ports:\n        - containerPort: 5701\n        resources: \\{\\}\n" +
          "      - image: a.b/c_d.e@sha256:abc\n        name: c-d-e-[bcdfghjklmnpqrstvwxz2456789]{5}\n        resources: \\{\\}\nstatus: \\{\\}\n$",
      ),
    );
  });
  it("a command after --; the errors of NAME and of several images with a command", () => {
    expect(sh("kubectl create deployment x --image=nginx --dry-run=client -o yaml -- date -u").stdout).toBe(
      DRY_NGINX.replace("      - image: nginx\n", "      - command:\n        - date\n        - -u\n        image: nginx\n"),
    );
    expect(sh("kubectl create deployment x y --image=nginx")).toEqual(err("error: exactly one NAME is required, got 2\nSee 'kubectl create deployment -h' for help and examples\n"));
    expect(sh("kubectl create deployment x --image=nginx --image=b -- date")).toEqual(err("error: cannot specify multiple --image options and command\n"));
    expect(sh("kubectl get deploy x").exitCode).toBe(1);
  });
  it("-o json in Go's field order (kind first); -o name", () => {
    const j = sh("kubectl create deployment x --image=nginx --dry-run=client -o json").stdout;
    expect(j.startsWith('{\n    "kind": "Deployment",\n    "apiVersion": "apps/v1",\n    "metadata": {\n        "name": "x",\n        "creationTimestamp": null,\n')).toBe(true);
    expect(j).toContain('\n                    {\n                        "name": "nginx",\n                        "image": "nginx",\n                        "resources": {}\n                    }\n');
    expect(j.endsWith('        },\n        "strategy": {}\n    },\n    "status": {}\n}\n')).toBe(true);
    expect(sh("kubectl create deployment x --image=nginx --dry-run=client -o name").stdout).toBe("deployment.apps/x\n");
  });
  it("the object created is the one printed: its template keeps creationTimestamp: null and resources: {}, and it runs", () => {
    expect(sh("kubectl create deployment web --image=ikubernetes/demoapp:v1.0 -- /bin/demoapp").stdout).toBe("deployment.apps/web created\n");
    const live = sh("kubectl get deploy web -o yaml").stdout;
    expect(live).toContain("  template:\n    metadata:\n      creationTimestamp: null\n      labels:\n        app: web\n    spec:\n      containers:\n      - command:\n        - /bin/demoapp\n        image: ikubernetes/demoapp:v1.0\n        imagePullPolicy: IfNotPresent\n        name: demoapp\n        resources: {}\n");
    sh("sleep 20");
    expect(sh("kubectl get deploy web --no-headers").stdout).toMatch(/^web +1\/1 +1 +1 /);
  });
});
