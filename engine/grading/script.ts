// Command scripts: the reference solution (solution.sh) and scripts submitted for offline grading share one
// convention, so a lab author can paste a student's terminal session and replay it.
//
//   - Blank lines and `#` comments are skipped, except `# host: NAME`, which runs the following lines on NAME
//     (a node name, or `pod:<ns>/<name>`) until the next `# host:` line. The first host is master01.
//   - `wait N` / `sleep N` (seconds; `30s`, `2m` also accepted) advance the cluster's virtual clock.
//   - A line ending in `\` continues on the next line.
//   - A here-document (`cmd <<EOF` … `EOF`, the delimiter optionally quoted) is passed to `cmd` as its stdin.
import type { CommandEntry } from "./types.ts";

export const DEFAULT_HOST = "master01";

export class ScriptError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`);
    this.name = "ScriptError";
  }
}

export function parseScript(text: string): CommandEntry[] {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  const out: CommandEntry[] = [];
  let host: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i];
    const trimmed = line.trim();
    const hostLine = /^#\s*host:\s*(\S+)\s*$/.exec(trimmed);
    if (hostLine) {
      host = hostLine[1] === DEFAULT_HOST ? undefined : hostLine[1];
      continue;
    }
    if (trimmed === "" || trimmed.startsWith("#")) continue;
    const start = i + 1;
    while (line.endsWith("\\") && i + 1 < lines.length) line = line.slice(0, -1) + lines[++i].trimStart();
    let stdin: string | undefined;
    const heredoc = /\s*<<-?\s*(['"]?)([A-Za-z_][A-Za-z0-9_]*)\1/.exec(line);
    if (heredoc) {
      const delim = heredoc[2];
      const body: string[] = [];
      let closed = false;
      while (i + 1 < lines.length) {
        const l = lines[++i];
        if (l.trim() === delim) {
          closed = true;
          break;
        }
        body.push(l);
      }
      if (!closed) throw new ScriptError(`here-document for ${delim} is not closed`, start);
      stdin = body.join("\n") + "\n";
      line = line.slice(0, heredoc.index) + line.slice(heredoc.index + heredoc[0].length);
    }
    const entry: CommandEntry = { line: line.trim() };
    if (host) entry.host = host;
    if (stdin !== undefined) entry.stdin = stdin;
    out.push(entry);
  }
  return out;
}

/** Seconds for a `wait N` / `sleep N` line, or undefined when the line is something else. */
export function waitSeconds(line: string): number | undefined {
  const m = /^(?:wait|sleep)\s+(\d+(?:\.\d+)?)(s|m|h)?\s*$/.exec(line.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  return m[2] === "m" ? n * 60 : m[2] === "h" ? n * 3600 : n;
}

/** The script form of a command list (inverse of parseScript for what it produces). */
export function formatScript(entries: CommandEntry[]): string {
  const out: string[] = [];
  let host: string | undefined;
  for (const e of entries) {
    if ((e.host ?? undefined) !== host) {
      out.push(`# host: ${e.host ?? DEFAULT_HOST}`);
      host = e.host;
    }
    if (e.stdin !== undefined) out.push(`${e.line} <<'EOF'`, ...e.stdin.replace(/\n$/, "").split("\n"), "EOF");
    else out.push(e.line);
  }
  return out.join("\n") + "\n";
}
