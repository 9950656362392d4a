// kubectl edit TYPE NAME: the object as YAML (or -o json) in a temp file, $KUBE_EDITOR / $EDITOR / vi on it, then
// the edited object replaces the live one, with kubectl v1.19's messages: `deployment.apps/web edited`,
// `Edit cancelled, no changes made.`, and for an invalid edit the error, the kept copy and `Edit cancelled, no
// valid changes were saved.`. vi/vim/nano need a screen: the line returns an editor request whose save command
// (`--kubelab-resume=FILE`) finishes the edit; any other editor command (`sed -i …`) runs at once.
import type { AnyObject } from "../objects.ts";
import type { ShellCtx } from "../shell/context.ts";
import { KubeError, formatFieldError } from "../errors.ts";
import { fnv32a } from "../hash.ts";
import { toJson, toYaml } from "../printers/object.ts";
import { parseManifest } from "../apiserver/manifest.ts";
import { readHostFile, writeHostFile } from "../shell/fs.ts";
import { editorName, requestEditor, shellQuote } from "../shell/editor.ts";
import { namespaceOf, str } from "./flags.ts";
import { type Sub, flagsOrUsage, isResult } from "./command.ts";
import { Out, errorText, isKnownError } from "./output.ts";
import { parseResourceArgs } from "./targets.ts";

const HEADER =
  "# Please edit the object below. Lines beginning with a '#' will be ignored,\n" +
  "# and an empty file will abort the edit. If an error occurs while saving this file will be\n" +
  "# reopened with the relevant failures.\n#\n";

function withoutComments(text: string): string {
  return text
    .split("\n")
    .filter((l) => !l.trimStart().startsWith("#"))
    .join("\n")
    .trim();
}

function removeFile(ctx: ShellCtx, path: string): void {
  ctx.c.removeFile(path, ctx.st.host);
}

export const edit: Sub = (ctx, argv) => {
  const p = flagsOrUsage("edit", argv, [
    { name: "output", short: "o", type: "string" },
    { name: "filename", short: "f", type: "strings" },
    { name: "kubelab-resume", type: "string" },
    { name: "save-config", type: "bool" },
    { name: "validate", type: "bool" },
    { name: "windows-line-endings", type: "bool" },
  ]);
  if (isResult(p)) return p;
  const o = new Out();
  if (p.flags.filename !== undefined) {
    o.err('error: kubelab does not simulate "kubectl edit -f"; edit the file (vi FILE) and kubectl apply -f it');
    return o.result();
  }
  const output = str(p, "output") ?? "yaml";
  if (output !== "yaml" && output !== "json") {
    o.err(`error: the flag 'output' must be one of yaml|json`);
    return o.result();
  }
  const ns = namespaceOf(p);
  if (p.args.length === 0) {
    o.err("error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'");
    return o.result();
  }
  let obj: AnyObject;
  let printName: string;
  let qualified: string;
  try {
    const spec = parseResourceArgs(p.args);
    const ref = spec.pairs?.[0] ?? { res: spec.types[0], name: spec.names[0] };
    if (!ref.name) {
      o.err("error: kubelab's kubectl edit edits one named object: kubectl edit TYPE NAME");
      return o.result();
    }
    obj = ctx.c.get(ref.res.kind, ref.name, ref.res.namespaced ? ns : undefined);
    printName = `${ref.res.printName}/${ref.name}`;
    qualified = `${ref.res.qualified} "${ref.name}"`;
  } catch (e) {
    if (!isKnownError(e)) throw e;
    o.err(errorText(e));
    return o.result();
  }
  const original = HEADER + (output === "json" ? toJson(obj) : toYaml(obj));
  const resume = str(p, "kubelab-resume");
  if (resume !== undefined) return finish(ctx, o, resume, original, printName, qualified);
  let path: string;
  let salt = 0;
  do path = `/tmp/kubectl-edit-${fnv32a(`${obj.metadata.uid}/${obj.metadata.resourceVersion}/${ctx.c.nowSeconds()}/${salt++}`)}.${output}`;
  while (readHostFile(ctx, path) !== undefined);
  writeHostFile(ctx, path, original);
  const editor = (ctx.st.env.KUBE_EDITOR || ctx.st.env.EDITOR || "vi").trim();
  const interactive = editorName(editor.split(/\s+/)[0]);
  if (interactive) {
    const resumeLine = `kubectl edit ${printName}${obj.metadata.namespace ? ` -n ${obj.metadata.namespace}` : ""}${output === "json" ? " -o json" : ""} --kubelab-resume=${path}`;
    return requestEditor(ctx, {
      path,
      content: original,
      isNew: false,
      editor: interactive,
      syntax: output,
      saveCommand: `cat > ${shellQuote(path)} && ${resumeLine}`,
      cancelCommand: resumeLine,
    });
  }
  const r = ctx.runner!.line(ctx, `${editor} ${shellQuote(path)}`);
  if (r.code !== 0) {
    o.stderr += r.stderr;
    o.err(`error: there was a problem with the editor "${editor}"`);
    return o.result();
  }
  return finish(ctx, o, path, original, printName, qualified, editor);
};

function finish(ctx: ShellCtx, o: Out, path: string, original: string, printName: string, qualified: string, rerun?: string) {
  const edited = readHostFile(ctx, path);
  if (edited === undefined) {
    o.err(`error: open ${path}: no such file or directory`);
    return o.result();
  }
  const body = withoutComments(edited);
  if (body === "" || body === withoutComments(original)) {
    removeFile(ctx, path);
    o.stderr += "Edit cancelled, no changes made.\n";
    return o.result();
  }
  // kubectl v1.19's three ways an edit fails: a file it cannot read back (reopened with the syntax error on top), a
  // changed apiVersion, kind or name (no patch possible: the copy is kept and that is the error), an object the
  // server refuses (`is invalid`, reopened with the causes on top).
  let docs: ReturnType<typeof parseManifest>;
  try {
    docs = parseManifest(body, path);
    if (docs.length !== 1) throw new KubeError("BadRequest", "the edited file must hold exactly one object");
  } catch (e) {
    if (!isKnownError(e)) throw e;
    return reopen(ctx, o, path, edited, `The edited file had a syntax error: ${errorText(e).replace(/^error: /, "")}`, rerun);
  }
  const before = parseManifest(withoutComments(original), path)[0].obj as { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } };
  const after = docs[0].obj as { apiVersion?: string; kind?: string; metadata?: { name?: string; namespace?: string } };
  if (after.kind !== before.kind || after.apiVersion !== before.apiVersion || after.metadata?.name !== before.metadata.name) {
    o.err(`A copy of your changes has been stored to "${path}"`);
    o.err("error: At least one of apiVersion, kind and name was changed");
    return o.result();
  }
  try {
    if (before.metadata.namespace && !after.metadata?.namespace) (after.metadata ??= {}).namespace = before.metadata.namespace;
    ctx.c.replace(after as Record<string, unknown>, { manager: "kubectl-edit" });
    removeFile(ctx, path);
    o.out(`${printName} edited\n`);
    return o.result();
  } catch (e) {
    if (!isKnownError(e)) throw e;
    const problem = e instanceof KubeError && e.causes.length ? e.causes.map((c) => `* ${formatFieldError(c)}`).join("\n") : errorText(e).replace(/^error: /, "");
    o.err(`error: ${qualified} is invalid`);
    return reopen(ctx, o, path, edited, `${qualified} was not valid:\n${problem}`, rerun);
  }
}

/** kubectl reopens the file with the failure on top; an editor that changes nothing more ends the edit. */
function reopen(ctx: ShellCtx, o: Out, path: string, edited: string, reason: string, rerun?: string) {
  const again = `${reason.split("\n").map((l) => `# ${l}\n`).join("")}#\n` + edited.replace(/^(#[^\n]*\n)*/, "");
  writeHostFile(ctx, path, HEADER + again);
  if (rerun) ctx.runner!.line(ctx, `${rerun} ${shellQuote(path)}`);
  o.err(`A copy of your changes has been stored to "${path}"`);
  o.err("error: Edit cancelled, no valid changes were saved.");
  return o.result();
}
