// Which Service port a nodePort belongs to (a Service may have several, and upstream lets one nodePort number serve
// a TCP and a UDP port of the same Service, as DNS does), a hostNetwork pod sending as its node does, names that
// resolve through an ExternalName CNAME, and LoadBalancer ingress IPs announced by the workers (a MetalLB-like L2
// announcer spreads Services over nodes; the engine keeps masters out of the pool).
import { describe, expect, it } from "vitest";
import { Cluster } from "../engine/index.ts";

const demo = { name: "demoapp", image: "ikubernetes/demoapp:v1.0" };

function setup() {
  const c = Cluster.create({ seed: 12, topology: { externalHosts: [{ name: "www.ilinux.io", ip: "192.168.2.10", image: "nginx", ports: [80] }] } });
  c.apply([
    { apiVersion: "v1", kind: "Pod", metadata: { name: "web", labels: { app: "web" } }, spec: { nodeName: "node01", containers: [demo] } },
    { apiVersion: "v1", kind: "Pod", metadata: { name: "hostpod" }, spec: { nodeName: "node02", hostNetwork: true, containers: [{ name: "c", image: "nginx" }] } },
    { apiVersion: "v1", kind: "Pod", metadata: { name: "client" }, spec: { nodeName: "node02", containers: [demo] } },
    { apiVersion: "v1", kind: "Service", metadata: { name: "two" }, spec: { type: "NodePort", selector: { app: "web" }, ports: [{ name: "a", port: 80, nodePort: 30200 }, { name: "b", port: 81, targetPort: 9000, nodePort: 30201 }] } },
    { apiVersion: "v1", kind: "Service", metadata: { name: "dns" }, spec: { type: "NodePort", selector: { app: "web" }, ports: [{ name: "u", protocol: "UDP", port: 53, nodePort: 30053 }, { name: "t", protocol: "TCP", port: 53, targetPort: 80, nodePort: 30053 }] } },
    { apiVersion: "v1", kind: "Service", metadata: { name: "www" }, spec: { type: "ExternalName", externalName: "www.ilinux.io" } },
    { apiVersion: "v1", kind: "Service", metadata: { name: "gone" }, spec: { type: "ExternalName", externalName: "nosuch.example.com" } },
  ]);
  c.advance(30);
  return c;
}

describe("the Service port behind a nodePort", () => {
  const c = setup();
  const web = (c.get("Pod", "web", "default") as { status: { podIP: string } }).status.podIP;

  it("the second port's nodePort goes to the second port's targetPort", () => {
    const r = c.request({ from: { kind: "external" }, host: "192.168.2.2", port: 30201 });
    expect(r.trace.map((h) => h.rule).slice(0, 3)).toEqual(["KUBE-NODEPORTS", "KUBE-MARK-MASQ", "KUBE-SVC-W64RD6N4ZLJAI7EF"]); // default/two:b tcp
    expect(r.trace.find((h) => h.rule.startsWith("KUBE-SEP-"))?.detail).toBe(`DNAT to ${web}:9000`);
    expect(r.error?.code).toBe("refused"); // demoapp does not listen on 9000
  });

  it("one nodePort number for a UDP and a TCP port: a TCP connection takes the TCP port", () => {
    const r = c.request({ from: { kind: "external" }, host: "192.168.2.2", port: 30053 });
    expect(r.ok, r.error?.message).toBe(true);
    expect(r.trace[0]).toEqual({ at: "node01", rule: "KUBE-NODEPORTS", detail: "192.168.2.2:30053/TCP is nodePort 30053 of service default/dns" });
    expect(r.trace[2].rule).toBe("KUBE-SVC-I2CVQOOCZMVDL3SG"); // default/dns:t tcp
    expect(r.servedBy).toMatchObject({ name: "web", port: 80 });
  });

  it("…and a UDP datagram the UDP port", () => {
    const r = c.request({ from: { kind: "external" }, host: "192.168.2.2", port: 30053, protocol: "UDP" });
    expect(r.trace[2].rule).toBe("KUBE-SVC-CXYQUKTH3LV4KNB6"); // default/dns:u udp
    expect(r.trace.find((h) => h.rule.startsWith("KUBE-SEP-"))?.detail).toBe(`DNAT to ${web}:53`);
  });
});

describe("a hostNetwork pod sends as its node", () => {
  const c = setup();
  const ip = (c.get("Service", "two", "default") as { spec: { clusterIP: string } }).spec.clusterIP;

  it("to a ClusterIP: off the pod network, so marked and masqueraded (flannel.1 towards node01's pod)", () => {
    const r = c.request({ from: { kind: "pod", pod: "hostpod" }, host: ip });
    expect(r.trace[1]).toEqual({ at: "node02", rule: "KUBE-MARK-MASQ", detail: "! -s <clusterCIDR>: off-pod-network traffic to a ClusterIP is SNATed: will be SNATed" });
    expect(r.clientIP).toBe("10.244.4.0");
  });

  it("to 127.0.0.1: the node's loopback, where nodePorts answer", () => {
    const r = c.request({ from: { kind: "pod", pod: "hostpod" }, host: "127.0.0.1", port: 30200 });
    expect(r.ok, r.error?.message).toBe(true);
    expect(r.trace[0]).toEqual({ at: "node02", rule: "KUBE-NODEPORTS", detail: "127.0.0.1:30200/TCP is nodePort 30200 of service default/two" });
  });
});

describe("names through an ExternalName CNAME", () => {
  const c = setup();

  it("resolves to the outside host's address, and the trace says so", () => {
    const r = c.request({ from: { kind: "pod", pod: "client" }, host: "www" });
    expect(r.trace[0]).toEqual({ at: "pod default/client", rule: "DNS", detail: "www.default.svc.cluster.local CNAME www.ilinux.io -> 192.168.2.10 (10.96.0.10)" });
    expect(r.servedBy).toEqual({ kind: "external", name: "www.ilinux.io", ip: "192.168.2.10", port: 80 });
    expect(r.clientIP).toBe("192.168.2.3");
  });

  it("a CNAME to a name nobody knows: curl reports the CNAME target", () => {
    const r = c.request({ from: { kind: "pod", pod: "client" }, host: "gone" });
    expect(r.error).toEqual({ code: "resolve", message: "Could not resolve host: nosuch.example.com" });
    expect(r.trace).toEqual([{ at: "pod default/client", rule: "DNS", detail: "gone: no address (CNAME nosuch.example.com) from 10.96.0.10" }]);
  });
});

describe("LoadBalancer announcers", () => {
  it("spread ingress IPs over the workers, never the master", () => {
    const c = Cluster.create({ seed: 13, topology: { loadBalancerPool: ["192.168.2.240-192.168.2.250"] } });
    c.apply([{ apiVersion: "v1", kind: "Pod", metadata: { name: "web", labels: { app: "web" } }, spec: { nodeName: "node01", containers: [demo] } }]);
    const names = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel"];
    c.apply(names.map((n) => ({ apiVersion: "v1", kind: "Service", metadata: { name: n }, spec: { type: "LoadBalancer", selector: { app: "web" }, ports: [{ port: 80 }] } })));
    c.advance(30);
    const announcers = names.map((n) => {
      const ingress = (c.get("Service", n, "default") as { status: { loadBalancer: { ingress: { ip: string }[] } } }).status.loadBalancer.ingress[0].ip;
      return c.request({ from: { kind: "external" }, host: ingress }).trace[0].at;
    });
    expect([...new Set(announcers)].sort()).toEqual(["node01", "node02"]);
  });
});
