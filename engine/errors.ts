// Typed errors, shaped like the apiserver's Status errors so the terminal can print them as kubectl does and the
// GraphQL API can map them to typed payload members. Nothing deep in the engine throws a bare string.

/** One field error (apimachinery field.Error): `<field>: <type>: <detail>`. */
export interface FieldError {
  field: string; // e.g. "spec.ports[0].nodePort"
  type: FieldErrorType;
  /** The bad value, already rendered as Go would (%q for strings, bare ints, Go %#v for slices); omitted for Required/Forbidden/TooLong. */
  value?: string;
  detail?: string;
}

export type FieldErrorType =
  | "Required value"
  | "Invalid value"
  | "Unsupported value"
  | "Duplicate value"
  | "Forbidden"
  | "Too many"
  | "Not found"
  | "Too long"
  | "Internal error";

/** `field.Error.Error()` text without the field: the part kubectl prints after `<field>: `. */
export function fieldErrorBody(e: FieldError): string {
  switch (e.type) {
    case "Required value":
    case "Forbidden":
    case "Too long":
    case "Internal error":
      return e.detail ? `${e.type}: ${e.detail}` : e.type;
    default: {
      let s = e.type;
      if (e.value !== undefined) s += `: ${e.value}`;
      if (e.detail) s += `: ${e.detail}`;
      return s;
    }
  }
}

export function formatFieldError(e: FieldError): string {
  return `${e.field}: ${fieldErrorBody(e)}`;
}

/** Go's %q for a plain string (enough for the ASCII values users type). */
export function goQuote(s: string): string {
  return JSON.stringify(s);
}

/** "Unknown" is metav1.StatusReasonUnknown (the empty reason): an error the apiserver has no reason for (500). */
export type StatusReason = "NotFound" | "AlreadyExists" | "Invalid" | "BadRequest" | "Conflict" | "Forbidden" | "MethodNotAllowed" | "InternalError" | "Unknown";

/** The HTTP code a v1.19 apiserver answers with for each reason (pkg/api/errors). */
export const STATUS_CODES: Record<StatusReason, number> = {
  NotFound: 404,
  AlreadyExists: 409,
  Invalid: 422,
  BadRequest: 400,
  Conflict: 409,
  Forbidden: 403,
  MethodNotAllowed: 405,
  InternalError: 500,
  Unknown: 500,
};

/** metav1.StatusDetails without the causes: which object the error is about (`kind` is the resource for NotFound). */
export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
}

function groupResource(qualified: string): StatusDetails {
  const dot = qualified.indexOf(".");
  return dot < 0 ? { kind: qualified } : { group: qualified.slice(dot + 1), kind: qualified.slice(0, dot) };
}

const KIND_GROUPS: Record<string, string> = { Deployment: "apps", ReplicaSet: "apps" };

/** An apiserver-style error. `message` is exactly the text kubectl prints (without the `Error from server` prefix). */
export class KubeError extends Error {
  readonly reason: StatusReason;
  readonly causes: FieldError[];
  /** What the apiserver's Status names in `details` (the API facade serves it). */
  readonly details?: StatusDetails;
  constructor(reason: StatusReason, message: string, causes: FieldError[] = [], details?: StatusDetails) {
    super(message);
    this.name = "KubeError";
    this.reason = reason;
    this.causes = causes;
    if (details) this.details = details;
  }
  get code(): number {
    return STATUS_CODES[this.reason];
  }
  /**
   * The apiserver's Status message for this error — what client-go's StatusError.Error() returns, and so what a
   * command that wraps the error itself prints after its own words (`failed to create deployment: <this>`): for an
   * Invalid error about an object `<Kind>[.<group>] "name" is invalid: <field: body>` (several in brackets,
   * StatusError's NewInvalid); otherwise the message as it is.
   */
  statusMessage(): string {
    if (this.reason !== "Invalid" || !this.details) return this.message;
    const d = this.details;
    const errs = [...new Set(this.causes.map(formatFieldError))];
    const qualifiedKind = d.group ? `${d.kind}.${d.group}` : (d.kind ?? "");
    return `${qualifiedKind} ${JSON.stringify(d.name ?? "")} is invalid: ${errs.length === 1 ? errs[0] : `[${errs.join(", ")}]`}`;
  }
  /** The line(s) kubectl prints for this error (helpers.go StandardErrorMessage / checkErr). */
  kubectlMessage(): string {
    // an Invalid error without details is the apiserver's generic 422: kubectl prints its header alone
    if (this.reason === "Invalid") return this.details ? this.message : "The request is invalid";
    if (this.reason === "Unknown") return `Error from server: ${this.message}`;
    return `Error from server (${this.reason}): ${this.message}`;
  }
}

/** `<resource>[.<group>] "name" not found`, e.g. `services "x" not found`, `deployments.apps "x" not found`. */
export function notFound(qualifiedResource: string, name: string): KubeError {
  return new KubeError("NotFound", `${qualifiedResource} ${goQuote(name)} not found`, [], { name, ...groupResource(qualifiedResource) });
}

export function alreadyExists(qualifiedResource: string, name: string): KubeError {
  return new KubeError("AlreadyExists", `${qualifiedResource} ${goQuote(name)} already exists`, [], { name, ...groupResource(qualifiedResource) });
}

/** apimachinery NewConflict; the cause by default the optimistic-concurrency one (a stale resourceVersion). */
export function conflict(qualifiedResource: string, name: string, cause = "the object has been modified; please apply your changes to the latest version and try again"): KubeError {
  return new KubeError(
    "Conflict",
    `Operation cannot be fulfilled on ${qualifiedResource} ${goQuote(name)}: ${cause}`,
    [],
    { name, ...groupResource(qualifiedResource) },
  );
}

/** apimachinery NewInternalError: `Internal error occurred: <cause>` (e.g. an allocator whose range is full). */
export function internalError(cause: string): KubeError {
  return new KubeError("InternalError", `Internal error occurred: ${cause}`);
}

export function badRequest(message: string): KubeError {
  return new KubeError("BadRequest", message);
}

/**
 * `The Service "x" is invalid: <field>: <body>` for one cause; with several, the header then `* <field>: <body>`
 * lines (duplicates removed), as kubectl's checkErr prints them.
 */
export function invalid(kind: string, name: string, causes: FieldError[]): KubeError {
  const lines = [...new Set(causes.map(formatFieldError))];
  const head = `The ${kind} ${goQuote(name)} is invalid: `;
  const message = lines.length === 1 ? head + lines[0] : head + "\n" + lines.map((l) => `* ${l}`).join("\n");
  const group = KIND_GROUPS[kind];
  return new KubeError("Invalid", message, causes, { name, ...(group ? { group } : {}), kind });
}

/** A client-side error kubectl prints as `error: <msg>` (bad flags, bad manifests, unknown resource types). */
export class ClientError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ClientError";
  }
}
