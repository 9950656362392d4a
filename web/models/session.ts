// Who is signed in. The token arrives in the URL fragment (`/#token=…`, from `npm run dev`'s URLs or a portal/LMS
// link), is kept in sessionStorage (this tab only) and removed from the address bar. The claims are read (not
// verified: the server does that) to greet the student and to say "expired" before the server has to.
import { computed, signal } from "@preact/signals";

export interface Claims {
  sub: string;
  role: string;
  course?: string;
  name?: string;
  exp?: number;
}

export type SessionState =
  | { status: "signed-in"; token: string; claims: Claims }
  | { status: "none" }
  | { status: "expired"; claims: Claims }
  | { status: "malformed" }
  | { status: "refused"; message: string };

const KEY = "kubelab.token";

/** The payload of a JWT, or null when it is not one. */
export function decodeClaims(token: string): Claims | null {
  const part = token.split(".")[1];
  if (!part) return null;
  try {
    const json = atob(part.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(part.length / 4) * 4, "="));
    const c = JSON.parse(new TextDecoder().decode(Uint8Array.from(json, (ch) => ch.charCodeAt(0))));
    return c && typeof c.sub === "string" ? (c as Claims) : null;
  } catch {
    return null;
  }
}

export function classify(token: string | null, nowSeconds: number): SessionState {
  if (!token) return { status: "none" };
  const claims = decodeClaims(token);
  if (!claims) return { status: "malformed" };
  if (claims.exp !== undefined && claims.exp <= nowSeconds) return { status: "expired", claims };
  return { status: "signed-in", token, claims };
}

/** `#token=…` (also `#access_token=…`) out of a fragment; null when there is none. */
export function tokenFromFragment(hash: string): string | null {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  return params.get("token") ?? params.get("access_token");
}

export interface SessionDeps {
  storage: Pick<Storage, "getItem" | "setItem" | "removeItem">;
  location: { hash: string; pathname: string; search: string };
  replaceUrl: (url: string) => void;
  now: () => number;
}

export function createSessionModel(deps: SessionDeps) {
  const fromUrl = tokenFromFragment(deps.location.hash);
  if (fromUrl) {
    deps.storage.setItem(KEY, fromUrl);
    deps.replaceUrl(deps.location.pathname + deps.location.search);
  }
  const state = signal<SessionState>(classify(deps.storage.getItem(KEY), deps.now() / 1000));
  const token = computed(() => (state.value.status === "signed-in" ? state.value.token : null));
  return {
    state,
    token,
    /** The server refused the token (expired meanwhile, wrong secret, another course's): say so, forget it. */
    refused(message: string) {
      const s = state.peek();
      const claims = s.status === "signed-in" ? s.claims : undefined;
      if (claims?.exp !== undefined && claims.exp <= deps.now() / 1000) state.value = { status: "expired", claims };
      else state.value = { status: "refused", message };
      deps.storage.removeItem(KEY);
    },
    signOut() {
      deps.storage.removeItem(KEY);
      state.value = { status: "none" };
    },
  };
}

export type SessionModel = ReturnType<typeof createSessionModel>;
