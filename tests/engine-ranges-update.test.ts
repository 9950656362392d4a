// Two allocator rules engine-ranges.test.ts does not name (engine/apiserver/allocators.ts; v1.19
// pkg/registry/core/service/storage/rest.go):
// - on update, the registry allocates the ports a Service gains while the ports it gives up are still held
//   (updateNodePorts: AllocateNext first, ReleaseDeferred for the old ones, released once the update is stored), so a
//   port added by an update never gets the Service's own old nodePort, and a range whose only port is that one is full;
// - a clusterIP given by hand goes to the allocator of the cluster's one (IPv4) range: an IPv6 address passes
//   validation (it is an IP) but is "not in the valid range".
import { describe, expect, it } from "vitest";
import { Cluster } from "../engine/index.ts";
import type { Service } from "../engine/index.ts";

function nodePortSvc(port: number, extra: Record<string, unknown> = {}): Record<string, unknown>[] {
  return [{ apiVersion: "v1", kind: "Service", metadata: { name: "web", ...extra }, spec: { type: "NodePort", selector: { app: "web" }, ports: [{ port }] } }];
}
const nodePorts = (c: Cluster) => (c.get("Service", "web", "default") as Service).spec.ports!.map((p) => [p.port, p.nodePort]);

describe("an update allocates new nodePorts while the Service's old ones are still held", () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])("seed %i: a Service whose port 80 becomes 81 gets the other port of a two-port range, never its own old one", (seed) => {
    const c = Cluster.create({ seed, topology: { nodePortRange: [30000, 30001] } });
    expect(c.apply(nodePortSvc(80))[0].action).toBe("created");
    const [[, old]] = nodePorts(c);
    expect(c.apply(nodePortSvc(81))[0].action).toBe("configured");
    expect(nodePorts(c)).toEqual([[81, old === 30000 ? 30001 : 30000]]);
  });

  it("in a one-port range the update is refused as full (InternalError), and the Service keeps its port", () => {
    const c = Cluster.create({ seed: 1, topology: { nodePortRange: [30000, 30000] } });
    expect(c.apply(nodePortSvc(80))[0].action).toBe("created");
    const before = c.toJSONText();
    expect(c.apply(nodePortSvc(81))[0].error?.message).toBe("Internal error occurred: failed to allocate a nodePort: range is full");
    expect(c.toJSONText()).toBe(before);
    expect(nodePorts(c)).toEqual([[80, 30000]]);
  });

  it("an update that keeps the port keeps its nodePort, even in a full range", () => {
    const c = Cluster.create({ seed: 1, topology: { nodePortRange: [30000, 30000] } });
    expect(c.apply(nodePortSvc(80))[0].action).toBe("created");
    expect(c.apply(nodePortSvc(80, { labels: { tier: "front" } }))[0].action).toBe("configured");
    expect(nodePorts(c)).toEqual([[80, 30000]]);
  });
});

describe("a clusterIP given by hand must be in the cluster's IPv4 service range", () => {
  it.each(["fd00::10", "2001:db8::1"])("%s (IPv6) is refused as not in the valid range", (ip) => {
    const c = Cluster.create({ seed: 1, topology: { serviceCIDR: "10.96.0.0/29" } });
    const r = c.apply([{ apiVersion: "v1", kind: "Service", metadata: { name: "x" }, spec: { clusterIP: ip, ports: [{ port: 80 }] } }]);
    expect(r[0].error?.message).toBe(`The Service "x" is invalid: spec.clusterIP: Invalid value: "${ip}": provided IP is not in the valid range. The range of valid IPs is 10.96.0.0/29`);
    expect(c.list("Service", { namespace: "default" }).map((s) => s.metadata.name)).toEqual(["kubernetes"]);
  });
});
