// The allocators at their boundaries (engine/apiserver/allocators.ts), through the engine's apply and kubectl:
// the NodePort range's first and last ports and the ports just outside it, with the apiserver's messages
// (tests/fixtures/service-validation.json registry_rules: portallocator / ipallocator); allocation at both ends of
// a small custom range and when it runs out (rest.go: `Internal error occurred: failed to allocate a nodePort:
// range is full`); ClusterIP allocation at the ends of a small service CIDR (network and broadcast addresses never
// handed out, the first address held by the `kubernetes` Service).
import { describe, expect, it } from "vitest";
import { Cluster } from "../engine/index.ts";
import type { Service } from "../engine/index.ts";

function nodePortSvc(name: string, nodePort?: number, clusterIP?: string): string {
  return [
    "apiVersion: v1",
    "kind: Service",
    "metadata:",
    `  name: ${name}`,
    "spec:",
    "  type: NodePort",
    ...(clusterIP ? [`  clusterIP: ${clusterIP}`] : []),
    "  selector:",
    "    app: demoapp",
    "  ports:",
    "  - port: 80",
    ...(nodePort !== undefined ? [`    nodePort: ${nodePort}`] : []),
    "",
  ].join("\n");
}

function clusterIPSvc(name: string, clusterIP?: string): string {
  return ["apiVersion: v1", "kind: Service", "metadata:", `  name: ${name}`, "spec:", ...(clusterIP ? [`  clusterIP: ${clusterIP}`] : []), "  ports:", "  - port: 80", ""].join("\n");
}

const svc = (c: Cluster, name: string) => c.get("Service", name, "default") as Service;

describe("NodePort range 30000-32767 (the default)", () => {
  it.each([
    [29999, "rejected"],
    [30000, "created"],
    [32767, "created"],
    [32768, "rejected"],
  ] as const)("nodePort %i is %s", (port, outcome) => {
    const c = Cluster.create({ seed: 5 });
    const r = c.apply(nodePortSvc("np", port));
    if (outcome === "created") {
      expect(r[0].error).toBeUndefined();
      expect(r[0].action).toBe("created");
      expect(svc(c, "np").spec.ports![0].nodePort).toBe(port);
    } else {
      expect(r[0].error?.message).toBe(
        `The Service "np" is invalid: spec.ports[0].nodePort: Invalid value: ${port}: provided port is not in the valid range. The range of valid ports is 30000-32767`,
      );
      expect(c.list("Service", { namespace: "default" }).map((s) => s.metadata.name)).toEqual(["kubernetes"]);
    }
  });

  it("kubectl prints the out-of-range refusal as the apiserver words it, on both sides of the range", () => {
    const c = Cluster.create({ seed: 5 });
    for (const port of [29999, 32768]) {
      c.writeFile(`np-${port}.yaml`, nodePortSvc(`np-${port}`, port));
      const out = c.exec(`kubectl apply -f np-${port}.yaml`);
      expect(out.exitCode).toBe(1);
      expect(out.stderr).toBe(
        `The Service "np-${port}" is invalid: spec.ports[0].nodePort: Invalid value: ${port}: provided port is not in the valid range. The range of valid ports is 30000-32767\n`,
      );
    }
  });
});

describe("a small custom NodePort range (30000-30002)", () => {
  const small = (seed: number) => Cluster.create({ seed, topology: { nodePortRange: [30000, 30002] } });

  it.each([1, 2, 3, 4, 5, 6, 7, 8])("seed %i: hands out exactly 30000, 30001 and 30002, then refuses the next with the apiserver's message and changes nothing", (seed) => {
    const c = small(seed);
    const got = ["a", "b", "c"].map((n) => {
      expect(c.apply(nodePortSvc(n))[0].action).toBe("created");
      return svc(c, n).spec.ports![0].nodePort;
    });
    expect([...got].sort()).toEqual([30000, 30001, 30002]);
    const before = c.toJSONText();
    const full = c.apply(nodePortSvc("d"));
    expect(full[0].error?.message).toBe("Internal error occurred: failed to allocate a nodePort: range is full");
    expect(c.toJSONText()).toBe(before);
    c.writeFile("d.yaml", nodePortSvc("d"));
    const out = c.exec("kubectl apply -f d.yaml");
    expect(out.stderr).toBe('Error from server (InternalError): error when creating "d.yaml": Internal error occurred: failed to allocate a nodePort: range is full\n');
    expect(out.exitCode).toBe(1);
  });

  it.each([
    [30000, [30001, 30002]],
    [30002, [30000, 30001]],
  ] as const)("the only free port %i (an end of the range) is the one allocated, whatever the seed", (free, taken) => {
    for (let seed = 1; seed <= 12; seed++) {
      const c = small(seed);
      taken.forEach((p, i) => expect(c.apply(nodePortSvc(`taken-${i}`, p))[0].action).toBe("created"));
      expect(c.apply(nodePortSvc("auto"))[0].action).toBe("created");
      expect(svc(c, "auto").spec.ports![0].nodePort).toBe(free);
    }
  });

  it("a port given by hand: the ends are accepted, the ports just outside are refused naming the custom range", () => {
    const c = small(1);
    expect(c.apply(nodePortSvc("lo", 30000))[0].action).toBe("created");
    expect(c.apply(nodePortSvc("hi", 30002))[0].action).toBe("created");
    for (const p of [29999, 30003])
      expect(c.apply(nodePortSvc(`out-${p}`, p))[0].error?.message).toBe(
        `The Service "out-${p}" is invalid: spec.ports[0].nodePort: Invalid value: ${p}: provided port is not in the valid range. The range of valid ports is 30000-30002`,
      );
    expect(c.apply(nodePortSvc("again", 30002))[0].error?.message).toBe('The Service "again" is invalid: spec.ports[0].nodePort: Invalid value: 30002: provided port is already allocated');
  });

  it("a port freed by deleting its Service is handed out again", () => {
    const c = small(3);
    for (const n of ["a", "b", "c"]) c.apply(nodePortSvc(n));
    const freed = svc(c, "b").spec.ports![0].nodePort;
    c.delete("Service", "b", "default");
    expect(c.apply(nodePortSvc("d"))[0].action).toBe("created");
    expect(svc(c, "d").spec.ports![0].nodePort).toBe(freed);
  });
});

describe("ClusterIP allocation at the ends of a small service range (10.96.0.0/29)", () => {
  const small = (seed: number) => Cluster.create({ seed, topology: { serviceCIDR: "10.96.0.0/29" } });

  it.each([1, 2, 3, 4, 5, 6])("seed %i: hands out exactly .2 to .6 (not the network .0, the broadcast .7, nor the kubernetes Service's .1), then is full", (seed) => {
    const c = small(seed);
    expect(svc(c, "kubernetes").spec.clusterIP).toBe("10.96.0.1");
    const got = ["a", "b", "c", "d", "e"].map((n) => {
      expect(c.apply(clusterIPSvc(n))[0].action).toBe("created");
      return svc(c, n).spec.clusterIP;
    });
    expect([...got].sort()).toEqual(["10.96.0.2", "10.96.0.3", "10.96.0.4", "10.96.0.5", "10.96.0.6"]);
    const before = c.toJSONText();
    expect(c.apply(clusterIPSvc("f"))[0].error?.message).toBe("Internal error occurred: failed to allocate a serviceIP: range is full");
    expect(c.toJSONText()).toBe(before);
  });

  it.each([
    ["10.96.0.2", ["10.96.0.3", "10.96.0.4", "10.96.0.5", "10.96.0.6"]],
    ["10.96.0.6", ["10.96.0.2", "10.96.0.3", "10.96.0.4", "10.96.0.5"]],
  ] as const)("the only free address %s (an end of the range) is the one allocated, whatever the seed", (free, taken) => {
    for (let seed = 1; seed <= 12; seed++) {
      const c = small(seed);
      taken.forEach((ip, i) => expect(c.apply(clusterIPSvc(`taken-${i}`, ip))[0].action).toBe("created"));
      expect(c.apply(clusterIPSvc("auto"))[0].action).toBe("created");
      expect(svc(c, "auto").spec.clusterIP).toBe(free);
    }
  });

  it.each([
    ["10.96.0.0", "not in the valid range"],
    ["10.96.0.7", "not in the valid range"],
    ["10.96.0.8", "not in the valid range"],
    ["10.96.0.1", "already allocated"],
  ] as const)("clusterIP %s given by hand is refused: %s", (ip, why) => {
    const c = small(1);
    const detail = why === "already allocated" ? "provided IP is already allocated" : "provided IP is not in the valid range. The range of valid IPs is 10.96.0.0/29";
    expect(c.apply(clusterIPSvc("x", ip))[0].error?.message).toBe(`The Service "x" is invalid: spec.clusterIP: Invalid value: "${ip}": ${detail}`);
  });

  it("the last usable address .6 given by hand is accepted", () => {
    const c = small(1);
    expect(c.apply(clusterIPSvc("x", "10.96.0.6"))[0].action).toBe("created");
    expect(svc(c, "x").spec.clusterIP).toBe("10.96.0.6");
  });
});

describe("addresses and ports held by the control plane and by other Services", () => {
  it("cluster DNS's address (.10) is never handed out and is refused when asked for, like the kubernetes Service's (.1)", () => {
    for (let seed = 1; seed <= 4; seed++) {
      const c = Cluster.create({ seed, topology: { serviceCIDR: "10.96.0.0/28" } });
      const got = Array.from({ length: 12 }, (_, i) => {
        expect(c.apply(clusterIPSvc(`s${i}`))[0].action).toBe("created");
        return svc(c, `s${i}`).spec.clusterIP;
      });
      expect(got).not.toContain("10.96.0.10");
      expect(new Set(got).size).toBe(12); // .2-.9 and .11-.14
      expect(c.apply(clusterIPSvc("full"))[0].error?.message).toBe("Internal error occurred: failed to allocate a serviceIP: range is full");
    }
    const c = Cluster.create({ seed: 1 });
    expect(c.apply(clusterIPSvc("dns", "10.96.0.10"))[0].error?.message).toBe('The Service "dns" is invalid: spec.clusterIP: Invalid value: "10.96.0.10": provided IP is already allocated');
  });

  it("a LoadBalancer Service with Local policy holds its healthCheckNodePort: nobody else gets it, by hand or allocated", () => {
    const c = Cluster.create({ seed: 2, topology: { nodePortRange: [30000, 30002] } });
    const lb = ["apiVersion: v1", "kind: Service", "metadata:", "  name: lb", "spec:", "  type: LoadBalancer", "  externalTrafficPolicy: Local", "  ports:", "  - port: 80", ""].join("\n");
    expect(c.apply(lb)[0].action).toBe("created");
    const s = svc(c, "lb");
    const hc = s.spec.healthCheckNodePort!;
    expect([30000, 30001, 30002]).toContain(hc);
    expect(hc).not.toBe(s.spec.ports![0].nodePort);
    expect(c.apply(nodePortSvc("byhand", hc))[0].error?.message).toBe(`The Service "byhand" is invalid: spec.ports[0].nodePort: Invalid value: ${hc}: provided port is already allocated`);
    expect(c.apply(nodePortSvc("auto"))[0].action).toBe("created");
    expect(svc(c, "auto").spec.ports![0].nodePort).not.toBe(hc);
    expect(c.apply(nodePortSvc("none"))[0].error?.message).toBe("Internal error occurred: failed to allocate a nodePort: range is full");
  });
});
