// Name resolution (engine/network/dns.ts) as pods and nodes see it.
//
// A pod asks cluster DNS (10.96.0.10, kubelet's --cluster-dns) with `search <ns>.svc.cluster.local svc.cluster.local
// cluster.local` and `options ndots:5`: a name with fewer than five dots is tried with each search domain first and
// as given last; a trailing dot means "as given, no search". CoreDNS answers a Service's name with its ClusterIP, a
// headless Service's with its ready pod IPs (NXDOMAIN when there are none: coredns/coredns#1814, kubernetes/dns#234),
// an ExternalName Service's with a CNAME, and forwards other names upstream (the lab's upstream knows the node and
// outside host names). A pod's queries reach CoreDNS only through the kube-dns Service at 10.96.0.10 and its ready
// endpoints on 53/UDP; without them every query times out. Nodes resolve with /etc/hosts (node and outside hosts).
import { beforeAll, describe, expect, it } from "vitest";
import { Cluster } from "../engine/index.ts";
import type { DnsResult, Service } from "../engine/index.ts";

const DNS = "10.96.0.10";
const HOSTS = [
  { name: "mysql01", ip: "192.168.2.8", image: "mysql:5.7", ports: [3306], password: "123" },
  { name: "mysql02", ip: "192.168.2.9", image: "mysql:5.7", ports: [3306], password: "123" },
  { name: "registry.lab.example", ip: "192.168.2.20", image: "example/registry:2", ports: [5000] },
  { name: "db.prod.eu.corp.example.com", ip: "192.168.2.21", image: "mysql:5.7", ports: [3306] },
];

function lab(): Cluster {
  const c = Cluster.create({ seed: 11, topology: { externalHosts: HOSTS } });
  const run = (line: string) => expect(c.exec(line).exitCode, line).toBe(0);
  run("kubectl create deployment web --image=ikubernetes/demoapp:v1.0 --replicas=2");
  run("kubectl expose deployment web --port=80");
  run("kubectl create namespace shop");
  run("kubectl create deployment cart -n shop --image=ikubernetes/demoapp:v1.0");
  run("kubectl expose deployment cart -n shop --port=80");
  run("kubectl create service clusterip mysql01 --tcp=3306:3306");
  run("kubectl create service externalname db --external-name=mysql01");
  run("kubectl create service externalname www --external-name=www.example.com");
  run("kubectl create service externalname shopcart --external-name=cart.shop.svc.cluster.local");
  run("kubectl create service externalname twice --external-name=db.default.svc.cluster.local");
  run("kubectl run client --image=ikubernetes/admin-box:v1.2");
  const headless = (name: string, extra: string[]) =>
    ["---", "apiVersion: v1", "kind: Service", "metadata:", `  name: ${name}`, "spec:", "  clusterIP: None", ...extra, "  selector:", `    app: ${name}`, "  ports:", "  - port: 80"].join("\n");
  // "slow" pods are not ready for ten minutes: a readiness worker starts as Failure and probes only after the delay
  const applied = c.apply(
    [
      headless("web-headless", []).replace("app: web-headless", "app: web"),
      headless("slow", []),
      // no selector and no Endpoints written by hand: the Service exists, no Endpoints object does
      ["---", "apiVersion: v1", "kind: Service", "metadata:", "  name: lonely", "spec:", "  clusterIP: None", "  ports:", "  - port: 80"].join("\n"),
      headless("slow-published", ["  publishNotReadyAddresses: true"]).replace("app: slow-published", "app: slow"),
      ["---", "apiVersion: apps/v1", "kind: Deployment", "metadata:", "  name: slow", "spec:", "  replicas: 2", "  selector:", "    matchLabels:", "      app: slow", "  template:", "    metadata:", "      labels:", "        app: slow", "    spec:", "      containers:", "      - name: demoapp", "        image: ikubernetes/demoapp:v1.0", "        readinessProbe:", "          httpGet:", "            path: /readyz", "            port: 80", "          initialDelaySeconds: 600"].join("\n"),
      "",
    ].join("\n"),
  );
  expect(applied.map((a) => a.error)).toEqual(applied.map(() => undefined));
  c.advance(60);
  return c;
}

const svcIP = (c: Cluster, name: string, ns = "default") => (c.get("Service", name, ns) as Service).spec.clusterIP!;
const podIPs = (c: Cluster, app: string) =>
  c
    .list("Pod", { namespace: "default", selector: `app=${app}` })
    .map((p) => (p as { status: { podIP: string } }).status.podIP)
    .sort();

describe("what a pod in default resolves (cluster DNS, search list, ndots:5)", () => {
  let c: Cluster;
  beforeAll(() => {
    c = lab();
  });
  const answer = (name: string, addresses: string[], cname?: string): Omit<DnsResult, "found"> & { found: boolean } => ({ name, found: true, addresses, server: DNS, ...(cname ? { cname } : {}) });
  const nx = (name: string): DnsResult => ({ name, found: false, addresses: [], server: DNS });
  type Row = { what: string; ask: string; want: (c: Cluster) => DnsResult };
  const rows: Row[] = [
    { what: "a Service of the pod's namespace by its short name", ask: "web", want: (c) => answer("web.default.svc.cluster.local", [svcIP(c, "web")]) },
    { what: "<service>.<namespace>, through the svc.cluster.local search domain", ask: "cart.shop", want: (c) => answer("cart.shop.svc.cluster.local", [svcIP(c, "cart", "shop")]) },
    { what: "<service>.<namespace>.svc, through the cluster.local search domain", ask: "cart.shop.svc", want: (c) => answer("cart.shop.svc.cluster.local", [svcIP(c, "cart", "shop")]) },
    { what: "the full name (four dots: searched first, then as given)", ask: "web.default.svc.cluster.local", want: (c) => answer("web.default.svc.cluster.local", [svcIP(c, "web")]) },
    { what: "the full name with the root's trailing dot", ask: "web.default.svc.cluster.local.", want: (c) => answer("web.default.svc.cluster.local", [svcIP(c, "web")]) },
    { what: "a short name with a trailing dot is not searched", ask: "web.", want: () => nx("web.") },
    { what: "another namespace's Service by its short name: not found", ask: "cart", want: () => nx("cart") },
    { what: "a name that is no Service", ask: "nosuch", want: () => nx("nosuch") },
    { what: "a Service in a namespace that does not exist", ask: "web.nowhere", want: () => nx("web.nowhere") },
    // three labels before .svc would be an endpoint of a Service (web.default.bogus: endpoint "web" of Service
    // "default" in namespace "bogus"), not Service web of namespace default
    { what: "three labels before .svc are not <service>.<namespace>", ask: "web.default.bogus.svc.cluster.local", want: () => nx("web.default.bogus.svc.cluster.local") },
    // ndots:5 — the search list comes before the name as given, so a Service called like an outside host wins
    { what: "a Service named like an outside host wins over it (search list first)", ask: "mysql01", want: (c) => answer("mysql01.default.svc.cluster.local", [svcIP(c, "mysql01")]) },
    { what: "an outside host, forwarded upstream", ask: "mysql02", want: () => answer("mysql02", ["192.168.2.9"]) },
    { what: "an outside host with dots in its name", ask: "registry.lab.example", want: () => answer("registry.lab.example", ["192.168.2.20"]) },
    { what: "an outside host's full name with the trailing dot", ask: "registry.lab.example.", want: () => answer("registry.lab.example", ["192.168.2.20"]) },
    { what: "an outside name with five dots: asked as given first (ndots:5)", ask: "db.prod.eu.corp.example.com", want: () => answer("db.prod.eu.corp.example.com", ["192.168.2.21"]) },
    { what: "a node, forwarded upstream", ask: "node02", want: () => answer("node02", ["192.168.2.3"]) },
    { what: "localhost", ask: "localhost", want: () => answer("localhost", ["127.0.0.1"]) },
    { what: "ExternalName: a CNAME to the outside name, and its address", ask: "db", want: () => answer("db.default.svc.cluster.local", ["192.168.2.8"], "mysql01") },
    { what: "ExternalName to a name nobody resolves: the CNAME alone", ask: "www", want: () => answer("www.default.svc.cluster.local", [], "www.example.com") },
    { what: "ExternalName to another Service's full name: the CNAME and that Service's ClusterIP (CoreDNS answers both)", ask: "shopcart", want: (c) => answer("shopcart.default.svc.cluster.local", [svcIP(c, "cart", "shop")], "cart.shop.svc.cluster.local") },
    { what: "ExternalName to an ExternalName: the CNAME alone (kubelab follows one hop)", ask: "twice", want: () => answer("twice.default.svc.cluster.local", [], "db.default.svc.cluster.local") },
    { what: "headless: the ready pods' IPs, in order", ask: "web-headless", want: (c) => answer("web-headless.default.svc.cluster.local", podIPs(c, "web")) },
    { what: "headless without a ready pod: NXDOMAIN", ask: "slow", want: () => nx("slow") },
    { what: "headless without a selector or an Endpoints object: NXDOMAIN", ask: "lonely", want: () => nx("lonely") },
    { what: "headless publishing not-ready addresses: the pods that are not ready", ask: "slow-published", want: (c) => answer("slow-published.default.svc.cluster.local", podIPs(c, "slow")) },
    // an address needs no server: it is its own answer (what getaddrinfo does with a numeric host)
    { what: "an IPv4 address", ask: "10.96.0.1", want: () => ({ name: "10.96.0.1", found: true, addresses: ["10.96.0.1"], server: "" }) },
  ];
  it.each(rows)("$what: $ask", ({ ask, want }) => {
    expect(c.dnsLookup(ask, { fromPod: "client" })).toEqual(want(c));
  });
  it("the headless answers are two pods each, and the pods are running", () => {
    expect(podIPs(c, "web")).toHaveLength(2);
    expect(podIPs(c, "slow")).toHaveLength(2);
    expect(() => c.get("Endpoints", "lonely")).toThrow(/not found/);
  });
  it("nslookup prints the answer as the pod's resolver got it", () => {
    const sh = (line: string) => c.exec(line, { host: "pod:default/client" });
    expect(sh("nslookup web.default")).toEqual({ stdout: `Server:\t\t${DNS}\nAddress:\t${DNS}#53\n\nName:\tweb.default.svc.cluster.local\nAddress: ${svcIP(c, "web")}\n\n`, stderr: "", exitCode: 0 });
    expect(sh("nslookup db").stdout).toBe(`Server:\t\t${DNS}\nAddress:\t${DNS}#53\n\ndb.default.svc.cluster.local\tcanonical name = mysql01.\nName:\tmysql01\nAddress: 192.168.2.8\n\n`);
    expect(sh("nslookup nosuch")).toEqual({ stdout: `Server:\t\t${DNS}\nAddress:\t${DNS}#53\n\n** server can't find nosuch: NXDOMAIN\n\n`, stderr: "", exitCode: 1 });
    expect(sh("curl -s web.shop")).toEqual({ stdout: "", stderr: "", exitCode: 6 });
    expect(sh("curl -s cart.shop")).toMatchObject({ stdout: expect.stringMatching(/^iKubernetes demoapp v1\.0 !! /), exitCode: 0 });
    // through an ExternalName that names a Service of the cluster: its ClusterIP answers, one of cart's pods serves
    expect(sh("nslookup shopcart").stdout).toBe(`Server:\t\t${DNS}\nAddress:\t${DNS}#53\n\nshopcart.default.svc.cluster.local\tcanonical name = cart.shop.svc.cluster.local.\nName:\tcart.shop.svc.cluster.local\nAddress: ${svcIP(c, "cart", "shop")}\n\n`);
    expect(sh("curl -s shopcart")).toMatchObject({ stdout: expect.stringMatching(/^iKubernetes demoapp v1\.0 !! ClientIP: [\d.]+, ServerName: cart-/), exitCode: 0 });
  });
});

describe("what a node resolves (/etc/hosts: nodes and outside hosts, no cluster DNS)", () => {
  let c: Cluster;
  beforeAll(() => {
    c = Cluster.create({ seed: 11, topology: { externalHosts: HOSTS } });
    c.exec("kubectl create deployment web --image=ikubernetes/demoapp:v1.0 && kubectl expose deployment web --port=80");
  });
  const hosts = (name: string, ip?: string): DnsResult => ({ name, found: !!ip, addresses: ip ? [ip] : [], server: "/etc/hosts" });
  const rows: { ask: string; want: DnsResult }[] = [
    { ask: "node02", want: hosts("node02", "192.168.2.3") },
    { ask: "node02.", want: hosts("node02.", "192.168.2.3") },
    { ask: "master01", want: hosts("master01", "192.168.2.1") },
    { ask: "mysql01", want: hosts("mysql01", "192.168.2.8") },
    { ask: "registry.lab.example.", want: hosts("registry.lab.example.", "192.168.2.20") },
    { ask: "localhost", want: hosts("localhost", "127.0.0.1") },
    { ask: "web", want: hosts("web") },
    { ask: "web.default.svc.cluster.local", want: hosts("web.default.svc.cluster.local") },
    { ask: "node0.2", want: hosts("node0.2") },
    { ask: "192.168.2.3", want: { name: "192.168.2.3", found: true, addresses: ["192.168.2.3"], server: "" } },
  ];
  it.each(rows)("$ask", ({ ask, want }) => {
    expect(c.dnsLookup(ask)).toEqual(want);
  });
  it("host and dig on a node", () => {
    expect(c.exec("host localhost", { host: "node01" }).stdout).toBe("localhost has address 127.0.0.1\n");
    expect(c.exec("dig +short node02", { host: "node01" }).stdout).toBe("192.168.2.3\n");
  });
});

// Reverse lookups (`nslookup <address>`, `host <address>`): from a pod, CoreDNS names a Service's ClusterIP
// `<service>.<namespace>.svc.cluster.local`, an endpoint address `<address with dashes>.<service>.<namespace>.svc…`
// once per Service that lists it, and passes other addresses upstream (nodes and outside hosts); a node asks upstream.
describe("reverse lookups (PTR)", () => {
  let c: Cluster;
  beforeAll(() => {
    c = lab();
  });
  const pod = (line: string) => c.exec(line, { host: "pod:default/client" });
  const arpa = (ip: string) => `${ip.split(".").reverse().join(".")}.in-addr.arpa`;
  const head = `Server:\t\t${DNS}\nAddress:\t${DNS}#53\n\n`;
  it("a Service's ClusterIP: its name", () => {
    const ip = svcIP(c, "web");
    expect(pod(`nslookup ${ip}`)).toEqual({ stdout: `${head}${arpa(ip)}\tname = web.default.svc.cluster.local.\n\n`, stderr: "", exitCode: 0 });
    expect(pod("nslookup 10.96.0.1").stdout).toBe(`${head}1.0.96.10.in-addr.arpa\tname = kubernetes.default.svc.cluster.local.\n\n`);
    expect(pod(`host ${svcIP(c, "cart", "shop")}`).stdout).toBe(`${arpa(svcIP(c, "cart", "shop"))} domain name pointer cart.shop.svc.cluster.local.\n`);
  });
  it("a pod behind two Services: one name per Service, the address with dashes", () => {
    const ip = podIPs(c, "web")[0];
    const dashed = ip.replaceAll(".", "-");
    expect(pod(`nslookup ${ip}`).stdout).toBe(`${head}${arpa(ip)}\tname = ${dashed}.web.default.svc.cluster.local.\n${arpa(ip)}\tname = ${dashed}.web-headless.default.svc.cluster.local.\n\n`);
  });
  it("an address the cluster does not know: upstream's names, or NXDOMAIN", () => {
    expect(pod("nslookup 192.168.2.8").stdout).toBe(`${head}8.2.168.192.in-addr.arpa\tname = mysql01.\n\n`);
    expect(pod("nslookup 10.9.9.9")).toEqual({ stdout: `${head}** server can't find 9.9.9.10.in-addr.arpa: NXDOMAIN\n\n`, stderr: "", exitCode: 1 });
    expect(pod("host 10.9.9.9")).toEqual({ stdout: "Host 9.9.9.10.in-addr.arpa. not found: 3(NXDOMAIN)\n", stderr: "", exitCode: 1 });
  });
  it("a node asks upstream: nodes and outside hosts only", () => {
    expect(c.exec("host 192.168.2.3", { host: "node01" }).stdout).toBe("3.2.168.192.in-addr.arpa domain name pointer node02.\n");
    expect(c.exec(`host ${svcIP(c, "web")}`, { host: "node01" }).exitCode).toBe(1);
  });
});

// Every way a pod's queries can stop reaching CoreDNS: each row breaks one thing on a fresh lab and asks "web" from
// a pod; a node's /etc/hosts is unaffected.
describe("cluster DNS unreachable: a pod's lookups time out", () => {
  const kubeDns = (c: Cluster) => c.get("Service", "kube-dns", "kube-system") as Service;
  const rows: { what: string; breakIt: (c: Cluster) => void }[] = [
    { what: "coredns scaled to zero (no endpoints)", breakIt: (c) => c.scale("Deployment", "coredns", "kube-system", 0) },
    {
      // (scaled to zero and back, so no pod of the old template is left: a rolling update would keep one serving)
      what: "coredns never ready (a readiness probe on a port it does not listen on): only notReadyAddresses",
      breakIt: (c) => {
        c.scale("Deployment", "coredns", "kube-system", 0);
        const d = c.get("Deployment", "coredns", "kube-system") as unknown as { spec: { template: { spec: { containers: Record<string, unknown>[] } } } };
        d.spec.template.spec.containers[0].readinessProbe = { tcpSocket: { port: 9999 }, periodSeconds: 10 };
        c.replace(d as unknown as Record<string, unknown>);
        c.scale("Deployment", "coredns", "kube-system", 2);
        c.advance(120);
        const ep = c.get("Endpoints", "kube-dns", "kube-system") as { subsets: { addresses?: unknown[]; notReadyAddresses?: unknown[] }[] };
        expect(ep.subsets.map((s) => [s.addresses?.length ?? 0, s.notReadyAddresses?.length ?? 0])).toEqual([[0, 2]]);
      },
    },
    { what: "the kube-dns Service deleted", breakIt: (c) => c.delete("Service", "kube-dns", "kube-system") },
    {
      what: "kube-dns recreated at another ClusterIP (pods still ask 10.96.0.10)",
      breakIt: (c) => {
        const s = kubeDns(c);
        c.delete("Service", "kube-dns", "kube-system");
        expect(c.apply([{ apiVersion: "v1", kind: "Service", metadata: { name: "kube-dns", namespace: "kube-system" }, spec: { selector: s.spec.selector, ports: s.spec.ports, clusterIP: "10.96.0.53" } }])[0].error).toBeUndefined();
      },
    },
    {
      what: "kube-dns recreated without a selector: no Endpoints at all",
      breakIt: (c) => {
        const s = kubeDns(c);
        c.delete("Service", "kube-dns", "kube-system");
        expect(c.apply([{ apiVersion: "v1", kind: "Service", metadata: { name: "kube-dns", namespace: "kube-system" }, spec: { ports: s.spec.ports, clusterIP: DNS } }])[0].error).toBeUndefined();
        expect(() => c.get("Endpoints", "kube-dns", "kube-system")).toThrow();
      },
    },
    { what: "kube-dns forwarding TCP only (no 53/UDP port)", breakIt: (c) => setPorts(c, [{ name: "dns-tcp", port: 53, targetPort: 53, protocol: "TCP" }, { name: "metrics", port: 9153, targetPort: 9153, protocol: "TCP" }]) },
    { what: "kube-dns's UDP port on 5353 instead of 53", breakIt: (c) => setPorts(c, [{ name: "dns", port: 5353, targetPort: 5353, protocol: "UDP" }, { name: "metrics", port: 9153, targetPort: 9153, protocol: "TCP" }]) },
  ];
  function setPorts(c: Cluster, ports: Record<string, unknown>[]) {
    const s = kubeDns(c) as unknown as { spec: { ports: unknown } };
    s.spec.ports = ports;
    c.replace(s as unknown as Record<string, unknown>);
    c.advance(5);
  }
  function fresh(): Cluster {
    const c = Cluster.create({ seed: 11 });
    c.exec("kubectl create deployment web --image=ikubernetes/demoapp:v1.0 && kubectl expose deployment web --port=80 && kubectl run client --image=ikubernetes/admin-box:v1.2");
    c.advance(30);
    return c;
  }
  it("the lab's DNS answers before anything is broken", () => {
    const c = fresh();
    expect(c.dnsLookup("web", { fromPod: "client" })).toMatchObject({ found: true, server: DNS });
  });
  it.each(rows)("$what", ({ breakIt }) => {
    const c = fresh();
    breakIt(c);
    expect(c.dnsLookup("web", { fromPod: "client" })).toEqual({ name: "web", found: false, addresses: [], server: DNS, timeout: true });
    expect(c.exec("nslookup web", { host: "pod:default/client" })).toEqual({ stdout: ";; connection timed out; no servers could be reached\n\n", stderr: "", exitCode: 1 });
    expect(c.dnsLookup("node02")).toEqual({ name: "node02", found: true, addresses: ["192.168.2.3"], server: "/etc/hosts" });
  });
});

describe("a DNS server named on the command line", () => {
  let c: Cluster;
  beforeAll(() => {
    c = lab();
  });
  const web = () => (c.get("Service", "web", "default") as Service).spec.clusterIP!;

  it("a node reaches cluster DNS when it names it (kube-proxy forwards 10.96.0.10), without a pod's search domains", () => {
    expect(c.exec(`nslookup web.default.svc.cluster.local ${DNS}`, { host: "node01" }).stdout).toBe(
      `Server:\t\t${DNS}\nAddress:\t${DNS}#53\n\nName:\tweb.default.svc.cluster.local\nAddress: ${web()}\n\n`,
    );
    expect(c.exec(`nslookup web ${DNS}`, { host: "node01" })).toMatchObject({ stdout: `Server:\t\t${DNS}\nAddress:\t${DNS}#53\n\n** server can't find web: NXDOMAIN\n\n`, exitCode: 1 });
    expect(c.exec(`dig @${DNS} web.default.svc.cluster.local +short`, { host: "node01" }).stdout).toBe(`${web()}\n`);
    expect(c.exec(`host web.default.svc.cluster.local ${DNS}`, { host: "node01" }).stdout).toBe(
      `Using domain server:\nName: ${DNS}\nAddress: ${DNS}#53\nAliases: \n\nweb.default.svc.cluster.local has address ${web()}\n`,
    );
    // its own resolver does not know cluster names; a coredns pod's address is cluster DNS too
    expect(c.exec("nslookup web.default.svc.cluster.local", { host: "node01" }).exitCode).toBe(1);
    const coredns = c.exec("kubectl get pods -n kube-system -l k8s-app=kube-dns -o jsonpath={.items[0].status.podIP}").stdout;
    expect(c.exec(`dig @${coredns} web.default.svc.cluster.local +short`, { host: "node01" }).stdout).toBe(`${web()}\n`);
    expect(c.exec(`dig @${DNS} -x ${web()} +short`, { host: "node01" }).exitCode).toBe(0);
  });

  it("a server nobody runs never answers; with coredns scaled to zero cluster DNS times out from a node too", () => {
    expect(c.exec("nslookup web.default.svc.cluster.local 10.9.9.9", { host: "node01" })).toMatchObject({ stdout: ";; connection timed out; no servers could be reached\n\n", exitCode: 1 });
    const d = lab();
    expect(d.exec("kubectl scale deploy coredns -n kube-system --replicas=0").exitCode).toBe(0);
    expect(d.exec(`nslookup web.default.svc.cluster.local ${DNS}`, { host: "node01" }).stdout).toBe(";; connection timed out; no servers could be reached\n\n");
  });
});
