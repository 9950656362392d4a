// The typed errors mutations return as members of their result unions (`... on Error { message }`), and the
// mapping from the engine's apiserver-style errors to them.
import { ClientError, KubeError, SelectorParseError } from "../engine/index.ts";
import type { FieldError } from "../engine/index.ts";

export interface FieldIssue {
  /** Input field (`yaml`, `set[0].key`) or, for engine validation, the object field (`spec.ports[0].port`). */
  field: string;
  message: string;
}

/** The input is not acceptable: malformed YAML, an invalid label, a limit exceeded, an object the apiserver rejects. */
export class ValidationError extends Error {
  readonly issues: FieldIssue[];
  /** The apiserver's reason when the engine rejected it (Invalid, BadRequest), else undefined. */
  readonly reason?: string;
  constructor(message: string, issues: FieldIssue[] = [], reason?: string) {
    super(message);
    this.name = "ValidationError";
    this.issues = issues;
    this.reason = reason;
  }
}

/** Nothing by that id/name that you may see. A foreign cluster gives exactly the same error as a missing one. */
export class NotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "NotFoundError";
  }
}

/** The object already exists, or the cluster kept changing under us past the retry budget. */
export class ConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConflictError";
  }
}

export function clusterNotFound(id: string): NotFoundError {
  return new NotFoundError(`cluster "${id}" not found`);
}

function fieldIssue(e: FieldError): FieldIssue {
  const body = [e.type, e.value, e.detail].filter((x) => x !== undefined && x !== "").join(": ");
  return { field: e.field, message: body };
}

/** Engine errors -> typed API errors; anything else is rethrown (a bug: masked in production). */
export function fromEngineError(e: unknown, field?: string): Error {
  if (e instanceof ValidationError || e instanceof NotFoundError || e instanceof ConflictError) return e;
  if (e instanceof KubeError) {
    switch (e.reason) {
      case "NotFound":
        return new NotFoundError(e.message);
      case "AlreadyExists":
      case "Conflict":
        return new ConflictError(e.message);
      default:
        return new ValidationError(e.message, e.causes.map(fieldIssue), e.reason);
    }
  }
  if (e instanceof SelectorParseError) return new ValidationError(e.message, [{ field: field ?? "selector", message: e.message }]);
  if (e instanceof ClientError) return new ValidationError(e.message, field ? [{ field, message: e.message }] : []);
  throw e;
}
