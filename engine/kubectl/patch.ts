// kubectl patch (the real client's pkg/cmd/patch/patch.go as of v1.19.4 — v1.20 added `--patch-file` and its own
// message for a missing patch; where the two differ v1.19.4 is followed): `TYPE NAME…`, `TYPE/NAME…` or `-f FILE`,
// with `-p PATCH` (a required flag) in JSON or YAML and `--type strategic` (the default) | `merge` | `json`. The server side is the
// Kubernetes API's own PATCH rule (engine/apiserver/patch-request.ts), so the terminal and a real kubectl through the
// API print the same refusals; the result replaces the live object as the field manager `kubectl-patch`, and a
// patch that changes nothing writes nothing (`patched (no change)`). `--local` (with -f) and `--dry-run=client`
// patch on the client side and write nothing, as does `--dry-run=server`; `-o name|yaml|json|jsonpath=…` prints
// the object instead of the message.
import type { AnyObject } from "../objects.ts";
import type { ResourceInfo } from "../resources.ts";
import { RESOURCES } from "../resources.ts";
import type { ShellCtx } from "../shell/context.ts";
import { ClientError, KubeError, conflict } from "../errors.ts";
import { canonicalJSON } from "../hash.ts";
import { parseManifest } from "../apiserver/manifest.ts";
import { loadYamlDocuments, YamlSyntaxError } from "../apiserver/yaml.ts";
import type { Json } from "../apiserver/patch.ts";
import { patchedObject, type PatchType } from "../apiserver/patch-request.ts";
import { bool, namespaceOf, str, strs } from "./flags.ts";
import { type Sub, flagsOrUsage, isResult } from "./command.ts";
import { readSources } from "./files.ts";
import { Out, errorText, isKnownError, printWritten, writeOutputRefusal } from "./output.ts";
import { NO_RESOURCE_ARGS, namedRefs, parseResourceArgs } from "./targets.ts";
import { DRY_RUN_FLAG, dryRunOf, writeTarget } from "./dry-run.ts";

const PATCH_TYPES: readonly PatchType[] = ["json", "merge", "strategic"];

/** One object to patch: where it lives, and (with --local) the object itself, read from its file. */
interface PatchTarget {
  res: ResourceInfo;
  name: string;
  ns: string | undefined;
  local?: AnyObject;
}

export const patch: Sub = (ctx, argv, stdin) => {
  const p = flagsOrUsage("patch", argv, [
    { name: "patch", short: "p", type: "string", required: true },
    { name: "type", type: "string" },
    { name: "filename", short: "f", type: "strings" },
    { name: "local", type: "bool" },
    DRY_RUN_FLAG,
    { name: "output", short: "o", type: "string" },
    { name: "field-manager", type: "string" },
    { name: "record", type: "bool" },
    { name: "recursive", short: "R", type: "bool" },
  ]);
  if (isResult(p)) return p;
  const o = new Out();
  const fail = (msg: string) => (o.err(msg), o.result());
  // Complete (output, --dry-run), then Validate, in patch.go's order
  const output = str(p, "output") ?? "";
  const refusal = writeOutputRefusal(output);
  if (refusal) return fail(refusal);
  const dry = dryRunOf(ctx, p, o);
  if (!dry) return o.result();
  const local = bool(p, "local");
  if (local && p.args.length) return fail("error: cannot specify --local and server resources");
  if (local && dry === "server") return fail("error: cannot specify --local and --dry-run=server - did you mean --dry-run=client?");
  const given = str(p, "patch") ?? "";
  if (given === "") return fail("error: must specify -p to patch");
  const type = (str(p, "type") ?? "strategic").toLowerCase();
  if (!(PATCH_TYPES as readonly string[]).includes(type)) return fail(`error: --type must be one of [${PATCH_TYPES.join(" ")}], not ${JSON.stringify(str(p, "type"))}`);
  const body = patchBody(given);
  if (body instanceof ClientError) return fail(errorText(body));

  const ns = namespaceOf(p);
  const targets = patchTargets(ctx, p.args, strs(p, "filename"), ns, local, stdin, o);
  if (!targets) return o.result();
  const manager = str(p, "field-manager") ?? "kubectl-patch";
  const target = writeTarget(ctx, dry);
  for (const t of targets) {
    try {
      const before = t.local ?? ctx.c.get(t.res.kind, t.name, t.ns);
      const after = applyPatch(type as PatchType, before, body, t, local || dry === "client" ? "client" : "server");
      const changed = canonicalJSON(after) !== canonicalJSON(before);
      let shown: AnyObject = after;
      if (changed && !local && dry !== "client") {
        // a server dry run is admitted and answered on a copy that nothing keeps, with the live resourceVersion
        const on = target();
        on.replace(after as unknown as Record<string, unknown>, { manager });
        shown = on.get(t.res.kind, t.name, t.ns);
        if (dry === "server") shown.metadata.resourceVersion = before.metadata.resourceVersion;
      }
      // the object as kubectl decodes the answer (unstructured: keys sorted)
      printWritten(o, output, shown, `${t.res.printName}/${t.name}`, `${t.res.printName}/${t.name} ${changed ? "patched" : "patched (no change)"}`);
    } catch (e) {
      if (!isKnownError(e)) throw e;
      o.err(errorText(e));
    }
  }
  return o.result();
};

/** apimachinery's yaml.ToJSON of the -p text: text that starts like a JSON object goes as it is, YAML (its first
 * document) becomes JSON. */
function patchBody(text: string): string | ClientError {
  if (text.trimStart().startsWith("{")) return text;
  try {
    for (const v of loadYamlDocuments(text)) return JSON.stringify(v ?? null);
    return "null";
  } catch (e) {
    if (e instanceof YamlSyntaxError) return new ClientError(`unable to parse ${JSON.stringify(text)}: yaml: ${e.message}`);
    throw e;
  }
}

/** The objects named by the arguments or the files (the files' own objects with --local); undefined after an error. */
function patchTargets(ctx: ShellCtx, args: string[], files: string[], ns: string, local: boolean, stdin: string | undefined, o: Out): PatchTarget[] | undefined {
  const targets: PatchTarget[] = [];
  if (files.length) {
    const sources = readSources(ctx, files, stdin, o);
    if (!sources) return undefined;
    for (const s of sources) {
      try {
        for (const d of parseManifest(s.text, s.source)) {
          const res = RESOURCES.find((x) => x.kind === d.obj.kind);
          const meta = (d.obj.metadata ?? {}) as { name?: string; namespace?: string };
          if (!res || !meta.name) {
            o.err(`error: unable to recognize "${s.source}": no matches for kind "${String(d.obj.kind)}" in version "${String(d.obj.apiVersion)}"`);
            return undefined;
          }
          const tns = res.namespaced ? (meta.namespace ?? ns) : undefined;
          targets.push({ res, name: meta.name, ns: tns, ...(local ? { local: d.obj as unknown as AnyObject } : {}) });
        }
      } catch (e) {
        if (!isKnownError(e)) throw e;
        o.err(errorText(e));
        return undefined;
      }
    }
  } else if (args.length === 0) {
    o.err(NO_RESOURCE_ARGS);
    return undefined;
  } else {
    try {
      const named = namedRefs(parseResourceArgs(args));
      if (!named) throw new ClientError("resource(s) were provided, but no name, label selector, or --all flag specified");
      for (const t of named) targets.push({ res: t.res, name: t.name, ns: t.res.namespaced ? ns : undefined });
    } catch (e) {
      if (!isKnownError(e)) throw e;
      o.err(errorText(e));
      return undefined;
    }
  }
  if (targets.length === 0) {
    o.err("error: no objects passed to patch");
    return undefined;
  }
  return targets;
}

/** The object after the patch: the apiserver's (or, with --local and --dry-run=client, kubectl's own) patching. */
function applyPatch(type: PatchType, before: AnyObject, body: string, t: PatchTarget, side: "server" | "client"): AnyObject {
  const after = patchedObject(before as unknown as Json, type, body, side);
  if (after === null || typeof after !== "object" || Array.isArray(after)) throw new KubeError("BadRequest", "the patched object is not an object");
  const meta = ((after as { metadata?: { name?: unknown; resourceVersion?: unknown } }).metadata ?? {}) as { name?: unknown; resourceVersion?: unknown };
  if (side === "client") return after as unknown as AnyObject;
  const rv = meta.resourceVersion;
  if (rv !== undefined && rv !== "" && rv !== before.metadata.resourceVersion) throw conflict(t.res.qualified, t.name);
  if (meta.name !== t.name) throw new KubeError("BadRequest", `the name of the object (${String(meta.name)}) does not match the name on the URL (${t.name})`);
  return after as unknown as AnyObject;
}
