// File tools: cat, tee, ls, cd, pwd, mkdir, rm (GNU coreutils messages, CentOS 7).
import type { CommandFn } from "../context.ts";
import { fail, ok, resolvePath } from "../context.ts";
import { isDir, listDir, readHostFile, writeHostFile } from "../fs.ts";
import { inputs } from "./common.ts";
import { asker } from "./copy.ts";

export const cat: CommandFn = (ctx, argv, io) => {
  const files = argv.slice(1).filter((a) => a === "-" || !a.startsWith("-"));
  const r = inputs(ctx, "cat", files, io);
  return { stdout: r.text, stderr: r.err, code: r.bad ? 1 : 0 };
};

export const tee: CommandFn = (ctx, argv, io) => {
  const append = argv.includes("-a");
  for (const f of argv.slice(1).filter((a) => !a.startsWith("-"))) {
    const p = resolvePath(ctx.st.cwd, f);
    writeHostFile(ctx, p, (append ? (readHostFile(ctx, p) ?? "") : "") + (io.stdin ?? ""));
  }
  return ok(io.stdin ?? "");
};

export const ls: CommandFn = (ctx, argv) => {
  const long = argv.some((a) => /^-[a-zA-Z]*l/.test(a));
  // mkdir's placeholder is no file of the student's; dot files show with -a/-A only, as ls shows them
  const all = argv.some((a) => /^-[a-zA-Z]*[aA]/.test(a));
  const dotDirs = argv.some((a) => /^-[a-zA-Z]*a/.test(a)); // -a lists . and .. too, -A does not
  const dirsAsFiles = argv.some((a) => /^-[a-zA-Z]*d/.test(a)); // -d: a directory is listed itself, not its entries
  const targets = argv.slice(1).filter((a) => !a.startsWith("-"));
  if (targets.length === 0) targets.push(".");
  const entry = (full: string, n: string) => {
    const dir = isDir(ctx, full) && readHostFile(ctx, full) === undefined;
    const size = dir ? 4096 : (readHostFile(ctx, full) ?? "").length;
    return `${dir ? "drwxr-xr-x. 2" : "-rw-r--r--. 1"} root root ${String(size).padStart(5)} Dec  5 16:00 ${n}\n`;
  };
  // as GNU ls: the files named first (together, as one listing), then each directory under its name
  let err = "";
  const files: string[] = [];
  const dirs: string[] = [];
  for (const t of targets) {
    const p = resolvePath(ctx.st.cwd, t);
    if (isDir(ctx, p) && !dirsAsFiles) dirs.push(t);
    else if (isDir(ctx, p)) files.push(t);
    else if (readHostFile(ctx, p) !== undefined) files.push(t);
    else err += `ls: cannot access ${t}: No such file or directory\n`;
  }
  const sections: string[] = [];
  if (files.length) sections.push(long ? files.map((f) => entry(resolvePath(ctx.st.cwd, f), f)).join("") : files.join("  ") + "\n");
  for (const t of dirs) {
    const p = resolvePath(ctx.st.cwd, t);
    const names = [...(dotDirs ? [".", ".."] : []), ...listDir(ctx, p).filter((n) => n !== ".keep" && (all || !n.startsWith(".")))];
    let out = targets.length > 1 ? `${t}:\n` : "";
    if (long) {
      out += `total ${names.length * 4}\n`;
      for (const n of names) out += entry(resolvePath(p, n), n);
    } else if (names.length) out += names.join("  ") + "\n";
    sections.push(out);
  }
  return { stdout: sections.join("\n"), stderr: err, code: err ? 2 : 0 };
};

export const cd: CommandFn = (ctx, argv) => {
  const target = argv[1] ?? "/root";
  const p = resolvePath(ctx.st.cwd, target === "-" ? "/root" : target);
  if (!isDir(ctx, p)) {
    if (readHostFile(ctx, p) !== undefined) return fail(`bash: cd: ${target}: Not a directory`);
    return fail(`bash: cd: ${target}: No such file or directory`);
  }
  ctx.st.cwd = p;
  return ok();
};

export const pwd: CommandFn = (ctx) => ok(ctx.st.cwd + "\n");

export const mkdir: CommandFn = (ctx, argv) => {
  for (const d of argv.slice(1).filter((a) => !a.startsWith("-"))) {
    const p = resolvePath(ctx.st.cwd, d);
    if (!isDir(ctx, p)) writeHostFile(ctx, p + "/.keep", "");
  }
  return ok();
};

export const rm: CommandFn = (ctx, argv, io) => {
  // -f quiet about missing files, -i asks first (the later of the two wins, as coreutils), -r/-R takes directories
  let force = false;
  let interactive = false;
  let recursive = false;
  const names: string[] = [];
  for (const a of argv.slice(1)) {
    if (/^-[a-zA-Z]+$/.test(a))
      for (const f of a.slice(1)) {
        if (f === "f") [force, interactive] = [true, false];
        else if (f === "i") [interactive, force] = [true, false];
        else if (f === "r" || f === "R") recursive = true;
        else if (f !== "v") return { stdout: "", stderr: `rm: invalid option -- '${f}'\nTry 'rm --help' for more information.\n`, code: 1 };
      }
    else if (a === "--force") force = true;
    else if (a === "--recursive") recursive = true;
    else names.push(a);
  }
  let err = "";
  let failed = false;
  const ask = asker(io);
  const files = ctx.c.state.files[ctx.st.host] ?? {};
  for (const f of names) {
    const p = resolvePath(ctx.st.cwd, f);
    const text = readHostFile(ctx, p);
    if (text === undefined && isDir(ctx, p)) {
      if (!recursive) {
        err += `rm: cannot remove '${f}': Is a directory\n`;
        failed = true;
        continue;
      }
      if (interactive) {
        const inside = Object.keys(files).filter((k) => k.startsWith(p === "/" ? "/" : p + "/") && !k.endsWith("/.keep"));
        const a = ask(`rm: ${inside.length ? "descend into" : "remove"} directory '${f}'? `);
        err += a.said;
        if (!a.yes) continue;
      }
      for (const k of Object.keys(files)) if (k.startsWith(p === "/" ? "/" : p + "/")) ctx.c.removeFile(k, ctx.st.host);
      continue;
    }
    if (text === undefined || ctx.c.readFile(p, ctx.st.host) === undefined) {
      if (!force) {
        err += `rm: cannot remove '${f}': No such file or directory\n`;
        failed = true;
      }
      continue;
    }
    if (interactive) {
      const a = ask(`rm: remove regular ${text === "" ? "empty " : ""}file '${f}'? `);
      err += a.said;
      if (!a.yes) continue;
    }
    ctx.c.removeFile(p, ctx.st.host);
  }
  return { stdout: "", stderr: err, code: failed ? 1 : 0 };
};
