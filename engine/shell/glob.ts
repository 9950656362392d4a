// Pathname expansion, as bash does it for an unquoted word with *, ? or [...]: the matching paths, sorted, or the
// word itself when nothing matches (bash's default, no nullglob). A name starting with . matches only a pattern
// segment starting with one (and then so do . and .., as in bash 4.2); mkdir's .keep placeholder never matches.
import type { ShellCtx } from "./context.ts";
import { isDir, listDir, readHostFile } from "./fs.ts";

/** Does a pattern (glob characters unescaped, quoted ones escaped with \) hold anything to expand? */
export function hasGlob(pattern: string): boolean {
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i] === "\\") i++;
    else if ("*?[".includes(pattern[i])) return true;
  }
  return false;
}

/** A literal text as a pattern segment that matches only itself. */
export function escapeGlob(text: string): string {
  return text.replace(/[\\*?[\]]/g, "\\$&");
}

function unescape(seg: string): string {
  return seg.replace(/\\(.)/g, "$1");
}

function segmentRegex(seg: string): RegExp {
  let re = "";
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i];
    if (c === "\\" && i + 1 < seg.length) re += seg[++i].replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
    else if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else if (c === "[") {
      const j = seg.indexOf("]", i + 2);
      if (j < 0) re += "\\[";
      else {
        re += "[" + seg.slice(i + 1, j).replace(/^[!^]/, "^").replace(/\\/g, "\\\\") + "]";
        i = j;
      }
    } else re += c.replace(/[.+^${}()|\]\\/]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}

/** The paths a pattern names (as the word would print them), sorted; [] when none. */
export function expandGlob(ctx: ShellCtx, pattern: string): string[] {
  const abs = pattern.startsWith("/");
  const dirOnly = pattern.endsWith("/");
  const segs = pattern.split("/").filter((s) => s !== "");
  let found: { shown: string; path: string }[] = [{ shown: abs ? "/" : "", path: abs ? "/" : ctx.st.cwd }];
  const join = (dir: string, name: string) => (dir === "" ? name : dir.endsWith("/") ? dir + name : `${dir}/${name}`);
  const dotEntry = (f: { shown: string; path: string }, name: "." | "..") => ({
    shown: join(f.shown, name),
    path: name === "." ? f.path : join(f.path, name).replace(/\/[^/]*\/\.\.$/, "") || "/",
  });
  for (const seg of segs) {
    const next: { shown: string; path: string }[] = [];
    for (const f of found) {
      if (!hasGlob(seg)) {
        const name = unescape(seg);
        const path = join(f.path, name);
        if (name === "." || name === "..") next.push(dotEntry(f, name));
        else if (isDir(ctx, path) || readHostFile(ctx, path) !== undefined) next.push({ shown: join(f.shown, name), path });
        continue;
      }
      if (!isDir(ctx, f.path)) continue;
      const re = segmentRegex(seg);
      const dots = seg.startsWith(".") || seg.startsWith("\\.");
      // bash (before 5.2's globskipdots) lets a pattern starting with . match the directory's . and .. too
      if (dots) for (const name of [".", ".."] as const) if (re.test(name)) next.push(dotEntry(f, name));
      for (const name of listDir(ctx, f.path))
        if (name !== ".keep" && (dots || !name.startsWith(".")) && re.test(name)) next.push({ shown: join(f.shown, name), path: join(f.path, name) });
    }
    found = next;
    if (!found.length) return [];
  }
  if (dirOnly) found = found.filter((f) => isDir(ctx, f.path)).map((f) => ({ ...f, shown: f.shown + "/" }));
  return found.map((f) => f.shown).sort();
}
