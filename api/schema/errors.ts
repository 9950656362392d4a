// Typed errors: every mutation's result is a union of its payload and these, all implementing `Error`.
import { builder } from "../builder.ts";
import { ConflictError, NotFoundError, ValidationError, type FieldIssue } from "../errors.ts";

export const ErrorInterface = builder.interfaceRef<Error>("Error").implement({
  description: "Something the caller can act on. Query `... on Error { message }` for every error member.",
  fields: (t) => ({ message: t.exposeString("message") }),
});

const FieldIssueRef = builder.objectRef<FieldIssue>("FieldIssue").implement({
  fields: (t) => ({
    field: t.exposeString("field"),
    message: t.exposeString("message"),
  }),
});

builder.objectType(ValidationError, {
  name: "ValidationError",
  description: "The input was not accepted (malformed YAML, an invalid label, a limit, an object the apiserver rejects). Nothing changed.",
  interfaces: [ErrorInterface],
  isTypeOf: (v) => v instanceof ValidationError,
  fields: (t) => ({
    issues: t.field({ type: [FieldIssueRef], resolve: (e) => e.issues }),
    reason: t.string({ nullable: true, description: "The apiserver's Status reason when the engine rejected it (Invalid, BadRequest).", resolve: (e) => e.reason ?? null }),
  }),
});

builder.objectType(NotFoundError, {
  name: "NotFoundError",
  description: "No such thing that you may see. A cluster of someone else's gives exactly this too.",
  interfaces: [ErrorInterface],
  isTypeOf: (v) => v instanceof NotFoundError,
  fields: () => ({}),
});

builder.objectType(ConflictError, {
  name: "ConflictError",
  description: "It already exists, or the cluster kept changing under the mutation: retry.",
  interfaces: [ErrorInterface],
  isTypeOf: (v) => v instanceof ConflictError,
  fields: () => ({}),
});

export const MUTATION_ERRORS = [ValidationError, NotFoundError, ConflictError];
