// `npm run shell`'s answer to an editor request (vi, vim, nano, kubectl edit): the host's $VISUAL / $EDITOR (vi by
// default) on a temporary copy of the file; the edited text goes back through the request's save command, or the
// cancel command when nothing changed.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import type { EditorRequest } from "../engine/index.ts";

/** The line to run next (with its stdin), or undefined when there is nothing to do. */
export function editOnHost(req: EditorRequest): { line: string; stdin?: string } | undefined {
  const dir = mkdtempSync(join(tmpdir(), "kubelab-edit-"));
  const file = join(dir, basename(req.path) || "file");
  try {
    writeFileSync(file, req.content);
    const editor = process.env.VISUAL || process.env.EDITOR || "vi";
    const r = spawnSync(`${editor} '${file.replace(/'/g, "'\\''")}'`, { stdio: "inherit", shell: true });
    if (r.status !== 0) {
      process.stderr.write(`kubelab: the editor "${editor}" exited with status ${r.status ?? r.signal}\n`);
      return req.cancelCommand ? { line: req.cancelCommand } : undefined;
    }
    const text = readFileSync(file, "utf8");
    if (text === req.content) return req.cancelCommand ? { line: req.cancelCommand } : undefined;
    return { line: req.saveCommand, stdin: text };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
