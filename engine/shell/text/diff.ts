// diff FILE1 FILE2 in GNU diffutils 3.3's normal and unified (-u / -U N) formats; exit 0 same, 1 different,
// 2 trouble. The edit script is a longest-common-subsequence over lines.
import type { CommandFn, ShellCtx } from "../context.ts";
import { resolvePath } from "../context.ts";
import { isDir, readHostFile } from "../fs.ts";
import { lines } from "./common.ts";

type Op = { kind: "=" | "-" | "+"; a: number; b: number };

/**
 * A last line without its line end is not the same line as one with it (GNU compares them so): it carries this mark,
 * and is printed with `\ No newline at end of file` under it.
 */
const NOEOL = "\u0000noeol";
const show = (line: string) => (line.endsWith(NOEOL) ? `${line.slice(0, -NOEOL.length)}\n\\ No newline at end of file` : line);

/** The edit script from a to b: for every line, kept (=), deleted from a (-) or added from b (+). */
export function editScript(a: string[], b: string[]): Op[] {
  const n = a.length;
  const m = b.length;
  const lcs: Uint32Array[] = [];
  for (let i = 0; i <= n; i++) lcs.push(new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) ops.push({ kind: "=", a: i++, b: j++ });
    // Deletions before additions within a change, as GNU diff shows them.
    else if (i < n && (j >= m || lcs[i + 1][j] >= lcs[i][j + 1])) ops.push({ kind: "-", a: i++, b: j });
    else ops.push({ kind: "+", a: i, b: j++ });
  }
  return ops;
}

function range(start: number, count: number): string {
  // Normal format: 1-based first,last (or the line before an empty range).
  return count <= 1 ? String(count === 0 ? start : start + 1) : `${start + 1},${start + count}`;
}

function normal(a: string[], b: string[], ops: Op[]): string {
  let out = "";
  for (let k = 0; k < ops.length; ) {
    if (ops[k].kind === "=") {
      k++;
      continue;
    }
    const del: Op[] = [];
    const add: Op[] = [];
    while (k < ops.length && ops[k].kind === "-") del.push(ops[k++]);
    while (k < ops.length && ops[k].kind === "+") add.push(ops[k++]);
    const aStart = del.length ? del[0].a : (add[0].a);
    const bStart = add.length ? add[0].b : del[0].b;
    const letter = del.length && add.length ? "c" : del.length ? "d" : "a";
    // An empty side names the line after which the change happens (the count of lines before it).
    out += `${range(aStart, letter === "a" ? 0 : del.length)}${letter}${range(bStart, letter === "d" ? 0 : add.length)}\n`;
    for (const d of del) out += `< ${show(a[d.a])}\n`;
    if (del.length && add.length) out += "---\n";
    for (const x of add) out += `> ${show(b[x.b])}\n`;
  }
  return out;
}

function unifiedRange(start: number, count: number): string {
  if (count === 0) return `${start},0`;
  return count === 1 ? String(start + 1) : `${start + 1},${count}`;
}

function unified(a: string[], b: string[], ops: Op[], context: number): string {
  let out = "";
  const changed = ops.map((o) => o.kind !== "=");
  let k = 0;
  while (k < ops.length) {
    if (!changed[k]) {
      k++;
      continue;
    }
    let start = Math.max(0, k - context);
    let end = k;
    // Extend the hunk while the next change is within 2*context lines.
    for (;;) {
      while (end < ops.length && changed[end]) end++;
      let next = end;
      while (next < ops.length && !changed[next]) next++;
      if (next < ops.length && next - end <= 2 * context) end = next;
      else break;
    }
    const stop = Math.min(ops.length, end + context);
    const hunk = ops.slice(start, stop);
    const aLines = hunk.filter((o) => o.kind !== "+").length;
    const bLines = hunk.filter((o) => o.kind !== "-").length;
    const aFirst = hunk.find((o) => o.kind !== "+")?.a ?? hunk[0].a;
    const bFirst = hunk.find((o) => o.kind !== "-")?.b ?? hunk[0].b;
    out += `@@ -${unifiedRange(aLines ? aFirst : aFirst, aLines)} +${unifiedRange(bLines ? bFirst : bFirst, bLines)} @@\n`;
    for (const o of hunk) out += o.kind === "=" ? ` ${show(a[o.a])}\n` : o.kind === "-" ? `-${show(a[o.a])}\n` : `+${show(b[o.b])}\n`;
    k = stop;
    start = stop;
  }
  return out;
}

function stamp(seconds: number): string {
  const d = new Date(seconds * 1000);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}.000000000 +0000`;
}

function read(ctx: ShellCtx, f: string, stdin: string | undefined): string | { err: string } {
  if (f === "-") return stdin ?? "";
  const p = resolvePath(ctx.st.cwd, f);
  const t = readHostFile(ctx, p);
  if (t !== undefined) return t;
  return { err: isDir(ctx, p) ? `diff: kubelab's diff does not compare directories (${f})\n` : `diff: ${f}: No such file or directory\n` };
}

export const diff: CommandFn = (ctx, argv, io) => {
  let context: number | undefined;
  let brief = false;
  const files: string[] = [];
  const args = argv.slice(1);
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "-u" || a === "--unified") context = 3;
    else if (a === "-U") context = Number(args[++i]);
    else if (/^-U\d+$/.test(a)) context = Number(a.slice(2));
    else if (/^--unified=\d+$/.test(a)) context = Number(a.slice(10));
    else if (a === "-q" || a === "--brief") brief = true;
    else if (a.startsWith("-") && a !== "-") return { stdout: "", stderr: `diff: kubelab's diff does not support the option ${a} (it has -u, -U N, -q)\ndiff: Try 'diff --help' for more information.\n`, code: 2 };
    else files.push(a);
  }
  if (files.length < 2) return { stdout: "", stderr: `diff: ${files.length ? `missing operand after '${files[0]}'` : "missing operand"}\ndiff: Try 'diff --help' for more information.\n`, code: 2 };
  if (files.length > 2) return { stdout: "", stderr: `diff: extra operand '${files[2]}'\ndiff: Try 'diff --help' for more information.\n`, code: 2 };
  const ta = read(ctx, files[0], io.stdin);
  const tb = read(ctx, files[1], io.stdin);
  const errs = [ta, tb].filter((t): t is { err: string } => typeof t !== "string").map((t) => t.err);
  if (errs.length) return { stdout: "", stderr: errs.join(""), code: 2 };
  if (ta === tb) return { stdout: "", stderr: "", code: 0 };
  if (brief) return { stdout: `Files ${files[0]} and ${files[1]} differ\n`, stderr: "", code: 1 };
  const noNl = (t: string) => t !== "" && !t.endsWith("\n");
  const marked = (t: string) => {
    const ls = lines(t);
    if (noNl(t)) ls[ls.length - 1] += NOEOL;
    return ls;
  };
  const a = marked(ta as string);
  const b = marked(tb as string);
  if (a.length * b.length > 4_000_000) return { stdout: "", stderr: "diff: kubelab's diff compares files of up to 2,000 lines\n", code: 2 };
  const ops = editScript(a, b);
  let out: string;
  if (context === undefined) out = normal(a, b, ops);
  else {
    const when = stamp(ctx.c.nowSeconds());
    out = `--- ${files[0]}\t${when}\n+++ ${files[1]}\t${when}\n` + unified(a, b, ops, context);
  }
  return { stdout: out, stderr: "", code: 1 };
};
