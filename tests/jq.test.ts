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

it("options anywhere on the line, as jq 1.6 reads them (`jq '.x' -r` is the common form), until --", () => {
  expect(sh("jq '.items[].metadata.name' -r pods.json")).toEqual(out("web-1\nweb-2\ncoredns-x\n"));
  expect(sh("jq '.items[0].metadata' pods.json -c")).toEqual(out('{"name":"web-1","namespace":"default","labels":{"app":"web"}}\n'));
  expect(sh("jq -n '$a' --arg a b")).toEqual(out('"b"\n'));
  expect(sh("jq .kind pods.json -- -r")).toEqual({ stdout: '"List"\n', stderr: "jq: error: Could not open file -r: No such file or directory\n", exitCode: 2 });
  expect(sh("jq --indent 0 .items[0].spec pods.json")).toEqual(out('{"nodeName":"node01"}\n'));
  expect(sh("jq --indent -1 .items[0].spec pods.json")).toEqual(out('{\n\t"nodeName": "node01"\n}\n'));
});

it("usage errors in jq 1.6's words: the refusal, then where to get help; a missing file, and the others still read", () => {
  const help = "Use jq --help for help with command-line options,\nor see the jq manpage, or online docs  at https://stedolan.github.io/jq\n";
  expect(sh("jq -Z . pods.json")).toEqual({ stdout: "", stderr: `jq: Unknown option -Z\n${help}`, exitCode: 2 });
  expect(sh("jq --arg x")).toEqual({ stdout: "", stderr: `jq: --arg takes two parameters (e.g. --arg varname value)\n${help}`, exitCode: 2 });
  expect(sh("jq --argjson x '{' .")).toEqual({ stdout: "", stderr: `jq: invalid JSON text passed to --argjson\n${help}`, exitCode: 2 });
  expect(sh("jq --indent 9 . pods.json")).toEqual({ stdout: "", stderr: `jq: --indent takes a number between -1 and 7\n${help}`, exitCode: 2 });
  expect(sh("jq --seq . pods.json")).toEqual({ stdout: "", stderr: `jq: kubelab's jq does not support the option --seq\n${help}`, exitCode: 2 });
  expect(sh("jq .kind nofile pods.json")).toEqual({ stdout: '"List"\n', stderr: "jq: error: Could not open file nofile: No such file or directory\n", exitCode: 2 });
  expect(sh("jq . nofile")).toEqual({ stdout: "", stderr: "jq: error: Could not open file nofile: No such file or directory\n", exitCode: 2 });
});

it("dates as jq 1.6 has them (creationTimestamp to seconds and back); builtins jq 1.6 has and kubelab's lacks say so", () => {
  expect(sh(`jq -n '"2021-12-05T16:00:00Z" | fromdateiso8601, fromdate'`)).toEqual(out("1638720000\n1638720000\n"));
  expect(sh("jq -n '1638720000.7 | todate, todateiso8601'")).toEqual(out('"2021-12-05T16:00:00Z"\n"2021-12-05T16:00:00Z"\n'));
  expect(sh("jq -n '-1 | todate'")).toEqual(out('"1969-12-31T23:59:59Z"\n'));
  expect(sh(`jq -n '"2021-12-05T16:00:00.5Z" | fromdate'`)).toEqual({ stdout: "", stderr: 'jq: error (at <unknown>): date "2021-12-05T16:00:00.5Z" does not match format "%Y-%m-%dT%H:%M:%SZ"\n', exitCode: 5 });
  expect(sh("jq -n '1 | fromdate'")).toEqual({ stdout: "", stderr: "jq: error (at <unknown>): strptime/1 requires string inputs and arguments\n", exitCode: 5 });
  expect(sh(`jq -n '"x" | todate'`)).toEqual({ stdout: "", stderr: "jq: error (at <unknown>): strftime/1 requires parsed datetime inputs\n", exitCode: 5 });
  expect(sh("jq -n '[range(0;10;3)]'")).toEqual({ stdout: "", stderr: "jq: error: kubelab's jq does not support range/3\njq: 1 compile error\n", exitCode: 3 });
  expect(sh("jq -n '. as [$a] | $a'")).toEqual({ stdout: "", stderr: "jq: error: kubelab's jq does not support destructuring (`as [...]`, `as {...}`)\njq: 1 compile error\n", exitCode: 3 });
  expect(sh("jq -n 'nosuch'")).toEqual({ stdout: "", stderr: "jq: error: nosuch/0 is not defined at <top-level>, line 1:\nnosuch\njq: 1 compile error\n", exitCode: 3 });
  // input_filename (jq 1.6 on this machine: the file, "<stdin>", null with -n)
  expect(sh("jq input_filename pods.json; jq input_filename < pods.json; jq -n input_filename pods.json")).toEqual(out('"pods.json"\n"<stdin>"\nnull\n'));
    // @base64d takes unpadded text but not a character outside the alphabet; a long value is cut as jq cuts it
  expect(sh(`jq -n '"YQ" | @base64d'`)).toEqual(out('"a"\n'));
  expect(sh(`jq -r '.items[0].metadata.name | @base64d' pods.json`)).toEqual({ stdout: "", stderr: 'jq: error (at pods.json:1): string ("web-1") is not valid base64 data\n', exitCode: 5 });
  expect(sh(`jq -n '"web-64f9476978-hl7rc" | @base64d'`)).toEqual({ stdout: "", stderr: 'jq: error (at <unknown>): string ("web-64f947...) is not valid base64 data\n', exitCode: 5 });
});
