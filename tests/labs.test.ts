// Every lab, end to end through the terminal: the fresh cluster passes no checkpoint, the reference solution passes
// all of them (on several seeds), a plausible wrong solution fails with the explanation a student needs, and a
// live attempt graded after every command equals the regrade by replay.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Cluster } from "../engine/index.ts";
import { createLabCluster, gradeCommands, gradeLab, parseScript, runCommands } from "../engine/grading/index.ts";
import type { Lab } from "../engine/grading/index.ts";
import { loadLabsFromDir } from "../labs/fs.ts";
import { LABS, getLab, labCatalog } from "../labs/catalog.ts";
import { CATALOG_PATH, renderCatalog } from "../scripts/gen-labs.ts";

const labs = loadLabsFromDir();
const SEED = 1;


function lab(slug: string): Lab {
  const l = labs.find((x) => x.slug === slug);
  if (!l) throw new Error(`no lab ${slug}`);
  return l;
}

describe("lab catalog", () => {
  it("has the ten labs of the course, in the course's order", () => {
    expect(labs.map((l) => l.slug)).toEqual([
      "clusterip-services",
      "nodeport-services",
      "loadbalancer-services",
      "externalname-services",
      "labels",
      "label-selectors",
      "external-traffic-policy",
      "external-ips",
      "readiness-endpoints",
      "external-endpoints",
    ]);
  });

  it("labs/catalog.generated.ts is up to date with the lab folders (run npx tsx scripts/gen-labs.ts)", () => {
    expect(readFileSync(CATALOG_PATH, "utf8")).toBe(renderCatalog());
    expect(LABS).toEqual(labs);
    expect(getLab("labels")?.title).toBe(lab("labels").title);
  });

  it("gives the API seam lab infos with instructions and checkpoints, and lab clusters", () => {
    const info = labCatalog.get("nodeport-services")!;
    expect(info.instructions).toContain("kubectl apply -f services-nodeport-demo.yaml");
    expect(info.checkpoints.map((c) => c.id)).toEqual(lab("nodeport-services").checkpoints.map((c) => c.id));
    const c = labCatalog.createCluster("nodeport-services", 5);
    expect(c.readFile("/root/services-nodeport-demo.yaml", "node01")).toContain("nodePort: 31398");
    expect(c.list("Pod", { selector: "app=demoapp" })).toHaveLength(2);
  });
});

// A plausible wrong attempt per lab, the checkpoint it must fail and what the explanation must say.
const WRONG: { slug: string; why: string; script: string; checkpoint: string; explanation: RegExp[] }[] = [
  {
    slug: "clusterip-services",
    why: "a typo in the selector",
    script: `
kubectl apply -f - <<EOF
kind: Service
apiVersion: v1
metadata:
  name: demoapp-svc
spec:
  clusterIP: 10.97.72.1
  selector:
    app: demoapp2
  ports:
  - name: http
    port: 80
    targetPort: 80
EOF
kubectl scale deployment demoapp --replicas=2
sleep 35
`,
    checkpoint: "endpoints-follow-pods",
    explanation: [/Endpoints demoapp-svc: 0 ready addresses/, /Service demoapp-svc selects app=demoapp2, but no pod carries that label; pods with app: demoapp ×2/],
  },
  {
    slug: "nodeport-services",
    why: "the type left out, so the Service is a ClusterIP",
    script: `
kubectl apply -f - <<EOF
kind: Service
apiVersion: v1
metadata:
  name: demoapp-nodeport-svc
spec:
  selector:
    app: demoapp
  ports:
  - name: http
    port: 80
    targetPort: 80
EOF
`,
    checkpoint: "nodeport-created",
    explanation: [/Service demoapp-nodeport-svc: spec.type is "ClusterIP", expected "NodePort"/],
  },
  {
    slug: "nodeport-services",
    why: "(same) nothing listens on 31398",
    script: `kubectl expose deployment demoapp --name=demoapp-nodeport-svc --port=80`,
    checkpoint: "reachable-on-every-node",
    explanation: [/to http:\/\/192\.168\.2\.2:31398\/: 10 failed \(refused ×10\): Failed to connect to 192\.168\.2\.2 port 31398: Connection refused/],
  },
  {
    slug: "loadbalancer-services",
    why: "exposed as a NodePort instead of a LoadBalancer",
    script: `kubectl expose deployment demoapp --name=demoapp-lb --type=NodePort --port=80 --target-port=80`,
    checkpoint: "pool-address",
    explanation: [/Service demoapp-lb: spec.type is "NodePort", expected "LoadBalancer"/, /Service demoapp-lb has no LoadBalancer ingress IP/],
  },
  {
    slug: "externalname-services",
    why: "a selector-less ClusterIP Service instead of an ExternalName",
    script: `
kubectl apply -f - <<EOF
kind: Service
apiVersion: v1
metadata:
  name: external-www
spec:
  ports:
  - port: 80
EOF
`,
    checkpoint: "dns-cname",
    explanation: [/external-www\.default\.svc\.cluster\.local -> 10\.\d+\.\d+\.\d+; expected a CNAME to www\.ilinux\.io/],
  },
  {
    slug: "labels",
    why: "changing a value without --overwrite",
    script: `kubectl label pod/mypod release=stable`,
    checkpoint: "overwritten",
    explanation: [/Pod mypod has release=canary, expected release=stable; change it with kubectl label --overwrite/],
  },
  {
    slug: "label-selectors",
    why: "only pods that have a release label were tagged",
    script: `kubectl label pods -l 'release,release!=canary' audit=yes`,
    checkpoint: "not-equal",
    explanation: [/Expected 0 Pods matching "release!=canary,!audit", 6 matches: .*init-container-demo/],
  },
  {
    slug: "label-selectors",
    why: "notin applied only to pods with an app label",
    script: `kubectl label pods -l 'app,app notin (mypod,demoapp)' team=ops`,
    checkpoint: "set-notin",
    explanation: [/missing init-container-demo, lifecycle-demo, liveness-exec-demo/],
  },
  {
    slug: "external-traffic-policy",
    why: "still on externalTrafficPolicy Cluster",
    script: `
kubectl apply -f services-nodeport-demo.yaml
kubectl scale deployment demoapp --replicas=1
sleep 35
`,
    checkpoint: "client-ip-preserved",
    explanation: [/the source address was SNATed/, /not 192\.168\.2\.100/],
  },
  {
    slug: "external-traffic-policy",
    why: "(same) the node without a pod still forwards",
    script: `
kubectl apply -f services-nodeport-demo.yaml
kubectl scale deployment demoapp --replicas=1
sleep 35
`,
    checkpoint: "dropped-elsewhere",
    explanation: [/expected every one to fail with a timeout, but 5 answered/],
  },
  {
    slug: "external-ips",
    why: "the address never bound on a node",
    script: `kubectl apply -f services-externalip-demo.yaml`,
    checkpoint: "reachable-from-outside",
    explanation: [/Connection timed out/, /no node holds 192\.168\.2\.6/],
  },
  {
    slug: "external-ips",
    why: "(same) address missing on node02",
    script: `kubectl apply -f services-externalip-demo.yaml`,
    checkpoint: "address-bound",
    explanation: [/192\.168\.2\.6 is not bound on node02; add it there with ip addr add 192\.168\.2\.6\/21 dev eth0/],
  },
  {
    slug: "readiness-endpoints",
    why: "graded before the probe had time to fail",
    script: `
kubectl apply -f services-readiness-demo.yaml
sleep 30
# host: node01
curl -X POST -d 'readyz=FAIL' 10.98.48.27/readyz
`,
    checkpoint: "one-not-ready",
    explanation: [/2 ready addresses .* 0 not ready; expected 1 ready and 1 in NotReadyAddresses/, /periodSeconds × failureThreshold/],
  },
  {
    slug: "external-endpoints",
    why: "the Service was given a selector, so the controller replaced the hand-written Endpoints",
    script: `
kubectl apply -f - <<EOF
apiVersion: v1
kind: Endpoints
metadata:
  name: mysql-external
subsets:
- addresses:
  - ip: 192.168.2.8
  - ip: 192.168.2.9
  ports:
  - name: mysql
    port: 3306
---
apiVersion: v1
kind: Service
metadata:
  name: mysql-external
spec:
  selector:
    app: mysql-external
  ports:
  - name: mysql
    port: 3306
    targetPort: 3306
EOF
`,
    checkpoint: "endpoints-written",
    explanation: [/Endpoints mysql-external: 0 ready addresses/, /Service mysql-external selects app=mysql-external, but no pod carries that label/],
  },
];

describe.each(labs.map((l) => [l.slug, l] as const))("lab %s", (slug, l) => {
  it("is well formed: steps, checkpoints with points and a reference solution", () => {
    expect(l.steps.length).toBeGreaterThan(0);
    expect(l.checkpoints.every((c) => c.points > 0 && c.checks.length > 0)).toBe(true);
    expect(l.solution.length).toBeGreaterThan(0);
    for (const f of l.files) expect(f.content.length).toBeGreaterThan(0);
  });

  it("a fresh lab cluster passes none of its checkpoints", () => {
    const r = gradeLab(l, createLabCluster(l, SEED), { commandLog: [] });
    expect(r.checkpoints.filter((c) => c.passed).map((c) => c.id)).toEqual([]);
    expect(r.score).toBe(0);
    for (const c of r.checkpoints) expect(c.explanation.length).toBeGreaterThan(10);
  });

  it.each([1, 2, 3, 42])("solution.sh passes every checkpoint (seed %i)", (seed) => {
    const r = gradeCommands(l, seed, l.solution);
    const failed = r.checkpoints.filter((c) => !c.passed).map((c) => `${c.id}: ${c.explanation}`);
    expect(failed).toEqual([]);
    expect(r.score).toBe(r.maxScore);
  });

  it("solution commands all succeed except the ones the lab means to fail", () => {
    const c = createLabCluster(l, SEED);
    const out = runCommands(c, l.solution);
    const failed = out.filter((o) => o.exitCode !== 0).map((o) => o.entry.line);
    // The labels lab shows kubectl refusing a change without --overwrite; the ExternalName lab shows that such a
    // Service has no Endpoints object.
    const intended: Record<string, string[]> = {
      labels: ["kubectl label pod/mypod release=stable"],
      "externalname-services": ["kubectl get endpoints external-www"],
    };
    expect(failed).toEqual(intended[slug] ?? []);
  });

  const wrong = WRONG.filter((w) => w.slug === slug);
  it.each(wrong.map((w) => [w.why, w] as const))("a wrong attempt (%s) fails with the intended explanation", (_why, w) => {
    const r = gradeCommands(l, SEED, parseScript(w.script));
    const cp = r.checkpoints.find((c) => c.id === w.checkpoint)!;
    expect(cp, `checkpoint ${w.checkpoint}`).toBeDefined();
    expect(cp.passed).toBe(false);
    expect(cp.points).toBe(0);
    for (const re of w.explanation) expect(cp.explanation).toMatch(re);
    expect(r.score).toBeLessThan(r.maxScore);
  });

  it("live grading after every command changes nothing, and the regrade by replay equals the live grade", () => {
    // The API's life: the cluster is stored as JSON between requests, checkProgress runs after any command.
    let json = createLabCluster(l, SEED).toJSON();
    const log = [];
    for (const entry of l.solution) {
      const c = Cluster.fromJSON(json);
      runCommands(c, [entry]);
      log.push(entry);
      const before = JSON.stringify(c.toJSON());
      gradeLab(l, c, { commandLog: log });
      expect(JSON.stringify(c.toJSON())).toBe(before);
      json = c.toJSON();
    }
    const live = gradeLab(l, Cluster.fromJSON(json), { commandLog: log });
    const regrade = gradeCommands(l, SEED, log);
    expect(regrade).toEqual(live);
    expect(live.score).toBe(live.maxScore);
  });
});

it("every lab has at least one wrong-attempt case", () => {
  expect(new Set(WRONG.map((w) => w.slug))).toEqual(new Set(labs.map((l) => l.slug)));
});
