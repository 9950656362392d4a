// The page's only door to the server: POST /graphql with the student's token. Mutation results are unions of a
// payload and typed errors (`… on Error { message }`); `payload()` turns them into { ok, data } | { ok, error } so
// models keep one `error` signal and components never see GraphQL's shape.

export type ErrorKind =
  /** No token, an expired one, or one the server refused (401). */
  | "auth"
  /** The server could not be reached, or answered something that is not GraphQL (restarting, offline). */
  | "network"
  /** A typed error from a mutation's union: ValidationError, NotFoundError, ConflictError. */
  | "typed"
  /** GraphQL errors (a bad document, a limit, a 413). */
  | "graphql";

export interface ApiError {
  kind: ErrorKind;
  message: string;
  /** ValidationError, NotFoundError, ConflictError… for kind "typed"; the error code otherwise. */
  code?: string;
}

export type Result<T> = { ok: true; data: T } | { ok: false; error: ApiError };

export interface Client {
  /** Runs one document; `data` is the whole `data` object of the answer. */
  request<T>(document: string, variables?: Record<string, unknown>): Promise<Result<T>>;
}

export interface HttpClientOptions {
  endpoint?: string;
  token: () => string | null;
  /** Called when the server refuses the token (the session model shows why and what to do). */
  onAuthError?: (message: string) => void;
  fetch?: typeof fetch;
}

export function createHttpClient(opts: HttpClientOptions): Client {
  const endpoint = opts.endpoint ?? "/graphql";
  const doFetch = opts.fetch ?? ((input, init) => fetch(input, init));
  return {
    async request<T>(document: string, variables?: Record<string, unknown>): Promise<Result<T>> {
      const token = opts.token();
      let res: Response;
      try {
        res = await doFetch(endpoint, {
          method: "POST",
          headers: { "content-type": "application/json", accept: "application/graphql-response+json, application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
          body: JSON.stringify({ query: document, variables }),
        });
      } catch {
        return { ok: false, error: { kind: "network", message: "The lab server cannot be reached." } };
      }
      let body: { data?: T; errors?: { message: string; extensions?: { code?: string } }[] };
      try {
        body = await res.json();
      } catch {
        return { ok: false, error: { kind: "network", message: `The lab server answered ${res.status} ${res.statusText || ""}`.trim() + "." } };
      }
      return resultOf<T>(res.status, body, opts.onAuthError);
    },
  };
}

/** A GraphQL answer (`status`: the HTTP status, 200 for a socket's) as a Result; a refused token calls `onAuthError`. */
export function resultOf<T>(status: number, body: { data?: T | null; errors?: readonly { message: string; extensions?: { code?: unknown } }[] }, onAuthError?: (message: string) => void): Result<T> {
  const first = body.errors?.[0];
  const code = typeof first?.extensions?.code === "string" ? first.extensions.code : undefined;
  if (status === 401 || code === "UNAUTHENTICATED") {
    const message = first?.message ?? "Your sign-in was refused.";
    onAuthError?.(message);
    return { ok: false, error: { kind: "auth", message, code: "UNAUTHENTICATED" } };
  }
  if (first) return { ok: false, error: { kind: "graphql", message: first.message, code } };
  if (!body.data) return { ok: false, error: { kind: "network", message: `The lab server answered ${status} without data.` } };
  return { ok: true, data: body.data };
}

interface Typed {
  __typename?: string;
  message?: string;
}

/** The payload of a union-typed field (`data[field]`), or its typed error. Documents must ask for `__typename`. */
export function payload<P>(r: Result<Record<string, unknown>>, field: string): Result<P> {
  if (!r.ok) return r;
  const v = r.data[field] as (Typed & P) | null | undefined;
  if (v == null) return { ok: false, error: { kind: "graphql", message: `The server returned no ${field}.` } };
  if (v.__typename && v.__typename.endsWith("Error")) return { ok: false, error: { kind: "typed", code: v.__typename, message: v.message ?? v.__typename } };
  return { ok: true, data: v as P };
}

/** The fragment every mutation selects for its errors. */
export const ERROR_FIELDS = `__typename ... on Error { message }`;
