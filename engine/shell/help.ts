// `help`: what this terminal has — kubelab's own list (bash's `help` lists its builtins; here the student needs to
// know which tools the simulated hosts carry). `help NAME` says what NAME is for.
import type { CommandFn } from "./context.ts";
import { podHost } from "./context.ts";

const ABOUT: Record<string, string> = {
  kubectl: "the Kubernetes v1.19 client (get, describe, apply, create, edit, delete, label, taint, scale, expose, run, exec, logs …)",
  curl: "HTTP requests to Services, pods and nodes (curl 7.29)",
  wget: "HTTP downloads (busybox)",
  nslookup: "ask cluster DNS (10.96.0.10 from pods) or /etc/hosts (on nodes)",
  dig: "DNS lookups, dig's format",
  host: "DNS lookups, one line per answer",
  ip: "ip addr show/add/del on the node's eth0",
  mysql: "a MySQL client for the course's external databases",
  ssh: "ssh NODE [COMMAND]: run on another node",
  vi: "edit a file (the page's editor; no terminal through the bare API)",
  vim: "edit a file (the page's editor; no terminal through the bare API)",
  nano: "edit a file (the page's editor; no terminal through the bare API)",
  sed: "stream editor: s/// (flags g p N i, \\U \\L \\u \\l \\E), d, p, n, q, =, y, a/i/c, addresses (N, $, /re/, first~step, ranges with ,N ,/re/ ,+N ,~N), -n -e -E -s -i",
  grep: "search lines (BRE, -E, -i, -v, -c, -n, -o, -w)",
  awk: "fields and patterns: awk '{print $1}'",
  jq: "JSON filters for kubectl -o json (jq 1.6's, without def, label and destructuring; -r -j -c -S -e -n -s -a --arg --argjson --tab --indent N)",
  watch: "watch -n SECS COMMAND: rerun as the virtual clock advances, print the last screen",
  sleep: "advance the virtual clock (probes, controllers and ages move)",
  wait: "wait N: advance the virtual clock N seconds",
  history: "the lines typed in this terminal",
  diff: "compare two files (normal, -u, -U N, -q)",
  find: "find files by name (-name, -iname, -type f|d, -maxdepth, -mindepth, !, -not, -print)",
  xargs: "build command lines from stdin (-n, -L, -I, -r, -t, -0, -d)",
  base64: "encode or decode base64 (-d, -i, -w N)",
  cp: "copy files (-r, -v, -n, -i, -f, -p)",
  mv: "move files (-v, -n, -i, -f)",
  rm: "remove files (-f, -i, -r)",
  touch: "create empty files (-c; file times are not kept)",
};

/** Tools whose `--help` is this (kubelab's tools take fewer options than their GNU namesakes). */
const OWN_HELP = new Set(["sed", "diff", "find", "xargs", "base64", "cp", "mv", "rm", "touch", "jq", "watch"]);

/** `TOOL --help` alone prints what kubelab's TOOL does and takes, instead of refusing --help as an option. */
export function withHelp(name: string, fn: CommandFn): CommandFn {
  if (!OWN_HELP.has(name)) return fn;
  return (ctx, argv, io) =>
    argv.length === 2 && argv[1] === "--help"
      ? { stdout: `${name}: ${ABOUT[name]}\n(kubelab's ${name}: an option it lacks says it is not supported; \`help\` lists this terminal's commands)\n`, stderr: "", code: 0 }
      : fn(ctx, argv, io);
}

export function helpCommand(names: (ctx: Parameters<CommandFn>[0]) => string[]): CommandFn {
  return (ctx, argv) => {
    const topic = argv[1];
    if (topic !== undefined) {
      if (!names(ctx).includes(topic)) return { stdout: "", stderr: `bash: help: no help topics match \`${topic}'.  Try \`help help' or \`man -k ${topic}' or \`info ${topic}'.\n`, code: 1 };
      return { stdout: `${topic}: ${ABOUT[topic] ?? "as on CentOS 7 (the options kubelab supports; others say they are not supported)"}\n`, stderr: "", code: 0 };
    }
    const list = names(ctx).filter((n) => /^[a-z]/.test(n)).sort();
    const where = podHost(ctx.st.host) ? "this container" : "this node";
    let out = `kubelab terminal: a simulated Kubernetes v1.19 cluster (kubeadm, flannel, kube-proxy in iptables mode).\nCommands on ${where}:\n\n`;
    const width = Math.max(...list.map((n) => n.length)) + 2;
    const perRow = Math.max(1, Math.floor(78 / width));
    for (let i = 0; i < list.length; i += perRow) out += "  " + list.slice(i, i + perRow).map((n) => n.padEnd(width)).join("").trimEnd() + "\n";
    out += "\nPipes, redirections, ;, &&, ||, $(…), variables, for/while loops and here-documents work as in bash.\n";
    out += podHost(ctx.st.host) ? "`help NAME` says what a command is for.\n" : "`help NAME` says what a command is for; `kubectl --help` lists kubectl's commands.\n";
    return { stdout: out, stderr: "", code: 0 };
  };
}
