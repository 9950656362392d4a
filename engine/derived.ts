// The kinds the engine derives on read instead of storing (node Leases, ServiceAccounts and their token Secrets):
// what get / list / count see of them. They are read-only: the store has no table for them (store.ts tableFor).
import type { AnyObject } from "./objects.ts";
import type { ClusterState } from "./state.ts";
import type { Kind } from "./types.ts";
import { nodeLeases, NODE_LEASE_NAMESPACE } from "./leases.ts";
import { serviceAccounts, tokenSecrets } from "./serviceaccounts.ts";

export type DerivedKind = "Lease" | "ServiceAccount" | "Secret";

export function isDerivedKind(kind: Kind): kind is DerivedKind {
  return kind === "Lease" || kind === "ServiceAccount" || kind === "Secret";
}

/** The objects of a derived kind in one namespace (or all), sorted by namespace and name. */
export function derivedObjects(st: ClusterState, kind: DerivedKind, namespace?: string): AnyObject[] {
  switch (kind) {
    case "Lease":
      return namespace === undefined || namespace === NODE_LEASE_NAMESPACE ? nodeLeases(st) : [];
    case "ServiceAccount":
      return serviceAccounts(st, namespace);
    case "Secret":
      return tokenSecrets(st, namespace);
  }
}
