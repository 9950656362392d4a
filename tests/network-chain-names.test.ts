// kube-proxy's chain names are upstream's (v1.19 pkg/proxy/iptables/proxier.go portProtoHash,
// servicePortEndpointChainName): prefix + base32(sha256("<ns>/<name>:<port name>" + lower-case protocol
// [+ "<ip>:<port>"]))[:16]. The kube-system and default/kubernetes names below are the ones `iptables -t nat -S`
// prints on every kubeadm cluster; the others were computed with Python's hashlib from the same formula.
import { describe, expect, it } from "vitest";
import { Cluster } from "../engine/index.ts";
import { base32Prefix, sha256 } from "../engine/network/chain-names.ts";

const hex = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, "0")).join("");

describe("SHA-256 (FIPS 180-4 test vectors) and base32 (RFC 4648)", () => {
  it.each([
    ["", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"],
    ["abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"],
    // 56 bytes: the length no longer fits the first block, a second one is padded
    ["abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"],
    // 55 bytes: the longest message that still fits one block
    ["a".repeat(55), "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"],
    ["a".repeat(64), "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"],
    ["a".repeat(200), "c2a908d98f5df987ade41b5fce213067efbcc21ef2240212a41e54b5e7c28ae5"],
    // UTF-8: 2-, 3- and 4-byte characters
    ["é€😀", "df9226927fd572c1ee66eec85de1bb139497614899f36e4e90474cb71f6ef9d0"],
  ])("sha256(%j)", (text, digest) => {
    expect(hex(sha256(text))).toBe(digest);
  });

  it.each([
    // RFC 4648 §10: BASE32("foobar") = "MZXW6YTBOI======"
    ["foobar", 8, "MZXW6YTB"],
    ["foobar", 10, "MZXW6YTBOI"],
    ["f", 2, "MY"],
    ["fo", 4, "MZXQ"],
  ])("base32(%j) starts %j", (text, n, out) => {
    expect(base32Prefix(new TextEncoder().encode(text), n)).toBe(out);
  });
});

describe("chain names in the trace", () => {
  const c = Cluster.create({ seed: 3 });
  c.apply([
    { apiVersion: "v1", kind: "Pod", metadata: { name: "client" }, spec: { nodeName: "node01", containers: [{ name: "demoapp", image: "ikubernetes/demoapp:v1.0" }] } },
  ]);
  c.advance(30);
  const chains = (host: string, port: number, protocol?: "UDP") => {
    const r = c.request({ from: { kind: "pod", pod: "client" }, host, port, protocol });
    return r.trace.map((h) => h.rule).filter((x) => /^KUBE-(SVC|SEP|XLB)-/.test(x));
  };

  it.each([
    ["default/kubernetes:https tcp", "10.96.0.1", 443, undefined, "KUBE-SVC-NPX46M4PTMTKRN6Y"],
    ["kube-system/kube-dns:dns udp", "10.96.0.10", 53, "UDP" as const, "KUBE-SVC-TCOU7JCQXEZGVUNU"],
    ["kube-system/kube-dns:dns-tcp tcp", "10.96.0.10", 53, undefined, "KUBE-SVC-ERIFXISQEP7F7OF4"],
    ["kube-system/kube-dns:metrics tcp", "10.96.0.10", 9153, undefined, "KUBE-SVC-JD5MR3NA4I4DYORP"],
  ])("%s is %s", (_name, host, port, protocol, svc) => {
    expect(chains(host, port, protocol)[0]).toBe(svc);
  });

  it("an endpoint's KUBE-SEP adds its ip:port: default/kubernetes:https tcp 192.168.2.1:6443", () => {
    expect(chains("10.96.0.1", 443)).toEqual(["KUBE-SVC-NPX46M4PTMTKRN6Y", "KUBE-SEP-3JA4IFDMDDHRBSDS"]);
  });

  it("a port renamed in place gets its new chain name", () => {
    const d = Cluster.create({ seed: 3 });
    d.apply([
      { apiVersion: "v1", kind: "Pod", metadata: { name: "one", labels: { app: "one" } }, spec: { nodeName: "node01", containers: [{ name: "demoapp", image: "ikubernetes/demoapp:v1.0" }] } },
      { apiVersion: "v1", kind: "Service", metadata: { name: "one" }, spec: { selector: { app: "one" }, ports: [{ port: 80 }] } },
    ]);
    d.advance(30);
    const ip = (d.get("Service", "one", "default") as { spec: { clusterIP: string } }).spec.clusterIP;
    const svcChain = () => d.request({ from: { kind: "node", node: "node01" }, host: ip }).trace.find((h) => h.rule.startsWith("KUBE-SVC-"))?.rule;
    expect(svcChain()).toBe("KUBE-SVC-TGKQLQKQ6AAZZGQ4"); // default/one:tcp
    d.apply([{ apiVersion: "v1", kind: "Service", metadata: { name: "one" }, spec: { selector: { app: "one" }, ports: [{ name: "web", port: 80 }] } }]);
    d.advance(1);
    expect(svcChain()).toBe("KUBE-SVC-AF3D4K6M76ZYRGW5"); // default/one:webtcp
  });
});
