// The course chapter (services, labels, endpoints) typed into the lab terminal in order, on a fresh cluster.
// Outputs are compared with the transcript byte for byte, except values that are random in a real cluster
// (pod name suffixes, IPs not fixed by the manifests, restart counts), which are checked by shape and by
// consistency with each other (describe's Endpoints = the -o wide pod IPs, curl's ServerName/ServerIP = a live
// pod, the client IP = the bridge or flannel address the request really came through).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Cluster } from "../engine/index.ts";
import { execLine } from "../engine/shell/exec.ts";

const FIX = new URL("./fixtures/course/", import.meta.url);
const fixture = (name: string) => readFileSync(new URL(name, FIX), "utf8");
const COURSE_FILES = [
  "services-clusterip-demo.yaml",
  "services-nodeport-demo.yaml",
  "services-loadbalancer-demo.yaml",
  "services-externalip-demo.yaml",
  "services-readiness-demo.yaml",
  "mysql-endpoints-demo.yaml",
];

const POD_NAME = /^demoapp-[bcdfghjklmnpqrstvwxz2456789]{9,10}-[bcdfghjklmnpqrstvwxz2456789]{5}$/;
const POD2_NAME = /^demoapp2-[bcdfghjklmnpqrstvwxz2456789]{9,10}-[bcdfghjklmnpqrstvwxz2456789]{5}$/;
const POD_IP = /^10\.244\.(4|5)\.\d{1,3}$/;

/** Cells of a kubectl table line (columns are separated by at least 3 spaces; cells never hold two spaces). */
function cells(line: string): string[] {
  return line.trim().split(/ {2,}/);
}
/** Every row's cells start where the header's do (kubectl's tabwriter alignment). */
function expectAligned(table: string): void {
  const lines = table.replace(/\n$/, "").split("\n");
  const starts = (l: string) => [...l.matchAll(/\S+(?: \S+)*/g)].map((m) => m.index);
  const head = starts(lines[0]);
  for (const l of lines.slice(1)) expect(starts(l)).toEqual(head.slice(0, starts(l).length));
}

function setup(seed: number) {
  const c = Cluster.create({ seed });
  for (const h of c.hosts()) for (const f of COURSE_FILES) c.writeFile(`/root/chapter7/${f}`, fixture(f), h.name);
  // each line in its host's directory, as the transcript shows them (the shell it leaves is not what is compared)
  const sh = (line: string, host = "master01", cwd = "/root") => {
    const { shell: _left, ...r } = execLine(c, line, { host, cwd });
    return r;
  };
  const ch7 = (line: string, host = "node01") => sh(line, host, "/root/chapter7");
  return { c, sh, ch7 };
}

function podIPs(sh: (l: string) => { stdout: string }, selector: string): Map<string, { ip: string; node: string; ready: string }> {
  const out = sh(`kubectl get po -l ${selector} -o wide --no-headers`).stdout;
  const m = new Map<string, { ip: string; node: string; ready: string }>();
  for (const l of out.trim().split("\n").filter((x) => x)) {
    const c = cells(l);
    m.set(c[0], { ip: c[5], node: c[6], ready: c[1] });
  }
  return m;
}

/** The address a pod on `podNode` sees when kube-proxy on `viaNode` SNATs the request to it (flannel: cni0 .1 locally, flannel.1 .0 across). */
function snatIP(viaNode: string, podNode: string): string {
  const cidr: Record<string, string> = { master01: "10.244.0", node01: "10.244.5", node02: "10.244.4" };
  return `${cidr[viaNode]}.${viaNode === podNode ? 1 : 0}`;
}

const DEMO_LINE = /^iKubernetes demoapp v1\.0 !! ClientIP: (\S+), ServerName: (\S+), ServerIP: (\S+)!$/;

describe.each([1, 2, 7])("the course walkthrough (seed %i)", (seed) => {
  it("runs the whole chapter with the transcript's output", () => {
    const { c, sh, ch7 } = setup(seed);

    // Chapter setup: the demoapp Deployment the course created earlier.
    expect(sh("kubectl create deployment demoapp --image=ikubernetes/demoapp:v1.0 --replicas=3")).toEqual({
      stdout: "deployment.apps/demoapp created\n",
      stderr: "",
      exitCode: 0,
    });
    sh("sleep 20");

    // ---- 1. ClusterIP ----
    const cat = ch7("cat   services-clusterip-demo.yaml", "master01");
    expect(cat.stdout).toBe(fixture("services-clusterip-demo.yaml"));
    expect(ch7("kubectl apply -f services-clusterip-demo.yaml", "master01").stdout).toBe("service/demoapp-svc created\n");
    sh("sleep 100");
    expect(ch7("kubectl  get svc/demoapp-svc  ", "master01")).toEqual({
      stdout:
        "NAME          TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE\n" +
        "demoapp-svc   ClusterIP   10.97.72.1   <none>        80/TCP    100s\n",
      stderr: "",
      exitCode: 0,
    });
    const pods3 = podIPs(sh, "app=demoapp");
    expect(pods3.size).toBe(3);
    const desc = ch7("kubectl describe  svc/demoapp-svc  ", "master01").stdout;
    const endpointsLine = /^Endpoints:         (.*)$/m.exec(desc)![1];
    const eps = endpointsLine.split(",");
    expect(eps.map((e) => e.replace(/:80$/, "")).sort()).toEqual([...pods3.values()].map((p) => p.ip).sort());
    expect([...eps].sort()).toEqual(eps); // the controller orders addresses by IP text
    expect(desc.replace(endpointsLine, "EP")).toBe(
      [
        "Name:              demoapp-svc",
        "Namespace:         default",
        "Labels:            <none>",
        "Annotations:       <none>",
        "Selector:          app=demoapp",
        "Type:              ClusterIP",
        "IP Families:       <none>",
        "IP:                10.97.72.1",
        "IPs:               <none>",
        "Port:              http  80/TCP",
        "TargetPort:        80/TCP",
        "Endpoints:         EP",
        "Session Affinity:  None",
        "Events:            <none>",
        "",
      ].join("\n"),
    );

    const awk = sh("kubectl  get po -l app=demoapp -o wide |awk '{print $6}'", "node01").stdout.split("\n");
    expect(awk[0]).toBe("IP");
    expect(awk.slice(1, 4).sort()).toEqual([...pods3.values()].map((p) => p.ip).sort());
    for (const ip of awk.slice(1, 4)) expect(ip).toMatch(POD_IP);

    expect(sh("kubectl  scale  deployment demoapp --replicas=2", "node01").stdout).toBe("deployment.apps/demoapp scaled\n");
    const after = sh("kubectl  describe  svc/demoapp-svc", "node01").stdout;
    const eps2 = /^Endpoints:         (.*)$/m.exec(after)![1].split(",");
    expect(eps2).toHaveLength(2);
    for (const e of eps2) expect(eps).toContain(e);
    expect(after.replace(/^Endpoints: .*$/m, "")).toBe(desc.replace(/^Endpoints: .*$/m, ""));

    sh("sleep 35"); // the removed pod finishes terminating
    const pods2 = podIPs(sh, "app=demoapp");
    expect(pods2.size).toBe(2);
    for (let i = 0; i < 3; i++) {
      const r = sh(" curl   10.97.72.1", "node01");
      const m = DEMO_LINE.exec(r.stdout.trimEnd())!;
      expect(m, r.stdout + r.stderr).not.toBeNull();
      const pod = pods2.get(m[2])!;
      expect(m[2]).toMatch(POD_NAME);
      expect(m[3]).toBe(pod.ip);
      expect(m[1]).toBe(snatIP("node01", pod.node));
    }

    // ---- 2. NodePort ----
    expect(ch7("kubectl  apply -f services-nodeport-demo.yaml").stdout).toBe("service/demoapp-nodeport-svc created\n");
    expect(ch7("cat services-nodeport-demo.yaml").stdout).toBe(fixture("services-nodeport-demo.yaml"));

    // ---- 3. LoadBalancer without a cloud: EXTERNAL-IP stays <pending>, a nodePort is allocated ----
    expect(ch7("kubectl  apply -f  services-loadbalancer-demo.yaml").stdout).toBe("service/demoapp-loadbalancer-svc created\n");
    sh("sleep 59");
    const lb = ch7("kubectl  get svc/demoapp-loadbalancer-svc");
    expectAligned(lb.stdout);
    const [lbHead, lbRow] = lb.stdout.trimEnd().split("\n").map(cells);
    expect(lbHead).toEqual(["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"]);
    expect(lbRow[0]).toBe("demoapp-loadbalancer-svc");
    expect(lbRow[1]).toBe("LoadBalancer");
    expect(lbRow[2]).toMatch(/^10\.(9[6-9]|10\d|11[01])\.\d+\.\d+$/);
    expect(lbRow[3]).toBe("<pending>");
    expect(lbRow[4]).toMatch(/^80:3\d{4}\/TCP$/);
    expect(Number(lbRow[4].slice(3, 8))).toBeGreaterThanOrEqual(30000);
    expect(lbRow[5]).toBe("59s");

    // ---- labels ----
    expect(sh("kubectl  get  no/master01  --show-labels").stdout).toBe(
      "NAME       STATUS   ROLES    AGE   VERSION   LABELS\n" +
        "master01   Ready    master   10d   v1.19.4   beta.kubernetes.io/arch=amd64,beta.kubernetes.io/os=linux,kubernetes.io/arch=amd64,kubernetes.io/hostname=master01,kubernetes.io/os=linux,node-role.kubernetes.io/master=\n",
    );

    // The other pods the course's selector examples list come from earlier chapters.
    c.writeFile("/root/other-pods.yaml", fixture("other-pods.yaml"));
    expect(sh("kubectl apply -f other-pods.yaml").exitCode).toBe(0);
    sh("sleep 30");
    sh("kubectl label po/init-container-demo environment=dev");

    const eq = sh("kubectl get po  -l  app=demoapp", "node01");
    expectAligned(eq.stdout);
    const eqRows = eq.stdout.trimEnd().split("\n").map(cells);
    expect(eqRows[0]).toEqual(["NAME", "READY", "STATUS", "RESTARTS", "AGE"]);
    expect(eqRows.slice(1).map((r) => r[0]).sort()).toEqual([...pods2.keys()].sort());
    for (const r of eqRows.slice(1)) expect(r.slice(1, 4)).toEqual(["1/1", "Running", "0"]);

    const withLabels = sh("kubectl get po  -l  app=demoapp --show-labels", "node01").stdout;
    for (const l of withLabels.trimEnd().split("\n").slice(1)) expect(cells(l)[5]).toMatch(/^app=demoapp,pod-template-hash=[bcdfghjklmnpqrstvwxz2456789]{9,10}$/);
    expect(cells(withLabels.split("\n")[0])).toEqual(["NAME", "READY", "STATUS", "RESTARTS", "AGE", "LABELS"]);

    const names = (line: string) =>
      sh(line, "node01")
        .stdout.trimEnd()
        .split("\n")
        .slice(1)
        .map((l) => cells(l)[0]);
    expect(names("kubectl get po  -l  app --show-labels")).toEqual([...[...pods2.keys()].sort(), "mypod", "mypod-with-ports"]);
    expect(names("kubectl get po  -l  '!app'  --show-labels")).toEqual(["init-container-demo", "lifecycle-demo"]);
    expect(names("kubectl get po  -l  'app in (mypod,demoapp)'  --show-labels")).toEqual([...[...pods2.keys()].sort(), "mypod", "mypod-with-ports"]);
    expect(names("kubectl get po -l 'app notin (mypod,demoapp)' --show-labels")).toEqual(["init-container-demo", "lifecycle-demo"]);
    const notin = sh("kubectl get po  -l  '!app'  --show-labels", "node01").stdout;
    expect(/^init-container-demo .* environment=dev$/m.test(notin)).toBe(true);
    expect(/^lifecycle-demo .* <none>$/m.test(notin)).toBe(true);

    sh("kubectl label po/mypod environment=prod");
    const multi = sh("kubectl get po  -l  'app=mypod ,environment=prod'  --show-labels", "node01").stdout.trimEnd().split("\n");
    expect(multi).toHaveLength(2);
    expect(cells(multi[0])).toEqual(["NAME", "READY", "STATUS", "RESTARTS", "AGE", "LABELS"]);
    expect(cells(multi[1])[0]).toBe("mypod");
    expect(cells(multi[1])[5]).toBe("app=mypod,environment=prod,release=canary");

    // ---- label management ----
    expect(sh("kubectl label  po/lifecycle-demo  -n  default  release=alpha", "node01")).toEqual({ stdout: "pod/lifecycle-demo labeled\n", stderr: "", exitCode: 0 });
    const lifecycle = sh("kubectl get   po/lifecycle-demo   --show-labels", "node01").stdout.split("\n");
    expect(cells(lifecycle[0])).toEqual(["NAME", "READY", "STATUS", "RESTARTS", "AGE", "LABELS"]);
    expect(cells(lifecycle[1])).toEqual(["lifecycle-demo", "1/1", "Running", "0", expect.stringMatching(/^\d+s$/), "release=alpha"]);
    expect(sh("kubectl label  po/lifecycle-demo  -n  default  release-", "node01").stdout).toBe("pod/lifecycle-demo labeled\n");
    expect(cells(sh("kubectl get   po/lifecycle-demo   --show-labels", "node01").stdout.split("\n")[1])[5]).toBe("<none>");
    expect(sh("kubectl label  po/lifecycle-demo  -n  default  release-", "node01")).toEqual({
      stdout: 'label "release" not found.\npod/lifecycle-demo labeled\n',
      stderr: "",
      exitCode: 0,
    });

    // ---- externalTrafficPolicy: Cluster ----
    const wide = ch7("kubectl  get   po -o wide |grep ^d").stdout.trimEnd().split("\n");
    expect(wide).toHaveLength(2);
    for (const l of wide) {
      const cl = cells(l);
      expect(cl[0]).toMatch(POD_NAME);
      expect(cl.slice(1, 4)).toEqual(["1/1", "Running", "0"]);
      expect(cl.slice(7)).toEqual(["<none>", "<none>"]);
    }
    const loop = ch7("while true ; do curl  192.168.2.2:31398 ;done");
    const loopLines = loop.stdout.trimEnd().split("\n");
    expect(loopLines).toHaveLength(100);
    expect(loop.stderr).toMatch(/loop stopped after 100 iterations/);
    const seen = new Set<string>();
    for (const l of loopLines) {
      const m = DEMO_LINE.exec(l)!;
      expect(m).not.toBeNull();
      const pod = pods2.get(m[2])!;
      expect(m[3]).toBe(pod.ip);
      expect(m[1]).toBe(snatIP("node01", pod.node));
      seen.add(m[2]);
    }
    expect(seen.size).toBe(2); // Cluster policy spreads over both pods

    expect(sh("kubectl  scale  deployment demoapp --replicas=1").stdout).toBe("deployment.apps/demoapp scaled\n");
    sh("sleep 35");
    const one = podIPs(sh, "app=demoapp");
    expect(one.size).toBe(1);
    const [lastName, last] = [...one.entries()][0];
    const single = sh(`kubectl  get  po/${lastName}  -o wide`).stdout.split("\n");
    expect(cells(single[0])).toEqual(["NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE", "NOMINATED NODE", "READINESS GATES"]);
    expect(cells(single[1])).toEqual([lastName, "1/1", "Running", "0", expect.stringMatching(/^\d+m\d*s?$/), last.ip, last.node, "<none>", "<none>"]);
    for (const node of ["node01", "node02"]) {
      const m = DEMO_LINE.exec(sh(`curl  ${node}:31398`).stdout.trimEnd())!;
      expect(m).not.toBeNull();
      expect([m[2], m[3], m[1]]).toEqual([lastName, last.ip, snatIP(node, last.node)]);
    }

    // ---- externalIPs ----
    expect(sh("ip addr add 192.168.2.6/21 dev eth0", "node02")).toEqual({ stdout: "", stderr: "", exitCode: 0 });
    expect(sh("ip  -4 a s eth0", "node02").stdout).toBe(
      "2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc pfifo_fast state UP group default qlen 1000\n" +
        "    inet 192.168.2.3/21 brd 192.168.7.255 scope global noprefixroute eth0\n" +
        "       valid_lft forever preferred_lft forever\n" +
        "    inet 192.168.2.6/21 scope global secondary eth0\n" +
        "       valid_lft forever preferred_lft forever\n",
    );
    expect(ch7("cat services-externalip-demo.yaml").stdout).toBe(fixture("services-externalip-demo.yaml"));
    expect(ch7("kubectl apply -f services-externalip-demo.yaml").stdout).toBe("service/demoapp-externalip-svc created\n");
    const ext = DEMO_LINE.exec(ch7("curl  192.168.2.6").stdout.trimEnd())!;
    expect([ext[2], ext[3], ext[1]]).toEqual([lastName, last.ip, snatIP("node02", last.node)]);
    sh("sleep 470");
    const extSvc = ch7("kubectl  get svc/demoapp-externalip-svc").stdout;
    expectAligned(extSvc);
    const extRow = cells(extSvc.split("\n")[1]);
    expect(cells(extSvc.split("\n")[0])).toEqual(["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"]);
    expect(extRow).toEqual(["demoapp-externalip-svc", "ClusterIP", expect.stringMatching(/^10\.\d+\.\d+\.\d+$/), "192.168.2.6", "80/TCP", "7m50s"]);

    // ---- Endpoints ----
    sh("kubectl scale deployment demoapp --replicas=3");
    sh("sleep 30");
    expect(sh("kubectl create service clusterip demoapp --tcp=80:80").stdout).toBe("service/demoapp created\n");
    const ips3 = [...podIPs(sh, "app=demoapp").values()].map((p) => p.ip).sort();
    const ep = ch7("kubectl  describe  ep/demoapp").stdout;
    const trigger = /^Annotations:  endpoints\.kubernetes\.io\/last-change-trigger-time: (\S+)$/m.exec(ep);
    expect(trigger?.[1]).toMatch(/^2021-12-0\dT\d\d:\d\d:\d\dZ$/);
    expect(ep).toBe(
      [
        "Name:         demoapp",
        "Namespace:    default",
        "Labels:       app=demoapp",
        `Annotations:  endpoints.kubernetes.io/last-change-trigger-time: ${trigger![1]}`,
        "Subsets:",
        `  Addresses:          ${ips3.join(",")}`,
        "  NotReadyAddresses:  <none>",
        "  Ports:",
        "    Name   Port  Protocol",
        "    ----   ----  --------",
        "    80-80  80    TCP",
        "",
        "Events:  <none>",
        "",
      ].join("\n"),
    );

    // ---- readiness probes and NotReadyAddresses ----
    expect(ch7("cat services-readiness-demo.yaml").stdout).toBe(fixture("services-readiness-demo.yaml"));
    expect(ch7("kubectl apply -f services-readiness-demo.yaml").stdout).toBe("service/services-readiness-demo created\ndeployment.apps/demoapp2 created\n");
    sh("sleep 368");
    const rd = ch7("kubectl  get  po -l app=demoapp-with-readiness").stdout;
    expectAligned(rd);
    const rdRows = rd.trimEnd().split("\n").map(cells);
    expect(rdRows[0]).toEqual(["NAME", "READY", "STATUS", "RESTARTS", "AGE"]);
    expect(rdRows).toHaveLength(3);
    for (const r of rdRows.slice(1)) {
      expect(r[0]).toMatch(POD2_NAME);
      expect(r.slice(1)).toEqual(["1/1", "Running", "0", "6m8s"]);
    }
    sh("sleep 38");
    const rsvc = ch7("kubectl  get   svc/services-readiness-demo -o wide").stdout;
    expectAligned(rsvc);
    const rsvcRow = cells(rsvc.split("\n")[1]);
    expect(cells(rsvc.split("\n")[0])).toEqual(["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE", "SELECTOR"]);
    expect(rsvcRow).toEqual(["services-readiness-demo", "ClusterIP", expect.stringMatching(/^10\./), "<none>", "80/TCP", "6m46s", "app=demoapp-with-readiness"]);
    const readyIP = rsvcRow[2];
    const p2 = podIPs(sh, "app=demoapp-with-readiness");
    const p2ips = [...p2.values()].map((p) => p.ip).sort();
    const rdesc = ch7("kubectl  describe   svc/services-readiness-demo").stdout;
    expect(/^Endpoints:         (.*)$/m.exec(rdesc)![1]).toBe(p2ips.map((ip) => `${ip}:80`).join(","));
    expect(/^IP:                (.*)$/m.exec(rdesc)![1]).toBe(readyIP);

    const [failName, failPod] = [...p2.entries()][0];
    const okIP = p2ips.find((ip) => ip !== failPod.ip)!;
    expect(ch7(`curl -XPOST  -d 'readyz=FAIL'  ${failPod.ip}/readyz`)).toEqual({ stdout: "", stderr: "", exitCode: 0 });
    sh("sleep 374");
    const afterFail = ch7("kubectl  get  po -l app=demoapp-with-readiness").stdout.trimEnd().split("\n").map(cells);
    for (const r of afterFail.slice(1)) expect(r.slice(1)).toEqual([r[0] === failName ? "0/1" : "1/1", "Running", "0", "13m"]);
    const epr = ch7("kubectl describe ep services-readiness-demo").stdout;
    const trig2 = /last-change-trigger-time: (\S+)$/m.exec(epr)![1];
    expect(epr).toBe(
      [
        "Name:         services-readiness-demo",
        "Namespace:    default",
        "Labels:       <none>",
        `Annotations:  endpoints.kubernetes.io/last-change-trigger-time: ${trig2}`,
        "Subsets:",
        `  Addresses:          ${okIP}`,
        `  NotReadyAddresses:  ${failPod.ip}`,
        "  Ports:",
        "    Name  Port  Protocol",
        "    ----  ----  --------",
        "    http  80    TCP",
        "",
        "Events:  <none>",
        "",
      ].join("\n"),
    );
    // While it is not ready, only the other pod answers.
    for (const l of ch7(`for i in $(seq 1 10); do curl -s ${readyIP}; done`).stdout.trimEnd().split("\n")) expect(DEMO_LINE.exec(l)![3]).toBe(okIP);

    expect(sh(`curl -XPOST  -d 'readyz=OK'  ${failPod.ip}/readyz `, "node02").exitCode).toBe(0);
    sh("sleep 20");
    const rr = ch7(`while true  ;do  curl ${readyIP}; done`).stdout.trimEnd().split("\n");
    const servers = new Set<string>();
    for (const l of rr) {
      const m = DEMO_LINE.exec(l)!;
      const pod = p2.get(m[2])!;
      expect(m[3]).toBe(pod.ip);
      expect(m[1]).toBe(snatIP("node01", pod.node));
      servers.add(m[3]);
    }
    expect([...servers].sort()).toEqual(p2ips);

    // ---- hand-written Endpoints for an external MySQL ----
    expect(ch7("cat mysql-endpoints-demo.yaml").stdout).toBe(fixture("mysql-endpoints-demo.yaml"));
    expect(ch7("kubectl apply -f mysql-endpoints-demo.yaml").stdout).toBe("endpoints/mysql-external created\nservice/mysql-external created\n");
    sh("sleep 300");
    const my = ch7("kubectl get svc/mysql-external").stdout;
    expectAligned(my);
    const myRow = cells(my.split("\n")[1]);
    expect(myRow).toEqual(["mysql-external", "ClusterIP", expect.stringMatching(/^10\./), "<none>", "3306/TCP", "5m"]);
    sh("sleep 23");
    expect(ch7("kubectl get ep/mysql-external").stdout).toBe(
      "NAME             ENDPOINTS                           AGE\n" + "mysql-external   192.168.2.8:3306,192.168.2.9:3306   5m23s\n",
    );
    expect(ch7(`mysql -h${myRow[2]} -p123  -e "status"|grep user`)).toEqual({ stdout: "Current user:\t\troot@192.168.2.2\n", stderr: "", exitCode: 0 });
  });
});
