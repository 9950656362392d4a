// The addresses each node holds (engine/network/interfaces.ts): lo, eth0 (the InternalIP plus any address bound with
// `ip addr add` or given in the topology), flannel.1 (.0 of the node's podCIDR) and cni0 (.1); and which node an
// address on eth0 belongs to — what decides whether a packet for a Service's externalIP arrives anywhere (semantics.md
// §2: Kubernetes never assigns or announces externalIPs; the course binds 192.168.2.6 on node02 by hand).
import { describe, expect, it } from "vitest";
import { Cluster } from "../engine/index.ts";

const lo = { index: 1, dev: "lo", mtu: 65536, addrs: [{ ip: "127.0.0.1", prefix: 8, secondary: false }] };
const node = (ip: string, pod: string, extra: { ip: string; prefix: number; secondary: true }[] = []) => [
  lo,
  { index: 2, dev: "eth0", mtu: 1500, addrs: [{ ip, prefix: 21, brd: "192.168.7.255", secondary: false }, ...extra] },
  { index: 4, dev: "flannel.1", mtu: 1450, addrs: [{ ip: `${pod}.0`, prefix: 32, secondary: false }] },
  { index: 5, dev: "cni0", mtu: 1450, addrs: [{ ip: `${pod}.1`, prefix: 24, brd: `${pod}.255`, secondary: false }] },
];

describe("a node's interfaces and addresses", () => {
  it.each([
    ["master01", node("192.168.2.1", "10.244.0")],
    ["node01", node("192.168.2.2", "10.244.5")],
    ["node02", node("192.168.2.3", "10.244.4")],
    ["node99", []],
  ] as const)("%s", (name, want) => {
    expect(Cluster.create({ seed: 1 }).hostInterfaces(name)).toEqual(want);
  });
  it("addresses from the topology (with or without a prefix) and from `ip addr add` are secondary addresses on eth0", () => {
    const c = Cluster.create({
      seed: 1,
      topology: {
        nodes: [
          { name: "master01", ip: "192.168.2.1", podCIDR: "10.244.0.0/24", roles: ["master"] },
          { name: "node01", ip: "192.168.2.2", podCIDR: "10.244.5.0/24", extraIPs: ["192.168.2.30", "192.168.2.31/21"] },
        ],
      },
    });
    expect(c.exec("ip addr add 192.168.2.32/24 dev eth0", { host: "node01" }).exitCode).toBe(0);
    expect(c.hostInterfaces("node01")).toEqual(
      node("192.168.2.2", "10.244.5", [
        { ip: "192.168.2.30", prefix: 32, secondary: true },
        { ip: "192.168.2.31", prefix: 21, secondary: true },
        { ip: "192.168.2.32", prefix: 24, secondary: true },
      ]),
    );
    expect(c.hostInterfaces("master01")).toEqual(node("192.168.2.1", "10.244.0"));
  });
  it("the course's `ip -4 a s eth0` on node02 after binding 192.168.2.6/21", () => {
    const c = Cluster.create({ seed: 1 });
    expect(c.exec("ip addr add 192.168.2.6/21 dev eth0", { host: "node02" })).toEqual({ stdout: "", stderr: "", exitCode: 0 });
    expect(c.exec("ip  -4 a s eth0", { host: "node02" }).stdout).toBe(
      "2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc pfifo_fast state UP group default qlen 1000\n" +
        "    inet 192.168.2.3/21 brd 192.168.7.255 scope global noprefixroute eth0\n" +
        "       valid_lft forever preferred_lft forever\n" +
        "    inet 192.168.2.6/21 scope global secondary eth0\n" +
        "       valid_lft forever preferred_lft forever\n",
    );
    // a /32 is in no primary's subnet: it is a primary address of its own
    c.exec("ip addr add 192.168.2.7/32 dev eth0", { host: "node02" });
    expect(c.exec("ip -4 a s eth0", { host: "node02" }).stdout).toContain("    inet 192.168.2.7/32 scope global eth0\n");
    expect(c.exec("ip -4 a s lo", { host: "node02" }).stdout).toBe(
      "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000\n    inet 127.0.0.1/8 scope host lo\n       valid_lft forever preferred_lft forever\n",
    );
  });
});

// The course's externalIP Service (services-externalip-demo.yaml) and one demoapp pod; curl from node01 to the
// externalIP answers only while some node holds that address on eth0.
describe("an externalIP reaches the Service only on the node that holds it", () => {
  const SVC = `kind: Service
apiVersion: v1
metadata:
  name: demoapp-externalip-svc
spec:
  type: ClusterIP
  selector:
    app: demoapp
  ports:
  - name: http
    protocol: TCP
    port: 80
    targetPort: 80
  externalIPs:
  - 192.168.2.6
  - 192.168.2.7
`;
  function lab(topologyExtra?: string[]): Cluster {
    const c = Cluster.create({
      seed: 3,
      topology: topologyExtra
        ? {
            nodes: [
              { name: "master01", ip: "192.168.2.1", podCIDR: "10.244.0.0/24", roles: ["master"] },
              { name: "node01", ip: "192.168.2.2", podCIDR: "10.244.5.0/24" },
              { name: "node02", ip: "192.168.2.3", podCIDR: "10.244.4.0/24", extraIPs: topologyExtra },
            ],
          }
        : undefined,
    });
    expect(c.exec("kubectl create deployment demoapp --image=ikubernetes/demoapp:v1.0").exitCode).toBe(0);
    expect(c.apply(SVC)[0].error).toBeUndefined();
    c.advance(30);
    return c;
  }
  const curl = (c: Cluster, ip: string) => c.exec(`curl -sS -m 2 ${ip}`, { host: "node01" });
  // (-m 2: curl gives up at its own timeout, exit 28)
  const timedOut = (_ip: string) => ({ stdout: "", stderr: `curl: (28) Connection timed out after 2001 milliseconds\n`, exitCode: 28 });
  it("nobody holds it: the packet goes nowhere", () => {
    const c = lab();
    expect(curl(c, "192.168.2.6")).toEqual(timedOut("192.168.2.6"));
  });
  it("bound with `ip addr add` on node02: answers; the other externalIP, not bound, still times out; unbound again, times out", () => {
    const c = lab();
    c.exec("ip addr add 192.168.2.6/21 dev eth0", { host: "node02" });
    expect(curl(c, "192.168.2.6")).toMatchObject({ stdout: expect.stringMatching(/^iKubernetes demoapp v1\.0 !! ClientIP: 10\.244\.4\.[01], ServerName: demoapp-/), exitCode: 0 });
    expect(curl(c, "192.168.2.7")).toEqual(timedOut("192.168.2.7"));
    c.exec("ip addr del 192.168.2.6/21 dev eth0", { host: "node02" });
    expect(curl(c, "192.168.2.6")).toEqual(timedOut("192.168.2.6"));
  });
  it.each([["192.168.2.6/21"], ["192.168.2.6"]])("held from the start (topology extraIPs %s): answers", (extra) => {
    const c = lab([extra]);
    expect(curl(c, "192.168.2.6")).toMatchObject({ stdout: expect.stringMatching(/^iKubernetes demoapp v1\.0 !! ClientIP: 10\.244\.4\.[01], /), exitCode: 0 });
    expect(curl(c, "192.168.2.7")).toEqual(timedOut("192.168.2.7"));
  });
});
