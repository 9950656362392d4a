// Reading the -f arguments of apply/create/delete: files, directories of .yaml/.yml/.json, `-` for stdin.
import type { ShellCtx } from "../shell/context.ts";
import { resolvePath } from "../shell/context.ts";
import { readHostFile, isDir, listDir } from "../shell/fs.ts";
import type { Out } from "./output.ts";

export function readSources(ctx: ShellCtx, files: string[], stdin: string | undefined, o: Out): { source: string; text: string }[] | undefined {
  const out: { source: string; text: string }[] = [];
  for (const f of files) {
    if (f === "-") {
      out.push({ source: "STDIN", text: stdin ?? "" });
      continue;
    }
    if (/^https?:\/\//.test(f)) {
      o.err(`error: unable to read URL "${f}", server reported 404 Not Found, status code=404 (kubelab has no internet access; write the manifest to a file first)`);
      return undefined;
    }
    const path = resolvePath(ctx.st.cwd, f);
    const text = readHostFile(ctx, path);
    if (text !== undefined) {
      out.push({ source: f, text });
      continue;
    }
    if (isDir(ctx, path)) {
      for (const n of listDir(ctx, path)) {
        if (!/\.(ya?ml|json)$/.test(n)) continue;
        const t = readHostFile(ctx, `${path}/${n}`);
        if (t !== undefined) out.push({ source: `${f.replace(/\/$/, "")}/${n}`, text: t });
      }
      continue;
    }
    o.err(`error: the path "${f}" does not exist`);
    return undefined;
  }
  return out;
}
