// Field selectors (k8s.io/apimachinery/pkg/fields and each kind's field label conversion in v1.19): the engine's
// filter on its own, `kubectl get --field-selector` in the terminal, and the terminal against the real kubectl v1.20.2
// through the Kubernetes API facade, which filters with the same rules.
import { describe, expect, it } from "vitest";
import { Cluster } from "../engine/index.ts";
import { fieldSelectorFilter } from "../engine/field-selectors.ts";
import type { AnyObject } from "../engine/objects.ts";
import { KubeError } from "../engine/errors.ts";
import { hasKubectl, kubectlLine, kubectlTwins } from "./helpers/kubectl.ts";

const pod = (over: Record<string, unknown> = {}) =>
  ({ kind: "Pod", metadata: { name: "p,1", namespace: "default" }, spec: { nodeName: "node01", restartPolicy: "Always", schedulerName: "default-scheduler" }, status: { phase: "Running", podIP: "10.244.1.2" }, ...over }) as unknown as AnyObject;

describe("field selectors", () => {
  const rows: [string, boolean | string][] = [
    ["status.phase=Running", true],
    ["status.phase==Running", true],
    ["status.phase!=Running", false],
    ["spec.nodeName=node01,status.phase=Running", true],
    ["spec.nodeName=node02,status.phase=Running", false],
    ["spec.host=node01", true], // the old name of spec.nodeName
    ["status.nominatedNodeName=", true], // unset reads as ""
    ["status.nominatedNodeName!=", false],
    ["metadata.name=p\\,1", true], // an escaped comma
    ["metadata.namespace=default", true],
    ["status.phase = Running", "field label not supported: status.phase "], // nothing is trimmed
    ["spec.foo=x", "field label not supported: spec.foo"],
    ["status.phase", "invalid selector: 'status.phase'; can't understand 'status.phase'"],
    ["metadata.name=a=b", "invalid field selector: unescaped character in value: 61"],
    ["metadata.name=a\\x", "invalid field selector: invalid escape sequence: \\x"],
  ];
  it.each(rows)("a pod, %s", (sel, want) => {
    if (typeof want === "boolean") expect(fieldSelectorFilter("Pod", sel)!(pod())).toBe(want);
    else expect(() => fieldSelectorFilter("Pod", sel)).toThrow(new KubeError("BadRequest", want));
  });

  it("each kind its own fields, and its own words for another", () => {
    expect(() => fieldSelectorFilter("Service", "spec.type=NodePort")).toThrow('"spec.type" is not a known field selector: only "metadata.name", "metadata.namespace"');
    expect(() => fieldSelectorFilter("Node", "metadata.namespace=x")).toThrow("field label not supported: metadata.namespace");
    expect(fieldSelectorFilter("Node", "spec.unschedulable=true")!({ kind: "Node", metadata: { name: "n" }, spec: { unschedulable: true } } as unknown as AnyObject)).toBe(true);
    expect(fieldSelectorFilter("Node", "spec.unschedulable=false")!({ kind: "Node", metadata: { name: "n" }, spec: {} } as unknown as AnyObject)).toBe(true);
    expect(fieldSelectorFilter("Pod", "")).toBeUndefined();
  });

  it("kubectl get --field-selector in the terminal: each type filtered, a type that refuses it is an error beside the others", () => {
    const c = Cluster.create({ seed: 5 });
    expect(c.exec("kubectl create deployment web --image=ikubernetes/demoapp:v1.0 --replicas=3").exitCode).toBe(0);
    const onNode01 = c.exec("kubectl get pods -A --field-selector spec.nodeName=node01 -o jsonpath={.items[*].spec.nodeName}").stdout.split(" ");
    expect(onNode01.length).toBeGreaterThan(1);
    expect(new Set(onNode01)).toEqual(new Set(["node01"]));
    expect(c.exec("kubectl get pods --field-selector status.phase=Pending")).toEqual({ stdout: "", stderr: "No resources found in default namespace.\n", exitCode: 0 });
    const mixed = c.exec("kubectl get pods,svc --field-selector status.phase=Running -o name");
    expect(mixed.stdout).toMatch(/^(pod\/web-\S+\n){3}$/);
    expect(mixed.stderr).toBe('Error from server (BadRequest): Unable to find "/v1, Resource=services" that match label selector "", field selector "status.phase=Running": "status.phase" is not a known field selector: only "metadata.name", "metadata.namespace"\n');
    expect(mixed.exitCode).toBe(1);
  });
});

describe.skipIf(!hasKubectl())("--field-selector: the terminal prints what real kubectl does through the API", () => {
  const twins = kubectlTwins("fields", { real: "qk11", ours: "qt11" });
  it("the same objects and the same refusals on the same cluster", async () => {
    for (const args of [
      ["get", "pods", "-A", "--field-selector", "spec.nodeName=node02", "-o", "name"],
      ["get", "pods", "-A", "--field-selector=status.phase=Running,spec.nodeName!=master01", "-o", "name"],
      ["get", "pods", "-A", "--field-selector", "spec.schedulerName=default-scheduler,spec.restartPolicy=Always", "-o", "name"],
      ["get", "pods", "-n", "kube-system", "--field-selector", "metadata.name=etcd-master01"],
      ["get", "pods", "--field-selector", "status.phase=Failed"],
      ["get", "pods", "--field-selector", "spec.foo=bar"],
      ["get", "pods", "--field-selector", "status.phase"],
      ["get", "svc", "-A", "--field-selector", "metadata.namespace=kube-system", "-o", "name"],
      ["get", "svc", "--field-selector", "spec.type=ClusterIP"],
      ["get", "nodes", "--field-selector", "spec.unschedulable=false", "-o", "name"],
      ["get", "ns", "--field-selector", "status.phase=Active", "-o", "name"],
      ["get", "deploy,svc", "-A", "--field-selector", "metadata.name=kube-dns", "-o", "name"],
      ["get", "pods", "-A", "--field-selector", "status.phase=Running,", "-o", "name"],
      ["get", "svc", "kubernetes", "-o", "custom-columns=:"],
    ]) {
      const r = await twins.both(args);
      expect(r.ours, kubectlLine(args)).toBe(r.real);
    }
  }, 120_000);
});
