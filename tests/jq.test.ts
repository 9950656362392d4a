// jq in the lab terminal against jq 1.6's own output on the same input (the expected texts come from the real jq),
// and on what kubectl -o json prints.
import { beforeEach, expect, it } from "vitest";
import { Cluster } from "../engine/index.ts";

let c: Cluster;
const sh = (line: string) => c.exec(line);
const out = (stdout: string, exitCode = 0) => ({ stdout, stderr: "", exitCode });
const PODS = JSON.stringify({"apiVersion":"v1","items":[{"metadata":{"name":"web-1","namespace":"default","labels":{"app":"web"}},"spec":{"nodeName":"node01"},"status":{"podIP":"10.244.5.2","phase":"Running"}},{"metadata":{"name":"web-2","namespace":"default","labels":{"app":"web","tier":"front"}},"spec":{"nodeName":"node02"},"status":{"podIP":"10.244.4.2","phase":"Pending"}},{"metadata":{"name":"coredns-x","namespace":"kube-system","labels":{"k8s-app":"kube-dns"}},"spec":{"nodeName":"node01"},"status":{"podIP":"10.244.0.2","phase":"Running"}}],"kind":"List"});

beforeEach(() => {
  c = Cluster.create({ seed: 2 });
  c.writeFile("pods.json", PODS + "\n");
});

it("paths, select, construction, interpolation, @csv, group_by, sort_by, del, |=, --arg", () => {
  expect(sh("jq .items[1].metadata pods.json")).toEqual(out('{\n  "name": "web-2",\n  "namespace": "default",\n  "labels": {\n    "app": "web",\n    "tier": "front"\n  }\n}\n'));
  expect(sh("jq -r '.items[].metadata.name' < pods.json")).toEqual(out("web-1\nweb-2\ncoredns-x\n"));
  expect(sh(`jq -c '.items[] | select(.status.phase=="Running") | {name: .metadata.name, ip: .status.podIP}' pods.json`)).toEqual(out('{"name":"web-1","ip":"10.244.5.2"}\n{"name":"coredns-x","ip":"10.244.0.2"}\n'));
  expect(sh(`jq -r '.items[] | "\\(.metadata.name)\\t\\(.spec.nodeName)"' pods.json`)).toEqual(out("web-1\tnode01\nweb-2\tnode02\ncoredns-x\tnode01\n"));
  expect(sh("jq '[.items[].spec.nodeName] | group_by(.) | map({node: .[0], pods: length})' pods.json")).toEqual(out('[\n  {\n    "node": "node01",\n    "pods": 2\n  },\n  {\n    "node": "node02",\n    "pods": 1\n  }\n]\n'));
  expect(sh("jq -r '.items[] | [.metadata.name, .status.phase] | @csv' pods.json")).toEqual(out('"web-1","Running"\n"web-2","Pending"\n"coredns-x","Running"\n'));
  expect(sh("jq '.items | map(select(.metadata.labels.tier?)) | length' pods.json")).toEqual(out("1\n"));
  expect(sh("jq '.items[0] | del(.status) | keys' pods.json")).toEqual(out('[\n  "metadata",\n  "spec"\n]\n'));
  expect(sh(`jq -c '.items[0].metadata.labels |= . + {"x":"y"} | .items[0].metadata.labels' pods.json`)).toEqual(out('{"app":"web","x":"y"}\n'));
  expect(sh("jq -c '.items | sort_by(.metadata.name) | map(.metadata.name)' pods.json")).toEqual(out('["coredns-x","web-1","web-2"]\n'));
  expect(sh("jq --arg ns kube-system -r '.items[] | select(.metadata.namespace == $ns) | .metadata.name' pods.json")).toEqual(out("coredns-x\n"));
});

it("errors and exit codes as jq's: 5 at run time, 3 at compile time, -e on null", () => {
  expect(sh("jq '.items[0].metadata.name.foo' pods.json")).toEqual({ stdout: "", stderr: 'jq: error (at pods.json:1): Cannot index string with string "foo"\n', exitCode: 5 });
  expect(sh("jq -e .nothing pods.json")).toEqual(out("null\n", 1));
  expect(sh("jq '.items[] | foo' pods.json")).toEqual({ stdout: "", stderr: "jq: error: foo/0 is not defined at <top-level>, line 1:\n.items[] | foo\njq: 1 compile error\n", exitCode: 3 });
  expect(sh("jq '.items[' pods.json")).toEqual({ stdout: "", stderr: "jq: error: syntax error, unexpected $end (Unix shell quoting issues?) at <top-level>, line 1:\n.items[\njq: 1 compile error\n", exitCode: 3 });
  expect(sh("jq 'def f: 1; f' pods.json")).toMatchObject({ stderr: "jq: error: kubelab's jq does not support `def'\njq: 1 compile error\n", exitCode: 3 });
  expect(sh("jq --seq . pods.json")).toMatchObject({ exitCode: 2 });
});

it("on kubectl -o json: the pods of kube-system by node, a Service's ports", () => {
  const r = sh(`kubectl get pods -n kube-system -o json | jq -r '.items[] | select(.spec.nodeName=="node01") | .metadata.name'`);
  expect(r.exitCode).toBe(0);
  expect(r.stdout).toMatch(/^kube-flannel-ds-[a-z0-9]{5}\nkube-proxy-[a-z0-9]{5}\n$/);
  expect(sh("kubectl get svc kube-dns -n kube-system -o json | jq -c '.spec.ports | map({name, port})'")).toEqual(out('[{"name":"dns","port":53},{"name":"dns-tcp","port":53},{"name":"metrics","port":9153}]\n'));
  expect(sh("kubectl get deploy coredns -n kube-system -o json | jq '.spec.replicas'")).toEqual(out("2\n"));
});
