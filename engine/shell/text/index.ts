// The text tools students pipe kubectl and curl output into, assembled into one command table. Messages follow
// GNU coreutils/grep/gawk on CentOS 7.
import type { CommandFn } from "../context.ts";
import { cat, tee, ls, cd, pwd, mkdir, rm } from "./files.ts";
import { grep } from "./grep.ts";
import { awk } from "./awk.ts";
import { head, tail, wc, sort, uniq, cut, tr, seq } from "./lines.ts";
import { sed } from "./sed.ts";
import { cp, mv, touch, find } from "./copy.ts";
import { diff } from "./diff.ts";
import { base64 } from "./base64.ts";
import { echo, sleep, trueCmd, falseCmd, hostname, whoami, date, clear, exportCmd, unset, exitCmd, envCmd } from "./builtins.ts";
import { printf } from "./printf.ts";

export const TEXT_COMMANDS: Record<string, CommandFn> = {
  echo,
  printf,
  cat,
  tee,
  ls,
  ll: (ctx, argv, io) => ls(ctx, ["ls", "-l", ...argv.slice(1)], io),
  cd,
  pwd,
  mkdir,
  rm,
  cp,
  mv,
  touch,
  find,
  sed,
  diff,
  base64,
  grep,
  egrep: grep,
  fgrep: grep,
  awk,
  gawk: awk,
  head,
  tail,
  wc,
  sort,
  uniq,
  cut,
  tr,
  seq,
  sleep,
  wait: sleep,
  true: trueCmd,
  ":": trueCmd,
  false: falseCmd,
  hostname,
  whoami,
  date,
  clear,
  export: exportCmd,
  unset,
  exit: exitCmd,
  logout: exitCmd,
  env: envCmd,
};

export type { CmdResult } from "../context.ts";

