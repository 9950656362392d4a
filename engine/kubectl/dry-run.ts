// --dry-run, as kubectl v1.19 reads it (cmdutil.AddDryRunFlag, GetDryRunStrategy): "none", "client" (print what would
// be sent, send nothing) or "server" (the apiserver admits, validates and answers, and keeps nothing); a bare
// `--dry-run` and the old boolean values still work with a deprecation warning on stderr, anything else is refused.
import type { Cluster } from "../cluster.ts";
import type { ShellCtx } from "../shell/context.ts";
import type { FlagSpec, Parsed } from "./flags.ts";
import { GO_FALSE, GO_TRUE, str } from "./flags.ts";
import type { Out } from "./output.ts";
import { klogLine } from "./klog.ts";

export type DryRun = "none" | "client" | "server";

/** What a bare `--dry-run` means (pflag's NoOptDefVal): client, with a warning. */
const BARE = "unchanged";

/** The flag every writing command declares. */
export const DRY_RUN_FLAG: FlagSpec = { name: "dry-run", type: "string", noOptDefault: BARE };

/**
 * The command's dry-run strategy, its deprecation warning written to `o` (klog's line, as kubectl prints it); undefined
 * when the value is refused (the error is in `o`: the command stops there).
 */
export function dryRunOf(ctx: ShellCtx, p: Parsed, o: Out): DryRun | undefined {
  const v = str(p, "dry-run") ?? "none";
  if (v === "client" || v === "server" || v === "none") return v;
  if (v === BARE) {
    o.stderr += klogLine(ctx, "W", "helpers.go:553", "--dry-run is deprecated and can be replaced with --dry-run=client.");
    return "client";
  }
  if (GO_TRUE.includes(v)) {
    o.stderr += klogLine(ctx, "W", "helpers.go:567", `--dry-run=${v} is deprecated (boolean value) and can be replaced with --dry-run=client.`);
    return "client";
  }
  if (GO_FALSE.includes(v)) {
    o.stderr += klogLine(ctx, "W", "helpers.go:570", `--dry-run=${v} is deprecated (boolean value) and can be replaced with --dry-run=none.`);
    return "none";
  }
  o.err(`error: Invalid dry-run value (${v}). Must be "none", "server", or "client".`);
  return undefined;
}

/** What a dry run adds to the line that names the object (PrintFlagsWithDryRunStrategy). */
export function dryRunSuffix(d: DryRun): string {
  return d === "client" ? " (dry run)" : d === "server" ? " (server dry run)" : "";
}

/**
 * The cluster a command writes to: the student's, or under a dry run a copy that nothing keeps, made on first use and
 * shared by the command's writes (Cluster.dryRunCopy: a server dry run is admitted, validated and answered there, as
 * the facade's `?dryRun=All` is: api/k8s/write.ts; a client dry run reads only kubectl's own checks from it).
 */
export function writeTarget(ctx: ShellCtx, dry: DryRun): () => Cluster {
  let copy: Cluster | undefined;
  return () => (dry === "none" ? ctx.c : (copy ??= ctx.c.dryRunCopy()));
}

