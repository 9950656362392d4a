// The stored form of a cluster. Derivable data is left out so a student's cluster stays small in Postgres:
// a pod record's name and namespace (they are its key) and generateName (its ReplicaSet's name), and the subsets
// of Endpoints the endpoints controller owns (recomputed from the pods on load — exactly, since the controller
// resyncs whenever a pod it lists or selects changes).
import type { Endpoints } from "./objects.ts";
import type { ClusterState, PodRec } from "./state.ts";
import { ClientError } from "./errors.ts";
import { structuredCloneJson } from "./apiserver/merge.ts";
import { computeSubsets } from "./controllers/endpoints.ts";

type StoredPod = Omit<PodRec, "name" | "ns" | "generateName" | "owner"> & { generateName?: string; owner?: { name: string; uid: string } };

function managed(st: ClusterState, k: string): boolean {
  const svc = st.services[k];
  return !!svc && !!svc.spec.selector && Object.keys(svc.spec.selector).length > 0 && svc.spec.type !== "ExternalName";
}

export function toStored(st: ClusterState): unknown {
  const out = { ...st } as Record<string, unknown>;
  const pods: Record<string, StoredPod> = {};
  for (const [k, p] of Object.entries(st.pods)) {
    const { name: _n, ns: _ns, generateName, owner, ...rest } = p;
    const sp: StoredPod = { ...rest };
    if (owner) sp.owner = { name: owner.name, uid: owner.uid };
    if (generateName && generateName !== `${owner?.name}-`) sp.generateName = generateName;
    pods[k] = ordered(sp as unknown as Record<string, unknown>) as unknown as StoredPod;
  }
  out.pods = pods;
  const eps: Record<string, Endpoints> = {};
  for (const [k, ep] of Object.entries(st.endpoints)) {
    if (managed(st, k)) {
      const { subsets: _s, ...rest } = ep;
      eps[k] = rest as Endpoints;
    } else eps[k] = ep;
  }
  out.endpoints = eps;
  return structuredCloneJson(out);
}

export function fromStored(json: unknown): ClusterState {
  const raw = (typeof json === "string" ? JSON.parse(json) : structuredCloneJson(json)) as Record<string, unknown>;
  if (!raw || raw.v !== 1 || typeof raw.now !== "number" || !raw.rng || typeof raw.pods !== "object")
    throw new ClientError("not a kubelab cluster state (version 1)");
  const st = raw as unknown as ClusterState;
  const pods: Record<string, PodRec> = {};
  for (const [k, sp] of Object.entries(raw.pods as Record<string, StoredPod>)) {
    const i = k.indexOf("/");
    const rec = { name: k.slice(i + 1), ns: k.slice(0, i), ...sp } as PodRec;
    if (sp.owner) {
      rec.owner = { kind: "ReplicaSet", name: sp.owner.name, uid: sp.owner.uid };
      if (!sp.generateName) rec.generateName = `${sp.owner.name}-`;
    }
    pods[k] = ordered(rec as unknown as Record<string, unknown>) as unknown as PodRec;
  }
  st.pods = pods;
  st.epRV ??= 0;
  st.gone ??= [];
  const byNs = new Map<string, PodRec[]>();
  for (const p of Object.values(pods)) {
    const list = byNs.get(p.ns);
    if (list) list.push(p);
    else byNs.set(p.ns, [p]);
  }
  for (const [k, ep] of Object.entries(st.endpoints)) {
    if (!managed(st, k)) continue;
    const svc = st.services[k];
    const subsets = computeSubsets(st, svc, byNs.get(svc.metadata.namespace!) ?? []);
    const full: Endpoints = { apiVersion: ep.apiVersion, kind: ep.kind, metadata: ep.metadata };
    if (subsets.length) full.subsets = subsets;
    st.endpoints[k] = full;
  }
  return st;
}

const POD_KEYS = ["name", "ns", "uid", "rv", "ct", "generateName", "labels", "annotations", "owner", "spec", "node", "ip", "phase", "start", "ready", "readyAt", "deleting", "unsched", "c", "app"];

/** One key order for pod records whatever path created them, so stored bytes depend only on content. */
function ordered(p: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of POD_KEYS) if (k in p) out[k] = p[k];
  for (const k of Object.keys(p).sort()) if (!(k in out)) out[k] = p[k];
  return out;
}
