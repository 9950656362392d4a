// The shell an exec line started in, as its CommandLog row keeps it: in the `replay` column (which exec rows do not
// use otherwise), and only when it was not a fresh shell at the host's home, so most rows stay null. A regrade runs
// the line in the same shell again (`cd manifests` on one line, `kubectl apply -f web.yaml` on the next), and a line
// bash's history expansion changed as the line that ran (`!!` replays as what it was then).
import type { ShellContext } from "../engine/types.ts";

export interface LoggedShell {
  cwd?: string;
  env?: Record<string, string>;
  /** What bash's history expansion made of the line (the line that ran; false: it failed and nothing ran). */
  ran?: string | false;
}

/** A host's home: where a fresh shell starts (a pod's is `/`). */
export const homeOf = (host: string) => (host.startsWith("pod:") ? "/" : "/root");

/**
 * What the row stores for a line run in `shell` on `host`; undefined for a shell no different from a fresh one (its
 * home, or an empty cwd; no variables but a zero `?`, which is what a fresh shell's `$?` says too).
 */
export function shellToLog(shell: ShellContext | undefined, host: string, ran?: string | false): LoggedShell | undefined {
  const out: LoggedShell = {};
  if (shell?.cwd && shell.cwd !== homeOf(host)) out.cwd = shell.cwd;
  const env = Object.fromEntries(Object.entries(shell?.env ?? {}).filter(([k, v]) => !(k === "?" && v === "0")));
  if (Object.keys(env).length) out.env = env;
  if (ran !== undefined) out.ran = ran;
  return out.cwd || out.env || out.ran !== undefined ? out : undefined;
}

/** The shell a logged exec line ran in (nothing for a fresh one, or a row written before shells were kept). */
export function shellFromLog(stored: unknown): LoggedShell {
  if (!stored || typeof stored !== "object" || Array.isArray(stored)) return {};
  const s = stored as Record<string, unknown>;
  const out: LoggedShell = {};
  if (typeof s.cwd === "string") out.cwd = s.cwd;
  if (s.env && typeof s.env === "object" && !Array.isArray(s.env) && Object.values(s.env).every((v) => typeof v === "string")) out.env = s.env as Record<string, string>;
  if (typeof s.ran === "string" || s.ran === false) out.ran = s.ran;
  return out;
}
