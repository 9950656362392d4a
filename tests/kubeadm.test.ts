// kube-system as a v1.19.4 kubeadm + flannel install leaves it, seen through the terminal: static pods, the
// kube-proxy and kube-flannel-ds DaemonSets, coredns behind kube-dns (10.96.0.10) and names resolving through it;
// DaemonSets as a kind (placement by node selector and taints); and kube-system costing nothing in the stored form.
import { beforeEach, describe, expect, it } from "vitest";
import { Cluster } from "../engine/index.ts";

let c: Cluster;
const sh = (line: string, opts: { host?: string; stdin?: string } = {}) => c.exec(line, opts);

beforeEach(() => {
  c = Cluster.create({ seed: 5 });
});

/** The table's rows split into cells (kubectl's columns are separated by 3+ spaces, or 2 before a short cell). */
const rows = (table: string) => table.trimEnd().split("\n").map((l) => l.trim().split(/\s{2,}/));

describe("kube-system after kubeadm init + flannel", () => {
  it("kubectl get pods -A: static pods, daemon pods on every node, two coredns; names with hash suffixes, restarts 0, ages from cluster creation", () => {
    const r = sh("kubectl get pods -A -o wide");
    expect(r.exitCode).toBe(0);
    const [head, ...body] = r.stdout.trimEnd().split("\n");
    expect(head).toBe("NAMESPACE     NAME                               READY   STATUS    RESTARTS   AGE   IP            NODE       NOMINATED NODE   READINESS GATES");
    const pat = [
      /^kube-system {3}coredns-f9fd979d6-[a-z0-9]{5} +1\/1 {5}Running {3}0 {10}10d {3}10\.244\.0\.2 {4}master01 {3}<none> {11}<none>$/,
      /^kube-system {3}coredns-f9fd979d6-[a-z0-9]{5} +1\/1 {5}Running {3}0 {10}10d {3}10\.244\.0\.3 {4}master01 {3}<none> {11}<none>$/,
      /^kube-system {3}etcd-master01 +1\/1 {5}Running {3}0 {10}10d {3}192\.168\.2\.1 {3}master01 /,
      /^kube-system {3}kube-apiserver-master01 +1\/1 .* 192\.168\.2\.1 {3}master01 /,
      /^kube-system {3}kube-controller-manager-master01 {3}1\/1 .* 192\.168\.2\.1 {3}master01 /,
      /^kube-system {3}kube-flannel-ds-[a-z0-9]{5} .* 192\.168\.2\.\d {3}(master01|node01 |node02 ) /,
      /^kube-system {3}kube-flannel-ds-[a-z0-9]{5} .* 192\.168\.2\.\d {3}(master01|node01 |node02 ) /,
      /^kube-system {3}kube-flannel-ds-[a-z0-9]{5} .* 192\.168\.2\.\d {3}(master01|node01 |node02 ) /,
      /^kube-system {3}kube-proxy-[a-z0-9]{5} .* 192\.168\.2\.\d {3}(master01|node01 |node02 ) /,
      /^kube-system {3}kube-proxy-[a-z0-9]{5} .* 192\.168\.2\.\d {3}(master01|node01 |node02 ) /,
      /^kube-system {3}kube-proxy-[a-z0-9]{5} .* 192\.168\.2\.\d {3}(master01|node01 |node02 ) /,
      /^kube-system {3}kube-scheduler-master01 +1\/1 {5}Running {3}0 {10}10d {3}192\.168\.2\.1 {3}master01 /,
    ];
    expect(body).toHaveLength(pat.length);
    body.forEach((line, i) => expect(line).toMatch(pat[i]));
    // every node runs one kube-proxy and one flannel pod, on its own address (host network)
    for (const ds of ["kube-proxy", "kube-flannel-ds"]) {
      const nodes = body.filter((l) => l.includes(` ${ds}-`)).map((l) => rows(l)[0][7]);
      expect(nodes.sort()).toEqual(["master01", "node01", "node02"]);
    }
    for (const l of body.filter((x) => / (kube-proxy|kube-flannel-ds)-/.test(x))) {
      const cells = rows(l)[0];
      expect(cells[6]).toBe({ master01: "192.168.2.1", node01: "192.168.2.2", node02: "192.168.2.3" }[cells[7]]);
    }
    // the default namespace is as empty as before
    expect(sh("kubectl get pods")).toEqual({ stdout: "", stderr: "No resources found in default namespace.\n", exitCode: 0 });
  });

  it("get svc -A, get ep -n kube-system, get ds -A, get deploy -n kube-system as v1.19 prints them", () => {
    expect(sh("kubectl get svc -A").stdout).toBe(
      [
        "NAMESPACE     NAME         TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)                  AGE",
        "default       kubernetes   ClusterIP   10.96.0.1    <none>        443/TCP                  10d",
        "kube-system   kube-dns     ClusterIP   10.96.0.10   <none>        53/UDP,53/TCP,9153/TCP   10d",
        "",
      ].join("\n"),
    );
    expect(sh("kubectl get ep -n kube-system").stdout).toBe(
      [
        "NAME                      ENDPOINTS                                               AGE",
        "kube-controller-manager   <none>                                                  10d",
        "kube-dns                  10.244.0.2:53,10.244.0.3:53,10.244.0.2:53 + 3 more...   10d",
        "kube-scheduler            <none>                                                  10d",
        "",
      ].join("\n"),
    );
    expect(sh("kubectl get ds -A").stdout).toBe(
      [
        "NAMESPACE     NAME              DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR            AGE",
        "kube-system   kube-flannel-ds   3         3         3       3            3           <none>                   10d",
        "kube-system   kube-proxy        3         3         3       3            3           kubernetes.io/os=linux   10d",
        "",
      ].join("\n"),
    );
    expect(sh("kubectl get deploy -n kube-system").stdout).toBe("NAME      READY   UP-TO-DATE   AVAILABLE   AGE\ncoredns   2/2     2            2           10d\n");
    const dns = sh("kubectl describe svc kube-dns -n kube-system").stdout;
    expect(dns).toContain("Port:              dns  53/UDP\nTargetPort:        53/UDP\n");
    expect(dns).toContain("Port:              dns-tcp  53/TCP\n");
    expect(dns).toContain("Port:              metrics  9153/TCP\n");
    expect(dns).toMatch(/Endpoints:\s+10\.244\.0\.2:9153,10\.244\.0\.3:9153\n/);
  });

  it("describe ds: kubectl v1.19's DaemonSet page", () => {
    const r = sh("kubectl describe ds kube-proxy -n kube-system");
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(
      new RegExp(
        "^Name:           kube-proxy\nSelector:       k8s-app=kube-proxy\nNode-Selector:  kubernetes.io/os=linux\nLabels:         k8s-app=kube-proxy\n" +
          "Annotations:    deprecated.daemonset.template.generation: 1\nDesired Number of Nodes Scheduled: 3\nCurrent Number of Nodes Scheduled: 3\n" +
          "Number of Nodes Scheduled with Up-to-date Pods: 3\nNumber of Nodes Scheduled with Available Pods: 3\nNumber of Nodes Misscheduled: 0\n" +
          "Pods Status:  3 Running / 0 Waiting / 0 Succeeded / 0 Failed\nPod Template:\n  Labels:           k8s-app=kube-proxy\n  Service Account:  kube-proxy\n  Containers:\n   kube-proxy:\n" +
          "    Image:      k8s.gcr.io/kube-proxy:v1.19.4\n",
      ),
    );
    // (the mounts that follow have no tab: the variable's column block ends with it; real kubectl agrees, see
    // kubectl-fidelity.test.ts)
    expect(r.stdout).toContain("      NODE_NAME:   (v1:spec.nodeName)\n    Mounts:\n      /lib/modules from lib-modules (ro)\n");
  });

  it("pods resolve names through kube-dns; coredns scaled to 0, lookups time out; scaled back, they answer", () => {
    sh("kubectl create deployment web --image=ikubernetes/demoapp:v1.0");
    sh("kubectl expose deployment web --port=80");
    const pod = c.list("Pod", { namespace: "default" })[0].metadata.name;
    const svcIP = (c.get("Service", "web") as { spec: { clusterIP: string } }).spec.clusterIP;
    const answer = `Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\nName:\tweb.default.svc.cluster.local\nAddress: ${svcIP}\n\n`;
    expect(sh(`kubectl exec ${pod} -- nslookup web`)).toEqual({ stdout: answer, stderr: "", exitCode: 0 });
    expect(sh(`kubectl exec ${pod} -- cat /etc/resolv.conf`).stdout).toBe("nameserver 10.96.0.10\nsearch default.svc.cluster.local svc.cluster.local cluster.local\noptions ndots:5\n");
    expect(sh("kubectl scale deployment coredns -n kube-system --replicas=0").stdout).toBe("deployment.apps/coredns scaled\n");
    expect(sh("kubectl get ep kube-dns -n kube-system").stdout).toBe("NAME       ENDPOINTS   AGE\nkube-dns   <none>      10d\n");
    expect(sh(`kubectl exec ${pod} -- nslookup web`)).toEqual({ stdout: ";; connection timed out; no servers could be reached\n\n", stderr: "command terminated with exit code 1\n", exitCode: 1 });
    expect(sh(`kubectl exec ${pod} -- curl -sS web`)).toMatchObject({ stderr: "curl: (6) Could not resolve host: web\ncommand terminated with exit code 6\n", exitCode: 6 });
    // nodes use /etc/hosts, not cluster DNS
    expect(sh("nslookup node01").exitCode).toBe(0);
    sh("kubectl scale deployment coredns -n kube-system --replicas=2");
    expect(sh(`kubectl exec ${pod} -- nslookup web`).stdout).toBe(answer);
  });

  it("a DaemonSet of one's own: a pod per eligible node; node labels and taints move it", () => {
    const ds = `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
spec:
  selector:
    matchLabels:
      app: agent
  template:
    metadata:
      labels:
        app: agent
    spec:
      nodeSelector:
        disk: ssd
      containers:
      - name: agent
        image: ikubernetes/demoapp:v1.0
`;
    expect(sh("kubectl apply -f -", { stdin: ds }).stdout).toBe("daemonset.apps/agent created\n");
    expect(sh("kubectl get ds agent").stdout).toBe("NAME    DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR   AGE\nagent   0         0         0       0            0           disk=ssd        0s\n");
    sh("kubectl label node node01 node02 master01 disk=ssd");
    // the master's NoSchedule taint keeps it off master01
    const nodes = () => (c.list("Pod", { namespace: "default", selector: "app=agent" }) as { spec: { nodeName: string } }[]).map((p) => p.spec.nodeName).sort();
    expect(nodes()).toEqual(["node01", "node02"]);
    expect(sh("kubectl get ds agent").stdout).toContain("agent   2         2         2       2            2           disk=ssd        0s\n");
    expect(sh("kubectl get pods -l app=agent --show-labels").stdout).toMatch(/^agent-[a-z0-9]{5} +1\/1 +Running +0 +0s +app=agent,controller-revision-hash=[a-z0-9]+,pod-template-generation=1$/m);
    // a NoExecute taint evicts the pod; a NoSchedule one keeps it (misscheduled); removing the label removes it
    expect(sh("kubectl taint nodes node01 maintenance=yes:NoExecute").stdout).toBe("node/node01 tainted\n");
    expect(nodes()).toEqual(["node02"]);
    expect(sh("kubectl taint nodes node01 maintenance-").stdout).toBe("node/node01 untainted\n");
    expect(nodes()).toEqual(["node01", "node02"]);
    sh("kubectl taint nodes node02 dedicated=db:NoSchedule");
    expect(nodes()).toEqual(["node01", "node02"]);
    expect(sh("kubectl describe ds agent").stdout).toContain("Desired Number of Nodes Scheduled: 1\nCurrent Number of Nodes Scheduled: 1\nNumber of Nodes Scheduled with Up-to-date Pods: 1\nNumber of Nodes Scheduled with Available Pods: 1\nNumber of Nodes Misscheduled: 1\n");
    sh("kubectl label node node02 disk-");
    expect(nodes()).toEqual(["node01"]);
    expect(sh("kubectl delete ds agent").stdout).toBe('daemonset.apps "agent" deleted\n');
    // its pod terminates for its grace period (30 s), then is gone
    expect(sh("kubectl get pods -l app=agent").stdout).toMatch(/^agent-[a-z0-9]{5} +1\/1 +Terminating +0 /m);
    sh("sleep 30");
    expect(nodes()).toEqual([]);
    // and the same with a toleration of the master's taint: master01 too (node02 keeps its own NoSchedule taint)
    sh("kubectl apply -f -", { stdin: ds.replace("      nodeSelector:\n        disk: ssd\n", "      tolerations:\n      - key: node-role.kubernetes.io/master\n        effect: NoSchedule\n") });
    expect(nodes()).toEqual(["master01", "node01"]);
    sh("kubectl taint nodes node02 dedicated-");
    expect(nodes()).toEqual(["master01", "node01", "node02"]);
    // a new template rolls every pod over (RollingUpdate): new names, the new image, generation 2
    const before = c.list("Pod", { namespace: "default", selector: "app=agent" }).map((p) => p.metadata.name);
    expect(sh(`KUBE_EDITOR="sed -i 's/demoapp:v1.0/demoapp:v1.1/'" kubectl edit ds agent`).stdout).toBe("daemonset.apps/agent edited\n");
    const after = c.list("Pod", { namespace: "default", selector: "app=agent" }) as { metadata: { name: string; labels: Record<string, string> }; spec: { containers: { image: string }[] } }[];
    expect(after).toHaveLength(3);
    for (const p of after) {
      expect(before).not.toContain(p.metadata.name);
      expect(p.spec.containers[0].image).toBe("ikubernetes/demoapp:v1.1");
      expect(p.metadata.labels["pod-template-generation"]).toBe("2");
    }
    expect(sh("kubectl get ds agent").stdout).toMatch(/\nagent +3 +3 +3 +3 +3 +<none> /);
  });

  it("a deleted daemon pod is replaced once it is gone, not while it terminates (v1.19's podsShouldBeOnNode)", () => {
    const proxyOn = (node: string) => (c.list("Pod", { namespace: "kube-system", selector: "k8s-app=kube-proxy" }) as { metadata: { name: string; deletionTimestamp?: string }; spec: { nodeName: string } }[]).filter((p) => p.spec.nodeName === node);
    const [old] = proxyOn("node01");
    expect(sh(`kubectl delete pod ${old.metadata.name} -n kube-system --wait=false`).stdout).toBe(`pod "${old.metadata.name}" deleted\n`);
    // only the old pod, terminating; the DaemonSet still counts it (current and ready)
    expect(proxyOn("node01").map((p) => [p.metadata.name, !!p.metadata.deletionTimestamp])).toEqual([[old.metadata.name, true]]);
    expect(sh("kubectl get ds kube-proxy -n kube-system").stdout).toContain("kube-proxy   3         3         3       3            3           kubernetes.io/os=linux   10d");
    sh("sleep 30");
    const [fresh] = proxyOn("node01");
    expect(fresh.metadata.name).not.toBe(old.metadata.name);
    expect(proxyOn("node01")).toHaveLength(1);
    // kubectl delete waits out the grace period: the replacement is new when it returns
    sh(`kubectl delete pod ${fresh.metadata.name} -n kube-system`);
    expect(sh("kubectl get pods -n kube-system -l k8s-app=kube-proxy -o wide").stdout).toMatch(/\nkube-proxy-[a-z0-9]{5} +1\/1 +Running +0 +0s +192\.168\.2\.2 +node01 /);
  });

  it("kubectl taint: kubectl's messages", () => {
    expect(sh("kubectl taint nodes node01 a=b:NoSchedule").stdout).toBe("node/node01 tainted\n");
    expect(sh("kubectl taint nodes node01 a=c:NoSchedule")).toEqual({ stdout: "", stderr: "error: Node node01 already has a taint(s) with same effect(s) and --overwrite is false\n", exitCode: 1 });
    expect(sh("kubectl taint nodes node01 a=c:NoSchedule --overwrite").stdout).toBe("node/node01 tainted\n");
    expect(sh("kubectl describe node node01").stdout).toContain("Taints:             a=c:NoSchedule\n");
    expect(sh("kubectl taint nodes node01 a:NoSchedule-").stdout).toBe("node/node01 untainted\n");
    expect(sh("kubectl taint nodes node01 a-")).toEqual({ stdout: "", stderr: 'error: taint "a" not found\n', exitCode: 1 });
    expect(sh("kubectl taint nodes node01 a=b:Sometimes").stderr).toBe("error: invalid taint spec: a=b:Sometimes, invalid taint effect: Sometimes, unsupported taint effect\n");
  });

  it("kube-system is left out of the stored form until a student changes it, and comes back the same", () => {
    const fresh = c.toJSONText();
    expect(fresh).not.toContain("kube-system/");
    expect(fresh).not.toContain("coredns");
    const again = Cluster.fromJSON(fresh);
    expect(again.exec("kubectl get pods -A -o wide").stdout).toBe(sh("kubectl get pods -A -o wide").stdout);
    // a change is stored, and only what changed
    sh("kubectl scale deployment coredns -n kube-system --replicas=1");
    sh("kubectl label node node02 kubernetes.io/os=windows --overwrite");
    const text = c.toJSONText();
    expect(text).toContain('"kube-system/coredns"');
    expect(text).toContain('"sysGone":[');
    expect(text).not.toContain("etcd-master01");
    const restored = Cluster.fromJSON(text);
    expect(restored.toJSONText()).toBe(text);
    for (const line of ["kubectl get pods -A -o wide", "kubectl get ds -A", "kubectl get ep -A", "kubectl get deploy,rs -A"]) expect(restored.exec(line).stdout, line).toBe(sh(line).stdout);
    expect(sh("kubectl get ds kube-proxy -n kube-system").stdout).toContain("kube-proxy   2         2         2       2            2           kubernetes.io/os=linux");
  });

  it("10.96.0.10 stays kube-dns's: another Service cannot take it", () => {
    const svc = "apiVersion: v1\nkind: Service\nmetadata:\n  name: mine\nspec:\n  clusterIP: 10.96.0.10\n  ports:\n  - port: 53\n";
    expect(sh("kubectl apply -f -", { stdin: svc }).stderr).toBe('The Service "mine" is invalid: spec.clusterIP: Invalid value: "10.96.0.10": provided IP is already allocated\n');
  });
});
