// The API keeps a cluster in a PostgreSQL JSONB column, which hands objects back with their keys reordered
// (shorter keys first, then bytewise). A cluster reloaded that way after every command must behave exactly like
// one that never left memory: same outputs, same content.
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { Cluster } from "../engine/index.ts";
import { canonicalJSON } from "../engine/hash.ts";

/** PostgreSQL's jsonb key order: by length, then by bytes. */
function jsonbOrder(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(jsonbOrder);
  if (v === null || typeof v !== "object") return v;
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o).sort((a, b) => Buffer.byteLength(a) - Buffer.byteLength(b) || Buffer.compare(Buffer.from(a), Buffer.from(b)));
  const out: Record<string, unknown> = {};
  for (const k of keys) out[k] = jsonbOrder(o[k]);
  return out;
}

const file = (lab: string, name: string) => readFileSync(new URL(`../labs/${lab}/files/${name}`, import.meta.url), "utf8");

const SESSION: [string, string][] = [
  ["master01", "kubectl create deployment demoapp --image=ikubernetes/demoapp:v1.0 --replicas=3"],
  ["master01", "kubectl apply -f services-clusterip-demo.yaml"],
  ["master01", "kubectl apply -f services-readiness-demo.yaml"],
  ["master01", "sleep 20"],
  ["node01", "for i in $(seq 1 12); do curl -s 10.97.72.1; done"],
  ["master01", "kubectl scale deployment demoapp --replicas=6"],
  ["master01", "kubectl label po -l app=demoapp release=canary"],
  ["master01", "kubectl label no node02 disk=ssd"],
  ["node02", "curl -s -XPOST -d readyz=FAIL $(kubectl get po -l app=demoapp-with-readiness -o jsonpath='{.items[0].status.podIP}')/readyz"],
  ["master01", "sleep 40"],
  ["master01", "kubectl scale deployment demoapp --replicas=2"],
  ["master01", "kubectl get po -o wide --show-labels"],
  ["master01", "kubectl describe ep services-readiness-demo"],
  ["node01", "for i in $(seq 1 8); do curl -s 10.97.72.1; done"],
  ["master01", "kubectl create deployment web --image=nginx --replicas=2"],
  ["master01", "kubectl get events"],
];

function fresh(): Cluster {
  const c = Cluster.create({ seed: 5 });
  c.writeFile("services-clusterip-demo.yaml", file("clusterip-services", "services-clusterip-demo.yaml"));
  c.writeFile("services-readiness-demo.yaml", file("readiness-endpoints", "services-readiness-demo.yaml"));
  return c;
}

describe("storage key order", () => {
  it("a cluster reloaded from jsonb-ordered state after every command behaves like one kept in memory", () => {
    const mem = fresh();
    let stored = fresh();
    for (const [host, line] of SESSION) {
      const a = mem.exec(line, { host });
      const b = stored.exec(line, { host });
      expect(b, `${host}# ${line}`).toEqual(a);
      stored = Cluster.fromJSON(jsonbOrder(JSON.parse(JSON.stringify(stored.toJSON()))));
    }
    expect(canonicalJSON(stored.toJSON())).toBe(canonicalJSON(mem.toJSON()));
  });
});
