// A PATCH request applied to the live object as a v1.19 apiserver applies it (staging/.../handlers/patch.go), with
// the apiserver's refusals as KubeErrors: one rule for the Kubernetes API's PATCH and the terminal's `kubectl patch`.
//  - strategic (the default of kubectl): the body must decode into a map (Go's syntax and type errors, 400); the
//    merge's own failures (a list item without its merge key, ...) are errors of no known reason (500: kubectl
//    prints `Error from server: <msg>`);
//  - merge: a body that is not JSON is `Invalid JSON Patch` (400);
//  - json: the body must decode into a list of operations (400); an operation that cannot apply is the generic 422
//    whose text the apiserver drops (kubectl prints `The request is invalid`).
import { ClientError, KubeError, badRequest } from "../errors.ts";
import { GoJsonError, checkGoJson, goValueKind, unmarshalGo } from "./go-json.ts";
import { KUBE_MERGE_KEYS, mergePatch, PatchError, strategicMergePatch, type Json } from "./patch.ts";
import { jsonPatch } from "./json-patch.ts";

export type PatchType = "json" | "merge" | "strategic";

/** The Content-Type of each patch type (what kubectl sends, what the API accepts). */
export const PATCH_CONTENT_TYPES: Record<PatchType, string> = {
  json: "application/json-patch+json",
  merge: "application/merge-patch+json",
  strategic: "application/strategic-merge-patch+json",
};

/** The 422 NewGenericServerResponse builds for an operation that cannot apply: no kind, no name, no causes. */
export const REJECTED_PATCH = "the server rejected our request due to an error in our request";

/**
 * `side: "client"` is kubectl's own patching of an object it holds (--local, --dry-run=client: patch.go
 * getPatchedJSON), whose errors are the libraries' texts as they come (`error: invalid JSON document`).
 */
export function patchedObject(live: Json, type: PatchType, body: string, side: "server" | "client" = "server"): Json {
  if (side === "client") return clientPatched(live, type, body);
  try {
    if (type === "json") {
      const ops = decodeOperations(body);
      try {
        return jsonPatch(live, ops);
      } catch (e) {
        if (e instanceof PatchError) throw new KubeError("Invalid", REJECTED_PATCH);
        throw e;
      }
    }
    if (type === "merge") {
      try {
        checkGoJson(body);
      } catch (e) {
        if (e instanceof GoJsonError) throw badRequest("Invalid JSON Patch");
        throw e;
      }
      return mergePatch(live, JSON.parse(body) as Json);
    }
    const patch = unmarshalGo(body, { shape: "map", goType: "map[string]interface {}" }) as Json;
    try {
      return strategicMergePatch(live, patch, KUBE_MERGE_KEYS);
    } catch (e) {
      if (e instanceof PatchError) throw new KubeError("Unknown", e.message);
      throw e;
    }
  } catch (e) {
    if (e instanceof GoJsonError) throw badRequest(e.message);
    throw e;
  }
}

function clientPatched(live: Json, type: PatchType, body: string): Json {
  try {
    if (type === "json") return jsonPatch(live, decodeOperations(body));
    try {
      checkGoJson(body);
    } catch (e) {
      // strategicpatch's handleUnmarshal and jsonpatch.MergePatch replace the decoder's words by their own
      if (e instanceof GoJsonError) throw new ClientError(type === "merge" ? "Invalid JSON Patch" : "invalid JSON document");
      throw e;
    }
    const patch = JSON.parse(body) as Json;
    if (type === "merge") return mergePatch(live, patch);
    if (patch !== null && (typeof patch !== "object" || Array.isArray(patch))) throw new ClientError("invalid JSON document");
    return strategicMergePatch(live, patch ?? {}, KUBE_MERGE_KEYS);
  } catch (e) {
    if (e instanceof GoJsonError || e instanceof PatchError) throw new ClientError(e.message);
    throw e;
  }
}

/** jsonpatch.DecodePatch: a list of operation objects (a null one is an operation with no fields). */
function decodeOperations(body: string): { [k: string]: Json }[] {
  const ops = unmarshalGo(body, { shape: "slice", goType: "jsonpatch.Patch" }) as Json[];
  return ops.map((op) => {
    if (op !== null && (typeof op !== "object" || Array.isArray(op))) throw new GoJsonError(`json: cannot unmarshal ${goValueKind(op)} into Go value of type jsonpatch.Operation`);
    return (op ?? {}) as { [k: string]: Json };
  });
}
