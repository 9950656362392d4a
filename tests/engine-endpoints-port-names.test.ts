// Named targetPorts that hold digits (engine/controllers/endpoints.ts findPort; found as surviving mutants,
// tests/README.md): upstream's FindPort uses a targetPort as a number only when it IS one (intstr.Int); a name is
// looked up in the pod's container ports, and an IANA service name may end or even start with digits ("web2",
// "2web": lower-case letters, digits and single hyphens, at least one letter). Either is a name, never a number.
import { describe, expect, it } from "vitest";
import { Cluster } from "../engine/index.ts";
import type { Endpoints } from "../engine/index.ts";

describe("a named targetPort with digits in it is looked up by name", () => {
  it("'web2' and '2web' resolve to their container ports; a number resolves as itself", () => {
    const c = Cluster.create({ seed: 8 });
    const container = {
      name: "app",
      image: "ikubernetes/demoapp:v1.0",
      ports: [
        { name: "web2", containerPort: 8080 },
        { name: "2web", containerPort: 9090 },
      ],
    };
    const r = c.apply([
      { apiVersion: "v1", kind: "Pod", metadata: { name: "p", labels: { app: "web" } }, spec: { nodeName: "node01", containers: [container] } },
      {
        apiVersion: "v1",
        kind: "Service",
        metadata: { name: "web" },
        spec: {
          selector: { app: "web" },
          ports: [
            { name: "a", port: 80, targetPort: "web2" },
            { name: "b", port: 81, targetPort: "2web" },
            { name: "c", port: 82, targetPort: 7070 },
          ],
        },
      },
    ]);
    expect(r.map((x) => x.error)).toEqual([undefined, undefined]);
    const ep = c.get("Endpoints", "web", "default") as Endpoints;
    expect(ep.subsets?.map((s) => s.ports)).toEqual([
      [
        { name: "a", port: 8080, protocol: "TCP" },
        { name: "b", port: 9090, protocol: "TCP" },
        { name: "c", port: 7070, protocol: "TCP" },
      ],
    ]);
  });
});
