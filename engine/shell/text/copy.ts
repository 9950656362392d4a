// cp, mv, touch and find over the host's files (GNU coreutils / findutils messages, CentOS 7). Directories exist
// as long as a file lives under them (plus /, /root, /etc, /tmp).
import type { CmdIO, CmdResult, CommandFn, ShellCtx } from "../context.ts";
import { resolvePath } from "../context.ts";
import { allPaths, isDir, readHostFile, writeHostFile } from "../fs.ts";

function help(tool: string): string {
  return `Try '${tool} --help' for more information.\n`;
}

function parentOf(p: string): string {
  const i = p.lastIndexOf("/");
  return i <= 0 ? "/" : p.slice(0, i);
}

function baseName(p: string): string {
  return p.slice(p.lastIndexOf("/") + 1);
}

function removeFile(ctx: ShellCtx, p: string): void {
  ctx.c.removeFile(p, ctx.st.host);
}

/** The files under a directory, as paths relative to it. */
function filesUnder(ctx: ShellCtx, dir: string): string[] {
  const prefix = dir === "/" ? "/" : dir + "/";
  return allPaths(ctx).filter((p) => p.startsWith(prefix)).map((p) => p.slice(prefix.length));
}

/**
 * -i's question, as coreutils asks it: on stderr without a line end, answered by the next line of stdin (y or Y
 * goes ahead; anything else, or no more input, leaves the file).
 */
export function asker(io: CmdIO): (question: string) => { said: string; yes: boolean } {
  const answers = (io.stdin ?? "").split("\n");
  let next = 0;
  return (question) => ({ said: question, yes: /^[yY]/.test(answers[next++] ?? "") });
}

function copyOrMove(tool: "cp" | "mv", ctx: ShellCtx, argv: string[], io: CmdIO): CmdResult {
  let recursive = tool === "mv";
  let verbose = false;
  let noClobber = false;
  let interactive = false;
  const ops: string[] = [];
  for (const a of argv.slice(1)) {
    if (a === "--") continue;
    if (/^-[a-zA-Z]+$/.test(a)) {
      for (const f of a.slice(1)) {
        if (f === "r" || f === "R" || f === "a") recursive = true;
        else if (f === "v") verbose = true;
        else if (f === "n") [noClobber, interactive] = [true, false];
        else if (f === "i") [interactive, noClobber] = [true, false];
        else if (f === "f") interactive &&= tool === "cp"; // mv -f stops asking; cp -f is about unwritable targets
        else if (f !== "p") return { stdout: "", stderr: `${tool}: invalid option -- '${f}'\n${help(tool)}`, code: 1 };
      }
    } else if (a.startsWith("--")) {
      if (a === "--recursive") recursive = true;
      else if (a === "--verbose") verbose = true;
      else if (a !== "--force") return { stdout: "", stderr: `${tool}: kubelab's ${tool} does not support the option ${a}\n${help(tool)}`, code: 1 };
    } else ops.push(a);
  }
  if (ops.length === 0) return { stdout: "", stderr: `${tool}: missing file operand\n${help(tool)}`, code: 1 };
  if (ops.length === 1) return { stdout: "", stderr: `${tool}: missing destination file operand after '${ops[0]}'\n${help(tool)}`, code: 1 };
  const dest = ops.pop()!;
  const destPath = resolvePath(ctx.st.cwd, dest);
  const destIsDir = isDir(ctx, destPath);
  if (ops.length > 1 && !destIsDir) return { stdout: "", stderr: `${tool}: target '${dest}' is not a directory\n`, code: 1 };
  // `cp f dir/` names a directory: without one there, nothing is written (coreutils' words)
  if (dest.endsWith("/") && !destIsDir) {
    const what = tool === "cp" ? (readHostFile(ctx, destPath) !== undefined ? `cannot stat '${dest}'` : `cannot create regular file '${dest}'`) : `cannot move '${ops[0]}' to '${dest}'`;
    return { stdout: "", stderr: `${tool}: ${what}: Not a directory\n`, code: 1 };
  }
  let out = "";
  let err = "";
  let failed = false;
  const fail = (msg: string) => {
    err += msg;
    failed = true;
  };
  const ask = asker(io);
  for (const src of ops) {
    const sp = resolvePath(ctx.st.cwd, src);
    const target = destIsDir ? (destPath === "/" ? "" : destPath) + "/" + baseName(sp) : destPath;
    const text = readHostFile(ctx, sp);
    if (text === undefined && !isDir(ctx, sp)) {
      fail(`${tool}: cannot stat '${src}': No such file or directory\n`);
      continue;
    }
    if (text === undefined) {
      if (!recursive) {
        fail(`cp: omitting directory '${src}'\n`);
        continue;
      }
      if (target === sp || target.startsWith(sp + "/")) {
        fail(tool === "cp" ? `cp: cannot copy a directory, '${src}', into itself, '${destIsDir ? `${dest.replace(/\/$/, "")}/${baseName(sp)}` : dest}'\n` : `mv: cannot move '${src}' to a subdirectory of itself, '${destIsDir ? `${dest.replace(/\/$/, "")}/${baseName(sp)}` : dest}'\n`);
        continue;
      }
      for (const rel of filesUnder(ctx, sp)) {
        writeHostFile(ctx, `${target}/${rel}`, readHostFile(ctx, `${sp}/${rel}`) ?? "");
        if (tool === "mv") removeFile(ctx, `${sp}/${rel}`);
      }
    } else {
      if (!isDir(ctx, parentOf(target))) {
        fail(`${tool}: cannot ${tool === "cp" ? "create regular file" : "move"} '${tool === "cp" ? dest : src}'${tool === "mv" ? ` to '${dest}'` : ""}: No such file or directory\n`);
        continue;
      }
      if (target === sp) {
        fail(tool === "cp" ? `cp: '${src}' and '${dest}' are the same file\n` : `mv: '${src}' and '${dest}' are the same file\n`);
        continue;
      }
      if (noClobber && readHostFile(ctx, target) !== undefined) continue;
      if (interactive && readHostFile(ctx, target) !== undefined) {
        const a = ask(`${tool}: overwrite '${destIsDir ? `${dest.replace(/\/$/, "")}/${baseName(sp)}` : dest}'? `);
        err += a.said;
        if (!a.yes) continue;
      }
      writeHostFile(ctx, target, text);
      if (tool === "mv") removeFile(ctx, sp);
    }
    if (verbose) out += `'${src}' -> '${destIsDir ? `${dest.replace(/\/$/, "")}/${baseName(sp)}` : dest}'\n`;
  }
  return { stdout: out, stderr: err, code: failed ? 1 : 0 };
}

export const cp: CommandFn = (ctx, argv, io) => copyOrMove("cp", ctx, argv, io);
export const mv: CommandFn = (ctx, argv, io) => copyOrMove("mv", ctx, argv, io);

export const touch: CommandFn = (ctx, argv) => {
  // kubelab keeps no file times: touch creates files; -a/-m/-f change nothing here, -c creates none; options that set
  // a time from somewhere (-d, -t, -r) say they are not supported rather than take their argument for a file
  let create = true;
  const files: string[] = [];
  const args = argv.slice(1);
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--") {
      files.push(...args.slice(i + 1));
      break;
    }
    if (a === "--no-create") create = false;
    else if (/^--(date|reference)(=|$)|^-[amcf]*[dtr]/.test(a)) return { stdout: "", stderr: `touch: kubelab's touch does not support ${a.startsWith("--") ? a.replace(/=.*/, "") : `-${a.match(/[dtr]/)![0]}`} (it keeps no file times)\n`, code: 1 };
    else if (/^-[amcf]+$/.test(a)) create &&= !a.includes("c");
    else if (a.startsWith("-") && a !== "-") {
      const bad = a.startsWith("--") ? `unrecognized option '${a}'` : `invalid option -- '${[...a.slice(1)].find((f) => !"amcf".includes(f))}'`;
      return { stdout: "", stderr: `touch: ${bad}\n${help("touch")}`, code: 1 };
    } else files.push(a);
  }
  if (!files.length) return { stdout: "", stderr: `touch: missing file operand\n${help("touch")}`, code: 1 };
  let err = "";
  for (const f of files) {
    const p = resolvePath(ctx.st.cwd, f);
    if (readHostFile(ctx, p) !== undefined || isDir(ctx, p) || !create) continue;
    if (!isDir(ctx, parentOf(p))) {
      err += `touch: cannot touch '${f}': No such file or directory\n`;
      continue;
    }
    writeHostFile(ctx, p, "");
  }
  return { stdout: "", stderr: err, code: err ? 1 : 0 };
};

/** A shell glob (`*.yaml`, `web?`, `[ab]*`) as a regular expression. */
function globRegex(glob: string, flags = ""): RegExp {
  let re = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === "*") re += ".*";
    else if (c === "?") re += ".";
    else if (c === "[") {
      const j = glob.indexOf("]", i + 2);
      if (j < 0) re += "\\[";
      else {
        re += "[" + glob.slice(i + 1, j).replace(/^!/, "^").replace(/\\/g, "\\\\") + "]";
        i = j;
      }
    } else if (c === "\\" && i + 1 < glob.length) re += "\\" + glob[++i];
    else re += c.replace(/[.+^${}()|/]/g, "\\$&");
  }
  return new RegExp(`^${re}$`, flags);
}

/** find PATH... [-maxdepth N] [-mindepth N] [!|-not] [-name|-iname PATTERN] [-type f|d] [-print]: names only. */
export const find: CommandFn = (ctx, argv) => {
  const args = argv.slice(1);
  const roots: string[] = [];
  // the paths end at the first expression word (GNU: one starting with -, or ! or parentheses)
  while (args.length && !args[0].startsWith("-") && !["!", "(", ")"].includes(args[0])) roots.push(args.shift()!);
  if (!roots.length) roots.push(".");
  const tests: ((rel: string, name: string, dir: boolean, depth: number) => boolean)[] = [];
  let maxDepth = Infinity;
  let minDepth = 0;
  let negate = false;
  const test = (t: (rel: string, name: string, dir: boolean, depth: number) => boolean) => {
    const not = negate;
    negate = false;
    tests.push(not ? (...x) => !t(...x) : t);
  };
  const depthArg = (a: string, v: string) => {
    if (!/^\d+$/.test(v)) throw `find: Expected a positive decimal integer argument to ${a}, but got ‘${v}’`;
    return Number(v);
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const val = () => {
      if (i + 1 >= args.length) throw `find: missing argument to \`${a}'`;
      return args[++i];
    };
    try {
      if (a === "-name" || a === "-iname") {
        const re = globRegex(val(), a === "-iname" ? "i" : "");
        test((_r, name) => re.test(name));
      } else if (a === "-type") {
        const t = val();
        if (t !== "f" && t !== "d") return { stdout: "", stderr: `find: kubelab's find does not support -type ${t} (only f and d)\n`, code: 1 };
        test((_r, _n, dir) => (t === "d") === dir);
      } else if (a === "-maxdepth") maxDepth = depthArg(a, val());
      else if (a === "-mindepth") minDepth = depthArg(a, val());
      else if (a === "!" || a === "-not") negate = !negate;
      else if (a === "-print") continue;
      else return { stdout: "", stderr: a.startsWith("-") ? `find: kubelab's find does not support ${a} (it has -name, -iname, -type f|d, -maxdepth, -mindepth, !, -not, -print)\n` : `find: ${a === "(" || a === ")" ? `kubelab's find does not support parentheses` : `paths must precede expression: ${a}`}\n`, code: 1 };
    } catch (e) {
      if (typeof e === "string") return { stdout: "", stderr: e + "\n", code: 1 };
      throw e;
    }
  }
  let out = "";
  let err = "";
  for (const root of roots) {
    const rp = resolvePath(ctx.st.cwd, root);
    if (readHostFile(ctx, rp) === undefined && !isDir(ctx, rp)) {
      err += `find: ‘${root}’: No such file or directory\n`;
      continue;
    }
    const entries: { rel: string; dir: boolean }[] = [{ rel: "", dir: readHostFile(ctx, rp) === undefined }];
    if (entries[0].dir) {
      const dirs = new Set<string>();
      const files = filesUnder(ctx, rp).filter((f) => !f.endsWith("/.keep") && f !== ".keep");
      for (const f of filesUnder(ctx, rp)) {
        const parts = f.split("/");
        for (let k = 1; k < parts.length; k++) dirs.add(parts.slice(0, k).join("/"));
      }
      for (const d of dirs) entries.push({ rel: d, dir: true });
      for (const f of files) entries.push({ rel: f, dir: false });
    }
    entries.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
    for (const e of entries) {
      const depth = e.rel === "" ? 0 : e.rel.split("/").length;
      if (depth > maxDepth || depth < minDepth) continue;
      const shown = e.rel === "" ? root : `${root.replace(/\/$/, "")}/${e.rel}`;
      const name = e.rel === "" ? baseName(rp) || "/" : baseName(e.rel);
      if (tests.every((t) => t(e.rel, name, e.dir, depth))) out += shown + "\n";
    }
  }
  return { stdout: out, stderr: err, code: err ? 1 : 0 };
};
