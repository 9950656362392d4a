// metav1.Status bodies, rendered in one place: every error the facade answers with is a StatusError (reason, code,
// message, details), built from the engine's KubeError or from the facade's own checks, in the words and key order
// of a v1.19 apiserver (pkg/api/errors).
import { KubeError, fieldErrorBody, type FieldError, type StatusDetails } from "../../engine/errors.ts";

export type Reason =
  | "NotFound"
  | "AlreadyExists"
  | "Invalid"
  | "BadRequest"
  | "Conflict"
  | "Forbidden"
  | "MethodNotAllowed"
  | "Unauthorized"
  | "UnsupportedMediaType"
  | "NotAcceptable"
  | "RequestEntityTooLarge"
  | "InternalError";

export interface StatusCause {
  reason: string;
  message: string;
  field: string;
}

export class StatusError extends Error {
  constructor(
    readonly code: number,
    readonly reason: Reason | "",
    message: string,
    readonly details?: StatusDetails & { causes?: StatusCause[] },
  ) {
    super(message);
  }
}

const CAUSE_TYPES: Record<FieldError["type"], string> = {
  "Required value": "FieldValueRequired",
  "Invalid value": "FieldValueInvalid",
  "Unsupported value": "FieldValueNotSupported",
  "Duplicate value": "FieldValueDuplicate",
  Forbidden: "FieldValueForbidden",
  "Too many": "FieldValueTooMany",
  "Not found": "FieldValueNotFound",
  "Too long": "FieldValueTooLong",
  "Internal error": "InternalError",
};

/** The apiserver's view of an engine error: the Invalid message is the server's (`Service "x" is invalid: …`). */
export function fromKubeError(e: KubeError): StatusError {
  const d = e.details ?? {};
  if (e.reason === "Unknown") return new StatusError(500, "", e.message);
  if (e.reason === "Invalid" && !e.details) return new StatusError(422, "Invalid", e.message, {});
  if (e.reason === "Invalid") {
    const causes = e.causes.map((c) => ({ reason: CAUSE_TYPES[c.type], message: fieldErrorBody(c), field: c.field }));
    return new StatusError(422, "Invalid", e.statusMessage(), { ...d, causes });
  }
  return new StatusError(e.code, e.reason, e.message, e.details);
}

export const notFoundPath = () => new StatusError(404, "NotFound", "the server could not find the requested resource", {});
export const badRequest = (message: string) => new StatusError(400, "BadRequest", message);
export const methodNotAllowed = () => new StatusError(405, "MethodNotAllowed", "the server does not allow this method on the requested resource", {});
export const unauthorized = () => new StatusError(401, "Unauthorized", "Unauthorized");
export const forbidden = () => new StatusError(403, "Forbidden", "forbidden: this token does not give access to this cluster");

/** The JSON body, keys in the apiserver's order. */
export function statusBody(e: StatusError): Record<string, unknown> {
  const body: Record<string, unknown> = { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: e.message };
  if (e.reason) body.reason = e.reason;
  if (e.details) {
    const { name, group, kind, causes } = e.details;
    const det: Record<string, unknown> = {};
    if (name) det.name = name;
    if (group) det.group = group;
    if (kind) det.kind = kind;
    if (causes?.length) det.causes = causes;
    body.details = det;
  }
  body.code = e.code;
  return body;
}

export function statusResponse(e: StatusError): Response {
  return new Response(JSON.stringify(statusBody(e)) + "\n", { status: e.code, headers: { "content-type": "application/json" } });
}

/** A success Status (delete of a pod returns the object; of others v1.19 returns this). */
export function successStatus(details: StatusDetails & { uid?: string }): Record<string, unknown> {
  return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", details, };
}

export function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body) + "\n", { status, headers: { "content-type": "application/json" } });
}
