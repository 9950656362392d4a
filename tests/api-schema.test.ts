// schema.graphql is printed from the code (npm run schema:print) and committed: it must not drift. The contract's
// names the web frontend relies on are checked explicitly.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { getSchema } from "../api/schema/index.ts";
import { printedSchema } from "../api/schema/print.ts";

describe("schema.graphql", () => {
  it("matches the schema built from the code (run `npm run schema:print` after changing the API)", () => {
    const committed = readFileSync(new URL("../schema.graphql", import.meta.url), "utf8");
    expect(printedSchema()).toBe(committed);
  });

  it("keeps the contract's mutation and input names", () => {
    const s = getSchema();
    const m = s.getMutationType()!.getFields();
    const inputs: Record<string, string[]> = {
      createCluster: ["name", "labSlug", "seed"],
      deleteCluster: ["clusterId"],
      resetCluster: ["clusterId"],
      applyManifest: ["clusterId", "yaml"],
      deleteResource: ["clusterId", "kind", "name", "namespace"],
      label: ["clusterId", "target", "set", "remove", "overwrite"],
      scale: ["clusterId", "deployment", "replicas"],
      sendRequests: ["clusterId", "from", "url", "method", "body", "count"],
      exec: ["clusterId", "command", "host"],
      advanceClock: ["clusterId", "seconds"],
    };
    for (const [name, fields] of Object.entries(inputs)) {
      const f = m[name];
      expect(f, name).toBeDefined();
      const input = f.args.find((a) => a.name === "input")!;
      const type = s.getType(String(input.type).replace("!", "")) as any;
      for (const k of fields) expect(Object.keys(type.getFields()), `${name}.${k}`).toContain(k);
    }
    const q = s.getQueryType()!.getFields();
    for (const k of ["me", "cluster", "myClusters", "labs", "lab"]) expect(q[k], k).toBeDefined();
    const cluster = s.getType("Cluster") as any;
    for (const k of ["pods", "services", "deployments", "endpoints", "nodes", "events", "resource", "commandLog"]) expect(cluster.getFields()[k], k).toBeDefined();
    const err = s.getType("Error") as any;
    expect(Object.keys(err.getFields())).toEqual(["message"]);
  });
});
