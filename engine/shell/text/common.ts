// Shared helpers of the text tools: lines of a text, and reading named files (or stdin) with GNU-style errors.
import type { CmdIO, ShellCtx } from "../context.ts";
import { resolvePath } from "../context.ts";
import { isDir, readHostFile } from "../fs.ts";

export function lines(text: string): string[] {
  if (text === "") return [];
  const ls = text.split("\n");
  if (ls[ls.length - 1] === "") ls.pop();
  return ls;
}
export function unlines(ls: string[]): string {
  return ls.length ? ls.join("\n") + "\n" : "";
}

/** Read the named files (or stdin) as one text; errors in GNU style for `tool`. */
export function inputs(ctx: ShellCtx, tool: string, files: string[], io: CmdIO): { text: string; err: string; bad: boolean } {
  if (files.length === 0 || (files.length === 1 && files[0] === "-")) return { text: io.stdin ?? "", err: "", bad: false };
  let text = "";
  let err = "";
  let bad = false;
  for (const f of files) {
    if (f === "-") {
      text += io.stdin ?? "";
      continue;
    }
    const p = resolvePath(ctx.st.cwd, f);
    const content = readHostFile(ctx, p);
    if (content === undefined) {
      bad = true;
      err += isDir(ctx, p) ? `${tool}: ${f}: Is a directory\n` : `${tool}: ${f}: No such file or directory\n`;
      continue;
    }
    text += content;
  }
  return { text, err, bad };
}
