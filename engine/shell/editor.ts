// vi, vim and nano. There is no screen in the engine: a terminal that can show an editor gets an EditorRequest
// (context.ts) on the line's result and opens its own (the web lab's editor, `npm run shell`'s $EDITOR); the bare
// API sees what these editors print when they have no terminal.
import type { CmdResult, CommandFn, EditorRequest, ShellCtx } from "./context.ts";
import { resolvePath } from "./context.ts";
import { isDir, readHostFile } from "./fs.ts";

export type EditorName = EditorRequest["editor"];

export function editorName(word: string): EditorName | undefined {
  const base = word.slice(word.lastIndexOf("/") + 1);
  return base === "vi" || base === "vim" || base === "nano" ? base : base === "view" || base === "vimdiff" ? "vim" : undefined;
}

/** What each editor says when neither its input nor its output is a terminal. */
export function noTerminal(editor: EditorName): CmdResult {
  if (editor === "nano") return { stdout: "", stderr: "Error opening terminal: unknown.\n", code: 1 };
  return { stdout: "", stderr: "Vim: Warning: Output is not to a terminal\nVim: Warning: Input is not from a terminal\n", code: 1 };
}

export function syntaxOf(path: string): EditorRequest["syntax"] {
  return /\.ya?ml$/i.test(path) ? "yaml" : /\.json$/i.test(path) ? "json" : "text";
}

export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`;
}

/** Ask the terminal for an editor on a file, and answer as the editor does without one. */
export function requestEditor(ctx: ShellCtx, req: Omit<EditorRequest, "host">): CmdResult {
  if (ctx.requests) ctx.requests.editor = { host: ctx.st.host, ...req };
  return noTerminal(req.editor);
}

export const editorCommand: CommandFn = (ctx, argv) => {
  const editor = editorName(argv[0]) ?? "vi";
  const files = argv.slice(1).filter((a) => !a.startsWith("-") && !a.startsWith("+"));
  if (!files.length) return noTerminal(editor);
  const path = resolvePath(ctx.st.cwd, files[0]);
  if (isDir(ctx, path) && readHostFile(ctx, path) === undefined) return noTerminal(editor);
  const content = readHostFile(ctx, path);
  return requestEditor(ctx, { path, content: content ?? "", isNew: content === undefined, editor, syntax: syntaxOf(path), saveCommand: `cat > ${shellQuote(path)}` });
};
