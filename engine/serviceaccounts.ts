// Service accounts and their token Secrets, derived on read from the namespaces (never stored): every namespace has
// the `default` ServiceAccount, which the service-account controller creates with the namespace, and the token
// controller's `kubernetes.io/service-account-token` Secret `<account>-token-<5 chars>` (ca.crt, namespace, token).
// kube-system also has the accounts kubeadm v1.19 leaves there: one per kube-controller-manager controller
// (--use-service-account-credentials), and the add-ons' own (kube-proxy, coredns, and flannel's).
// Names, uids and data are a pure function of the namespace's uid, so they stay the same for the cluster's life
// and a namespace made again gets new ones. The ServiceAccount admission plugin's part (the token volume and
// mount every pod gets) is in apiserver/server-defaults.ts and uses tokenSecretName.
import type { Namespace, Secret, ServiceAccount } from "./objects.ts";
import type { ClusterState } from "./state.ts";
import { NAME_ALPHABET } from "./rng.ts";
import { hashUid, mixedHex } from "./hash.ts";
import { encodeBase64 } from "./shell/text/base64.ts";
import { memoize } from "./memo.ts";
import { own, tableValues } from "./state.ts";

/** Where the admission plugin mounts the token (DefaultAPITokenMountPath). */
export const TOKEN_MOUNT_PATH = "/var/run/secrets/kubernetes.io/serviceaccount";
export const TOKEN_SECRET_TYPE = "kubernetes.io/service-account-token";

// kube-controller-manager v1.19's controllers that run with their own credentials in a kubeadm cluster (no cloud
// provider: no route-controller; service-controller's account is made before it finds no cloud), and the add-ons.
const KUBE_SYSTEM_ACCOUNTS = [
  "attachdetach-controller",
  "bootstrap-signer",
  "certificate-controller",
  "clusterrole-aggregation-controller",
  "coredns",
  "cronjob-controller",
  "daemon-set-controller",
  "default",
  "deployment-controller",
  "disruption-controller",
  "endpoint-controller",
  "endpointslice-controller",
  "endpointslicemirroring-controller",
  "expand-controller",
  "flannel",
  "generic-garbage-collector",
  "horizontal-pod-autoscaler",
  "job-controller",
  "kube-proxy",
  "namespace-controller",
  "node-controller",
  "persistent-volume-binder",
  "pod-garbage-collector",
  "pv-protection-controller",
  "pvc-protection-controller",
  "replicaset-controller",
  "replication-controller",
  "resourcequota-controller",
  "service-account-controller",
  "service-controller",
  "statefulset-controller",
  "token-cleaner",
  "ttl-controller",
];

function accountNames(ns: string): readonly string[] {
  return ns === "kube-system" ? KUBE_SYSTEM_ACCOUNTS : ["default"];
}

function namespaceOf(st: ClusterState, ns: string): Namespace | undefined {
  const n = own(st.namespaces, ns);
  return n && n.status?.phase !== "Terminating" ? n : undefined;
}

/** `<account>-token-xxxxx`, the token controller's generated name (five characters of the apiserver's alphabet). */
function tokenName(nsUid: string, account: string): string {
  return `${account}-token-${tokenSuffix(`${nsUid}/${account}`)}`;
}

// (every pod read asks for its token's name: remembered per namespace uid and account)
const tokenSuffix = memoize((key: string) => {
  const h = mixedHex(`sa-token/${key}`, 40);
  let suffix = "";
  for (let i = 0; i < 5; i++) suffix += NAME_ALPHABET[parseInt(h.slice(i * 8, i * 8 + 8), 16) % NAME_ALPHABET.length];
  return suffix;
}, 10_000);

/** The token Secret a pod of `account` in `ns` mounts; undefined when there is no such account. */
export function tokenSecretName(st: ClusterState, ns: string, account: string): string | undefined {
  const n = namespaceOf(st, ns);
  if (!n || !accountNames(ns).includes(account)) return undefined;
  return tokenName(n.metadata.uid, account);
}

function account(n: Namespace, name: string): ServiceAccount {
  const ns = n.metadata.name;
  return {
    apiVersion: "v1",
    kind: "ServiceAccount",
    metadata: {
      name,
      namespace: ns,
      uid: hashUid(`sa/${n.metadata.uid}/${name}`),
      resourceVersion: n.metadata.resourceVersion,
      creationTimestamp: n.metadata.creationTimestamp,
    },
    secrets: [{ name: tokenName(n.metadata.uid, name) }],
  };
}

/** The ServiceAccounts of one namespace, or of all, by namespace and name. */
export function serviceAccounts(st: ClusterState, ns?: string): ServiceAccount[] {
  const out: ServiceAccount[] = [];
  for (const n of namespaces(st, ns)) for (const name of accountNames(n.metadata.name)) out.push(account(n, name));
  return out;
}

/** The token Secrets of one namespace, or of all, by namespace and name. */
export function tokenSecrets(st: ClusterState, ns?: string): Secret[] {
  const out: Secret[] = [];
  for (const n of namespaces(st, ns)) {
    const list = accountNames(n.metadata.name).map((name) => tokenSecret(st, n, account(n, name)));
    out.push(...list.sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1)));
  }
  return out;
}

function namespaces(st: ClusterState, ns: string | undefined): Namespace[] {
  if (ns !== undefined) {
    const n = namespaceOf(st, ns);
    return n ? [n] : [];
  }
  return tableValues(st.namespaces)
    .filter((n) => n.status?.phase !== "Terminating")
    .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
}

function tokenSecret(st: ClusterState, n: Namespace, sa: ServiceAccount): Secret {
  const ns = n.metadata.name;
  const name = sa.secrets![0].name;
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: {
      name,
      namespace: ns,
      uid: hashUid(`secret/${n.metadata.uid}/${name}`),
      resourceVersion: n.metadata.resourceVersion,
      creationTimestamp: n.metadata.creationTimestamp,
      annotations: { "kubernetes.io/service-account.name": sa.metadata.name, "kubernetes.io/service-account.uid": sa.metadata.uid },
    },
    type: TOKEN_SECRET_TYPE,
    data: { "ca.crt": encodeBase64(bytes(clusterCA(st))), namespace: encodeBase64(bytes(ns)), token: encodeBase64(bytes(jwt(st, ns, sa, name))) },
  };
}

function bytes(s: string): number[] {
  return [...new TextEncoder().encode(s)];
}

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** `n` base64 characters drawn from a seed. */
function noise(seed: string, n: number, alphabet = B64): string {
  const h = mixedHex(seed, 2 * n);
  let out = "";
  for (let j = 0; j < n; j++) out += alphabet[parseInt(h.slice(2 * j, 2 * j + 2), 16) % 64];
  return out;
}

/**
 * The cluster CA's certificate as kubeadm makes it (a 747-byte DER, CN=kubernetes: its PEM is 1066 bytes), the same
 * in every token Secret of the cluster. Only its size and shape matter here: nothing in kubelab verifies it.
 */
function clusterCA(st: ClusterState): string {
  const head = "MIIC5zCCAc+gAwIBAgIBADANBgkqhkiG9w0BAQsFADAVMRMwEQYDVQQDEwprdWJlcm5ldGVz";
  const body = head + noise(`ca/${st.seed}/${st.namespaces["kube-system"]?.metadata.uid ?? ""}`, 996 - head.length);
  const lines = body.match(/.{1,64}/g)!;
  return `-----BEGIN CERTIFICATE-----\n${lines.join("\n")}\n-----END CERTIFICATE-----\n`;
}

const B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

function b64url(s: string): string {
  return encodeBase64(bytes(s)).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
}

/** A legacy service-account token as v1.19's token controller signs it (RS256, the claims it writes). */
function jwt(st: ClusterState, ns: string, sa: ServiceAccount, secretName: string): string {
  const kid = noise(`kid/${st.seed}/${st.namespaces["kube-system"]?.metadata.uid ?? ""}`, 43, B64URL);
  const header = JSON.stringify({ alg: "RS256", kid });
  const claims = JSON.stringify({
    iss: "kubernetes/serviceaccount",
    "kubernetes.io/serviceaccount/namespace": ns,
    "kubernetes.io/serviceaccount/secret.name": secretName,
    "kubernetes.io/serviceaccount/service-account.name": sa.metadata.name,
    "kubernetes.io/serviceaccount/service-account.uid": sa.metadata.uid,
    sub: `system:serviceaccount:${ns}:${sa.metadata.name}`,
  });
  return `${b64url(header)}.${b64url(claims)}.${noise(`sig/${sa.metadata.uid}`, 342, B64URL)}`;
}
