// Node heartbeats and service accounts as a student sees them through the terminal, as kubectl v1.19 prints them:
// the kubelet's Lease per node in kube-node-lease (renewed every 10 s of virtual time, derived rather than stored),
// describe node's Lease section from it; every namespace's `default` ServiceAccount and its token Secret, and the
// token volume and mount the ServiceAccount admission plugin gives every pod (kube-system's add-ons use their own
// accounts, static pods none). The real-kubectl comparison of the same pages is in kubectl-fidelity.test.ts.
import { describe, expect, it } from "vitest";
import { Cluster } from "../engine/index.ts";

const START = Date.parse("2021-12-05T16:00:00Z") / 1000; // the default topology's clock start
const SUFFIX = "[bcdfghjklmnpqrstvwxz2456789]{5}"; // the apiserver's generated-name alphabet

function run(c: Cluster, line: string, stdin?: string): string {
  const r = c.exec(line, { stdin });
  expect(r.exitCode, `${line}: ${r.stderr}`).toBe(0);
  return r.stdout;
}

/** RFC1123Z as describe prints times (`Sun, 05 Dec 2021 16:00:20 +0000`). */
function rfc1123z(epoch: number): string {
  const d = new Date(epoch * 1000);
  const days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
  const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  const p = (n: number) => String(n).padStart(2, "0");
  return `${days[d.getUTCDay()]}, ${p(d.getUTCDate())} ${months[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

describe("node Leases in kube-node-lease", () => {
  it("get ns lists kube-node-lease; get leases prints v1.19's NAME HOLDER AGE, one per node, held by it", () => {
    const c = Cluster.create({ seed: 7 });
    expect(run(c, "kubectl get ns")).toMatch(/^kube-node-lease +Active +10d$/m);
    expect(run(c, "kubectl get leases -n kube-node-lease")).toBe(
      "NAME       HOLDER     AGE\nmaster01   master01   10d\nnode01     node01     10d\nnode02     node02     10d\n",
    );
    expect(run(c, "kubectl get leases")).toBe("");
    expect(c.exec("kubectl get leases").stderr).toBe("No resources found in default namespace.\n");
    const miss = c.exec("kubectl get lease nosuch -n kube-node-lease");
    expect([miss.exitCode, miss.stderr]).toEqual([1, 'Error from server (NotFound): leases.coordination.k8s.io "nosuch" not found\n']);
  });

  it("the kubelet's object: holder, 40 s duration, renewTime a MicroTime on the 10 s tick, owned by the Node; renewed as the clock runs", () => {
    const c = Cluster.create({ seed: 7 });
    const nodeUid = run(c, "kubectl get node node01 -o jsonpath={.metadata.uid}");
    const yaml = run(c, "kubectl get lease node01 -n kube-node-lease -o yaml");
    const renew = /renewTime: "(2021-12-05T16:00:00)\.(\d{6})Z"\n/.exec(yaml);
    expect(renew, yaml).not.toBeNull();
    expect(yaml).toContain("spec:\n  holderIdentity: node01\n  leaseDurationSeconds: 40\n  renewTime:");
    expect(yaml).toContain(`  ownerReferences:\n  - apiVersion: v1\n    kind: Node\n    name: node01\n    uid: ${nodeUid}\n`);
    expect(yaml).not.toContain("acquireTime");
    expect(yaml).toContain('  creationTimestamp: "2021-11-25T16:00:00Z"\n  name: node01\n  namespace: kube-node-lease\n');
    const rv0 = Number(run(c, "kubectl get lease node01 -n kube-node-lease -o jsonpath={.metadata.resourceVersion}"));
    run(c, "sleep 25");
    const renewed = run(c, "kubectl get lease node01 -n kube-node-lease -o jsonpath={.spec.renewTime}");
    // two renewals later (16:00:10, 16:00:20), the same sub-second phase
    expect(renewed).toBe(`2021-12-05T16:00:20.${renew![2]}Z`);
    expect(Number(run(c, "kubectl get lease node01 -n kube-node-lease -o jsonpath={.metadata.resourceVersion}"))).toBe(rv0 + 2);
    run(c, "sleep 4");
    expect(run(c, "kubectl get lease node01 -n kube-node-lease -o jsonpath={.spec.renewTime}")).toBe(renewed);
  });

  it("describe node prints the Lease section from the Lease (AcquireTime unset, RenewTime live); describe lease is kubectl's generic page", () => {
    const c = Cluster.create({ seed: 7 });
    run(c, "sleep 95");
    const section = (node: string) => /\nLease:\n(  .*\n){3}/.exec(run(c, `kubectl describe node ${node}`))?.[0];
    expect(section("node02")).toBe(`\nLease:\n  HolderIdentity:  node02\n  AcquireTime:     <unset>\n  RenewTime:       ${rfc1123z(START + 90)}\n`);
    const lease = JSON.parse(run(c, "kubectl get lease node02 -n kube-node-lease -o json"));
    expect(run(c, "kubectl describe lease node02 -n kube-node-lease")).toBe(
      [
        "Name:         node02",
        "Namespace:    kube-node-lease",
        "Labels:       <none>",
        "Annotations:  <none>",
        "API Version:  coordination.k8s.io/v1",
        "Kind:         Lease",
        "Metadata:",
        "  Creation Timestamp:  2021-11-25T16:00:00Z",
        "  Owner References:",
        "    API Version:     v1",
        "    Kind:            Node",
        "    Name:            node02",
        `    UID:             ${lease.metadata.ownerReferences[0].uid}`,
        `  Resource Version:  ${lease.metadata.resourceVersion}`,
        `  UID:               ${lease.metadata.uid}`,
        "Spec:",
        "  Holder Identity:         node02",
        "  Lease Duration Seconds:  40",
        `  Renew Time:              ${lease.spec.renewTime}`,
        "Events:                    <none>",
        "",
      ].join("\n"),
    );
  });

  it("Leases, service accounts and tokens are derived: the stored cluster holds none of them and does not grow with time", () => {
    const c = Cluster.create({ seed: 7 });
    const before = c.toJSONText();
    run(c, "sleep 3600");
    const after = c.toJSONText();
    expect(after.length).toBe(before.length);
    expect(after.length).toBeLessThanOrEqual(8192);
    for (const text of ["renewTime", "holderIdentity", "-token-", "ServiceAccount"]) expect(after).not.toContain(text);
    // and a reloaded cluster serves the same objects
    const back = Cluster.fromJSON(c.toJSON());
    for (const cmd of ["kubectl get lease -n kube-node-lease -o yaml", "kubectl get sa,secrets -A -o yaml", "kubectl get pods -A -o yaml"]) expect(run(back, cmd)).toBe(run(c, cmd));
  });
});

describe("service accounts and their token Secrets", () => {
  it("get sa, get secrets (v1.19 columns): default and default-token-xxxxx in every namespace, kube-system's own accounts", () => {
    const c = Cluster.create({ seed: 7 });
    expect(run(c, "kubectl get sa")).toBe("NAME      SECRETS   AGE\ndefault   1         10d\n");
    const secrets = run(c, "kubectl get secrets");
    expect(secrets).toMatch(new RegExp(`^NAME                  TYPE                                  DATA   AGE\ndefault-token-${SUFFIX}   kubernetes.io/service-account-token   3      10d\n$`));
    const sys = run(c, "kubectl get sa -n kube-system -o name").trim().split("\n");
    for (const sa of ["default", "kube-proxy", "coredns", "flannel", "replicaset-controller", "endpoint-controller"]) expect(sys).toContain(`serviceaccount/${sa}`);
    // one token per account, each naming its account
    const tokens = JSON.parse(run(c, "kubectl get secrets -n kube-system -o json")).items;
    expect(tokens).toHaveLength(sys.length);
    for (const t of tokens) expect(t.metadata.name).toMatch(new RegExp(`^${t.metadata.annotations["kubernetes.io/service-account.name"]}-token-${SUFFIX}$`));
    // names differ between namespaces (the suffix is drawn per namespace and account)
    const names = JSON.parse(run(c, "kubectl get secrets -A -o json")).items.map((s: { metadata: { name: string } }) => s.metadata.name.slice(-5));
    expect(new Set(names).size).toBe(names.length);
  });

  it("-o yaml: the account lists its token; the Secret carries ca.crt, namespace and a token for the account, base64", () => {
    const c = Cluster.create({ seed: 7 });
    const sa = JSON.parse(run(c, "kubectl get sa default -o json"));
    const name = sa.secrets[0].name as string;
    expect(run(c, "kubectl get sa default -o yaml")).toBe(
      `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  creationTimestamp: "2021-11-25T16:00:00Z"\n  name: default\n  namespace: default\n  resourceVersion: "${sa.metadata.resourceVersion}"\n  uid: ${sa.metadata.uid}\nsecrets:\n- name: ${name}\n`,
    );
    const secret = JSON.parse(run(c, `kubectl get secret ${name} -o json`));
    expect(secret.type).toBe("kubernetes.io/service-account-token");
    expect(secret.metadata.annotations).toEqual({ "kubernetes.io/service-account.name": "default", "kubernetes.io/service-account.uid": sa.metadata.uid });
    const data = Object.fromEntries(Object.entries(secret.data as Record<string, string>).map(([k, v]) => [k, Buffer.from(v, "base64").toString("utf8")]));
    expect(Object.keys(data)).toEqual(["ca.crt", "namespace", "token"]);
    expect(data.namespace).toBe("default");
    expect(data["ca.crt"]).toMatch(/^-----BEGIN CERTIFICATE-----\n([A-Za-z0-9+/]{64}\n){15}[A-Za-z0-9+/]{36}\n-----END CERTIFICATE-----\n$/);
    expect(data["ca.crt"]).toHaveLength(1066);
    const [header, claims] = data.token.split(".").slice(0, 2).map((p) => JSON.parse(Buffer.from(p, "base64url").toString("utf8")) as Record<string, string>);
    expect(header.alg).toBe("RS256");
    expect(claims).toEqual({
      iss: "kubernetes/serviceaccount",
      "kubernetes.io/serviceaccount/namespace": "default",
      "kubernetes.io/serviceaccount/secret.name": name,
      "kubernetes.io/serviceaccount/service-account.name": "default",
      "kubernetes.io/serviceaccount/service-account.uid": sa.metadata.uid,
      sub: "system:serviceaccount:default:default",
    });
    // the same CA in every namespace's token
    const sys = JSON.parse(run(c, "kubectl get secrets -n kube-system -o json")).items[0];
    expect(sys.data["ca.crt"]).toBe(secret.data["ca.crt"]);
  });

  it("describe sa and describe secret as v1.19 prints them (the token itself, sizes of the rest)", () => {
    const c = Cluster.create({ seed: 7 });
    const name = run(c, "kubectl get sa default -o jsonpath={.secrets[0].name}");
    expect(run(c, "kubectl describe sa default")).toBe(
      [
        "Name:                default",
        "Namespace:           default",
        "Labels:              <none>",
        "Annotations:         <none>",
        "Image pull secrets:  <none>",
        `Mountable secrets:   ${name}`,
        `Tokens:              ${name}`,
        "Events:              <none>",
        "",
      ].join("\n"),
    );
    const uid = run(c, "kubectl get sa default -o jsonpath={.metadata.uid}");
    const token = Buffer.from(run(c, `kubectl get secret ${name} -o jsonpath={.data.token}`), "base64").toString("utf8");
    expect(run(c, `kubectl describe secret ${name}`)).toBe(
      [
        `Name:         ${name}`,
        "Namespace:    default",
        "Labels:       <none>",
        "Annotations:  kubernetes.io/service-account.name: default",
        `              kubernetes.io/service-account.uid: ${uid}`,
        "",
        "Type:  kubernetes.io/service-account-token",
        "",
        "Data",
        "====",
        "ca.crt:     1066 bytes",
        "namespace:  7 bytes",
        `token:      ${token}`,
        "",
      ].join("\n"),
    );
  });

  it("a new namespace gets its default account and token, gone with it; made again, it gets a new token", () => {
    const c = Cluster.create({ seed: 7 });
    run(c, "kubectl create namespace dev");
    expect(run(c, "kubectl get sa -n dev")).toBe("NAME      SECRETS   AGE\ndefault   1         0s\n");
    const first = run(c, "kubectl get secrets -n dev -o name");
    expect(first).toMatch(new RegExp(`^secret/default-token-${SUFFIX}\n$`));
    expect(first).not.toBe(run(c, "kubectl get secrets -o name"));
    run(c, "kubectl delete namespace dev");
    expect(c.exec("kubectl get sa,secrets -n dev").stderr).toBe("No resources found in dev namespace.\n");
    run(c, "kubectl create namespace dev");
    expect(run(c, "kubectl get secrets -n dev -o name")).not.toBe(first);
  });

  it("they are read-only here: deleting, labelling or applying one is refused and changes nothing", () => {
    const c = Cluster.create({ seed: 7 });
    const before = c.toJSONText();
    for (const [line, stdin] of [
      ["kubectl delete sa default"],
      ["kubectl label secret --all a=b"],
      ["kubectl delete lease node01 -n kube-node-lease"],
      ["kubectl apply -f -", "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: robot\n"],
    ] as [string, string?][]) {
      const r = c.exec(line, { stdin });
      expect(r.exitCode, line).toBe(1);
      expect(r.stderr, line).toBe("Error from server (MethodNotAllowed): the server does not allow this method on the requested resource\n");
    }
    expect(c.toJSONText()).toBe(before);
    expect(run(c, "kubectl get sa")).toContain("default");
  });
});

describe("the token every pod mounts (ServiceAccount admission, v1.19)", () => {
  it("a Deployment's pods: serviceAccountName default, the token volume (defaultMode 420) and a read-only mount, in -o yaml and describe", () => {
    const c = Cluster.create({ seed: 7 });
    run(c, "kubectl create deployment demoapp --image=ikubernetes/demoapp:v1.0 --replicas=1");
    run(c, "sleep 20");
    const token = run(c, "kubectl get sa default -o jsonpath={.secrets[0].name}");
    const pod = run(c, "kubectl get pods -o name").trim();
    const yaml = run(c, `kubectl get ${pod} -o yaml`);
    expect(yaml).toContain(`    volumeMounts:\n    - mountPath: /var/run/secrets/kubernetes.io/serviceaccount\n      name: ${token}\n      readOnly: true\n`);
    expect(yaml).toContain(`  volumes:\n  - name: ${token}\n    secret:\n      defaultMode: 420\n      secretName: ${token}\n`);
    expect(yaml).toContain("  serviceAccount: default\n  serviceAccountName: default\n");
    const text = run(c, `kubectl describe ${pod}`);
    expect(text).toContain(`    Mounts:\n      /var/run/secrets/kubernetes.io/serviceaccount from ${token} (ro)\nConditions:\n`);
    expect(text).toContain(`Volumes:\n  ${token}:\n    Type:        Secret (a volume populated by a Secret)\n    SecretName:  ${token}\n    Optional:    false\nQoS Class:       BestEffort\n`);
    // the template is not admitted: the Deployment and its ReplicaSet show no token
    expect(run(c, "kubectl get deploy demoapp -o yaml")).not.toContain("volumes");
    expect(run(c, "kubectl describe deploy demoapp")).toContain("    Mounts:       <none>\n  Volumes:        <none>\n");
  });

  it("a pod's own volumes and mounts come first; automountServiceAccountToken: false gets none; another namespace mounts its own token", () => {
    const c = Cluster.create({ seed: 7 });
    run(c, "kubectl create namespace dev");
    const pods = `apiVersion: v1
kind: Pod
metadata:
  name: withdata
spec:
  containers:
  - name: c
    image: ikubernetes/demoapp:v1.0
    volumeMounts:
    - name: data
      mountPath: /data
  volumes:
  - name: data
    emptyDir: {}
---
apiVersion: v1
kind: Pod
metadata:
  name: notoken
spec:
  automountServiceAccountToken: false
  containers:
  - name: c
    image: ikubernetes/demoapp:v1.0
---
apiVersion: v1
kind: Pod
metadata:
  name: elsewhere
  namespace: dev
spec:
  containers:
  - name: c
    image: ikubernetes/demoapp:v1.0
`;
    run(c, "kubectl apply -f -", pods);
    run(c, "sleep 20");
    const token = run(c, "kubectl get sa default -o jsonpath={.secrets[0].name}");
    const text = run(c, "kubectl describe pod withdata");
    expect(text).toContain(`    Mounts:\n      /data from data (rw)\n      /var/run/secrets/kubernetes.io/serviceaccount from ${token} (ro)\n`);
    expect(text).toContain(
      `Volumes:\n  data:\n    Type:       EmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:     \n    SizeLimit:  <unset>\n  ${token}:\n    Type:        Secret (a volume populated by a Secret)\n`,
    );
    expect(run(c, "kubectl get pod notoken -o jsonpath={.spec.volumes}")).toBe("");
    expect(run(c, "kubectl describe pod notoken")).toContain("    Mounts:         <none>\n");
    const dev = run(c, "kubectl get sa default -n dev -o jsonpath={.secrets[0].name}");
    expect(dev).not.toBe(token);
    expect(run(c, "kubectl get pod elsewhere -n dev -o jsonpath={.spec.volumes[0].secret.secretName}")).toBe(dev);
  });

  it("a pod written back with its token (-o yaml, then apply) keeps one volume and one mount; recreated from that file too", () => {
    const c = Cluster.create({ seed: 7 });
    run(c, "kubectl run web --image=ikubernetes/demoapp:v1.0");
    run(c, "sleep 20");
    run(c, "kubectl get pod web -o yaml > web.yaml");
    expect(run(c, "kubectl apply -f web.yaml")).toMatch(/^pod\/web (configured|unchanged)\n$/);
    run(c, "kubectl label pod web tier=front");
    const volumes = () => JSON.parse(run(c, "kubectl get pod web -o json")).spec;
    expect(volumes().volumes).toHaveLength(1);
    expect(volumes().containers[0].volumeMounts).toHaveLength(1);
    run(c, "kubectl delete pod web --now");
    run(c, "kubectl apply -f web.yaml");
    expect(volumes().volumes).toHaveLength(1);
    expect(volumes().containers[0].volumeMounts).toHaveLength(1);
  });

  it("kube-system: kube-proxy, flannel and coredns mount their own accounts' tokens; static (mirror) pods get no account at all", () => {
    const c = Cluster.create({ seed: 7 });
    const pods = JSON.parse(run(c, "kubectl get pods -n kube-system -o json")).items as { metadata: { name: string }; spec: Record<string, unknown> & { volumes?: { secret?: { secretName: string } }[]; initContainers?: { volumeMounts?: unknown[] }[] } }[];
    const token = (sa: string) => run(c, `kubectl get sa ${sa} -n kube-system -o jsonpath={.secrets[0].name}`);
    for (const [prefix, sa] of [["kube-proxy-", "kube-proxy"], ["kube-flannel-ds-", "flannel"], ["coredns-", "coredns"]]) {
      const mine = pods.filter((p) => p.metadata.name.startsWith(prefix));
      expect(mine.length).toBeGreaterThan(0);
      for (const p of mine) {
        expect(p.spec.serviceAccountName).toBe(sa);
        // after the add-on's own volumes (kubeadm's and flannel's manifests), the token
        expect(p.spec.volumes?.at(-1)?.secret?.secretName).toBe(token(sa));
        expect(p.spec.volumes?.filter((v) => v.secret)).toHaveLength(1);
      }
    }
    // flannel's init container (install-cni) mounts it too, as the plugin does for init containers
    expect(pods.find((p) => p.metadata.name.startsWith("kube-flannel-ds-"))!.spec.initContainers![0].volumeMounts).toEqual([
      { name: "cni", mountPath: "/etc/cni/net.d" },
      { name: "flannel-cfg", mountPath: "/etc/kube-flannel/" },
      { name: token("flannel"), readOnly: true, mountPath: "/var/run/secrets/kubernetes.io/serviceaccount" },
    ]);
    const proxy = pods.find((p) => p.metadata.name.startsWith("kube-proxy-"))!.metadata.name;
    expect(run(c, `kubectl describe pod ${proxy} -n kube-system`)).toContain(
      `    Mounts:\n      /lib/modules from lib-modules (ro)\n      /run/xtables.lock from xtables-lock (rw)\n      /var/lib/kube-proxy from kube-proxy (rw)\n      /var/run/secrets/kubernetes.io/serviceaccount from ${token("kube-proxy")} (ro)\n`,
    );
    const etcd = pods.find((p) => p.metadata.name === "etcd-master01")!;
    expect([etcd.spec.serviceAccountName, etcd.spec.volumes]).toEqual([undefined, undefined]);
    const text = run(c, "kubectl describe pod etcd-master01 -n kube-system");
    expect(text).toContain("    Mounts:         <none>\n");
    // the Priority plugin resolves the system classes
    expect(text).toMatch(/^Priority:\s+2000001000\nPriority Class Name:\s+system-node-critical\n/m);
    expect(run(c, `kubectl describe pod ${pods.find((p) => p.metadata.name.startsWith("coredns-"))!.metadata.name} -n kube-system`)).toMatch(/^Priority:\s+2000000000\n/m);
  });
});
