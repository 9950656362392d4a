// The lab.yaml schema (zod). Loading turns a lab folder's text into the engine's `Lab` (engine/grading/types.ts);
// the `satisfies`-style assertions at the bottom keep the two in step at compile time.
import { z } from "zod";
import type { Check, Checkpoint } from "../engine/grading/types.ts";

const kind = z.enum(["Namespace", "Node", "Pod", "Deployment", "ReplicaSet", "Service", "Endpoints"]);
const name = z.string().min(1);
const nonNeg = z.number().int().min(0);

const nodeSpec = z
  .object({
    name,
    ip: z.string(),
    podCIDR: z.string(),
    roles: z.array(z.string()).optional(),
    labels: z.record(z.string(), z.string()).optional(),
    taints: z.array(z.object({ key: z.string(), value: z.string().optional(), effect: z.string() }).strict()).optional(),
    extraIPs: z.array(z.string()).optional(),
  })
  .strict();

export const topologySchema = z
  .object({
    nodes: z.array(nodeSpec).min(1).optional(),
    serviceCIDR: z.string().optional(),
    nodePortRange: z.tuple([z.number().int(), z.number().int()]).optional(),
    clusterDomain: z.string().optional(),
    externalHosts: z
      .array(z.object({ name, ip: z.string(), image: z.string(), ports: z.array(z.number().int()), password: z.string().optional() }).strict())
      .optional(),
    loadBalancerPool: z.array(z.string()).optional(),
    nodePrefixLength: z.number().int().optional(),
    proxyMode: z.enum(["iptables", "ipvs"]).optional(),
    startTime: z.string().optional(),
    externalClientIP: z.string().optional(),
  })
  .strict();

const regex = z.string().refine(
  (s) => {
    try {
      new RegExp(s);
      return true;
    } catch {
      return false;
    }
  },
  { message: "not a valid regular expression" },
);

const requestFrom = z.union([
  z.object({ node: name }).strict(),
  z.object({ pod: name, namespace: z.string().optional() }).strict(),
  z.object({ podSelector: z.string(), namespace: z.string().optional() }).strict(),
  z.object({ external: z.literal(true), ip: z.string().optional() }).strict(),
]);

/** A label check's entry: `key` or `key=value` — never without its key (`=web`). */
const labelEntry = z.string().refine((e) => e.split("=")[0].trim() !== "", { message: "a label entry is `key` or `key=value`, and its key is missing" });

export const checkSchema = z.discriminatedUnion("type", [
  z
    .object({
      type: z.literal("resource"),
      kind,
      name,
      namespace: z.string().optional(),
      absent: z.boolean().optional(),
      match: z.record(z.string(), z.unknown()).optional(),
    })
    .strict(),
  z
    .object({
      type: z.literal("select"),
      kind,
      selector: z.string(),
      namespace: z.string().optional(),
      readyOnly: z.boolean().optional(),
      count: nonNeg.optional(),
      min: nonNeg.optional(),
      max: nonNeg.optional(),
      names: z.array(name).optional(),
    })
    .strict(),
  z
    .object({
      type: z.literal("endpoints"),
      service: name,
      namespace: z.string().optional(),
      ready: nonNeg.optional(),
      minReady: nonNeg.optional(),
      notReady: nonNeg.optional(),
      ports: z.array(z.object({ port: z.number().int(), name: z.string().optional(), protocol: z.string().optional() }).strict()).optional(),
      readyPodsMatching: z.string().optional(),
      addresses: z.array(z.string()).optional(),
    })
    .strict(),
  z
    .object({
      type: z.literal("request"),
      from: requestFrom,
      url: z.string().min(1),
      count: z.number().int().min(1).max(500).optional(),
      method: z.string().optional(),
      body: z.string().optional(),
      expect: z.enum(["success", "refused", "timeout", "fail"]),
      minDistinctBackends: z.number().int().min(1).optional(),
      backendsMatching: z.string().optional(),
      onlyReadyBackends: z.boolean().optional(),
      clientIP: z.enum(["preserved", "snat"]).optional(),
      bodyMatches: regex.optional(),
    })
    .strict(),
  z
    .object({
      type: z.literal("label"),
      kind,
      name,
      namespace: z.string().optional(),
      has: z.array(labelEntry).optional(),
      lacks: z.array(labelEntry).optional(),
    })
    .strict()
    .refine((c) => (c.has?.length ?? 0) + (c.lacks?.length ?? 0) > 0, { message: "a label check needs `has` or `lacks`" }),
  z
    .object({
      type: z.literal("dns"),
      name,
      fromPodSelector: z.string().optional(),
      namespace: z.string().optional(),
      cname: z.string().optional(),
      addresses: z.array(z.string()).optional(),
      found: z.boolean().optional(),
    })
    .strict(),
  z.object({ type: z.literal("hostIP"), node: name, ip: z.string().min(1) }).strict(),
  z.object({ type: z.literal("command"), pattern: regex, description: z.string().optional() }).strict(),
]);

export const checkpointSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "use lowercase letters, digits and dashes"),
    title: z.string().min(1),
    points: z.number().int().min(0),
    hint: z.string().optional(),
    checks: z.array(checkSchema).min(1),
  })
  .strict();

/** A file: `name` is read from the lab's `files/` folder unless `content` is given inline. */
const fileSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9._-]+$/, "a plain file name (no directories)"),
    path: z.string().min(1).optional(),
    content: z.string().optional(),
    hosts: z.array(name).min(1).optional(),
  })
  .strict();

const setupStep = z.union([
  z.object({ apply: z.string().min(1) }).strict(),
  z.object({ run: z.string().min(1), host: z.string().optional() }).strict(),
  z.object({ wait: z.number().min(0) }).strict(),
]);

export const labYamlSchema = z
  .object({
    title: z.string().min(1),
    order: z.number().int(),
    summary: z.string().min(1),
    objectives: z.array(z.string().min(1)).min(1),
    estimatedMinutes: z.number().int().min(1),
    topology: topologySchema.optional(),
    files: z.array(fileSchema).default([]),
    setup: z.array(setupStep).default([]),
    steps: z.array(z.object({ title: z.string().min(1), body: z.string().min(1) }).strict()).min(1),
    checkpoints: z
      .array(checkpointSchema)
      .min(1)
      .refine((cps) => new Set(cps.map((c) => c.id)).size === cps.length, { message: "checkpoint ids must be unique" }),
  })
  .strict();

export type LabYaml = z.infer<typeof labYamlSchema>;

// Compile-time agreement between the schema and the engine's types.
type Assert<T extends true> = T;
export type _CheckAgrees = Assert<z.infer<typeof checkSchema> extends Check ? true : false>;
export type _CheckpointAgrees = Assert<z.infer<typeof checkpointSchema> extends Checkpoint ? true : false>;
