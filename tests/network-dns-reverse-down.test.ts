// A reverse lookup from a pod needs cluster DNS like any other: with coredns scaled to zero, `nslookup <address>` times
// out as a forward lookup does, and a node (which asks its own upstream, not CoreDNS) still gets its answer.
import { describe, expect, it } from "vitest";
import { Cluster } from "../engine/index.ts";

describe("reverse lookups when cluster DNS is down", () => {
  const c = Cluster.create({ seed: 4 });
  c.exec("kubectl run client --image=ikubernetes/admin-box:v1.2");
  c.advance(30);
  it("a pod's PTR query times out; a node's still answers", () => {
    expect(c.exec("nslookup 10.96.0.1", { host: "pod:default/client" }).exitCode).toBe(0);
    expect(c.exec("kubectl scale deployment coredns -n kube-system --replicas=0").exitCode).toBe(0);
    c.advance(60);
    expect(c.dnsReverse("10.96.0.1", { fromPod: "client" })).toEqual({ arpa: "1.0.96.10.in-addr.arpa", names: [], server: "10.96.0.10", timeout: true });
    expect(c.exec("nslookup 10.96.0.1", { host: "pod:default/client" })).toEqual({ stdout: ";; connection timed out; no servers could be reached\n\n", stderr: "", exitCode: 1 });
    expect(c.exec("host 10.96.0.1", { host: "pod:default/client" })).toEqual({ stdout: ";; connection timed out; no servers could be reached\n", stderr: "", exitCode: 1 });
    expect(c.exec("host 192.168.2.3", { host: "node01" }).stdout).toBe("3.2.168.192.in-addr.arpa domain name pointer node02.\n");
  });
});
