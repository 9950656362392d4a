// Tab completion for the lab terminal, as bash with kubectl's completion script would offer it: the first word of a
// command completes to a command name, `kubectl <Tab>` to a subcommand, `kubectl get <Tab>` to a resource type,
// `kubectl get svc <Tab>` (or `svc/<Tab>`) to the names of that type's objects, `ssh <Tab>` to a node.
import type { Cluster } from "../cluster.ts";
import { RESOURCES, resolveResource } from "../resources.ts";
import { KUBECTL_SUBCOMMANDS } from "../kubectl/index.ts";
import { commandNames } from "./exec.ts";
import { podHost } from "./context.ts";

export interface Completion {
  /** Where the word being completed starts in the line (its candidates replace line.slice(start)). */
  start: number;
  /** Whole words for that position, sorted, each starting with the typed prefix. */
  candidates: string[];
}

/** Subcommands that take a resource type and then object names. */
const TYPED_VERBS = new Set(["get", "describe", "delete", "label", "edit", "scale", "expose", "annotate", "patch"]);
/** Subcommands whose next word is a pod's name. */
const POD_VERBS = new Set(["exec", "logs"]);

const TYPE_WORDS = [...new Set(RESOURCES.flatMap((r) => [r.plural, r.singular, ...r.shortNames]))].sort();

export function complete(c: Cluster, line: string, host = "master01"): Completion {
  // only the last command of a pipeline or list is completed
  const segStart = Math.max(line.lastIndexOf("|"), line.lastIndexOf(";"), line.lastIndexOf("&")) + 1;
  const ws = /\s/;
  let start = line.length;
  while (start > segStart && !ws.test(line[start - 1])) start--;
  const prefix = line.slice(start);
  const words = line.slice(segStart, start).trim().split(/\s+/).filter(Boolean);
  const pick = (all: Iterable<string>) => ({ start, candidates: [...new Set(all)].filter((w) => w.startsWith(prefix)).sort() });
  if (words.length === 0) return pick(commandNames(host));
  const cmd = words[0];
  if (cmd === "ssh" && words.length === 1 && !podHost(host)) return pick(c.hosts().map((h) => h.name));
  if (cmd !== "kubectl" && cmd !== "k") return { start, candidates: [] };
  // kubectl: drop flags (and the values of -n/--namespace) to find the positional words
  let namespace = "default";
  const pos: string[] = [];
  for (let i = 1; i < words.length; i++) {
    const w = words[i];
    if (w === "-n" || w === "--namespace") namespace = words[++i] ?? namespace;
    else if (w.startsWith("--namespace=")) namespace = w.slice("--namespace=".length);
    else if (w === "-A" || w === "--all-namespaces") namespace = "";
    else if (w === "-l" || w === "--selector" || w === "-o" || w === "--output" || w === "-f" || w === "--filename" || w === "-c" || w === "--container") i++;
    else if (!w.startsWith("-")) pos.push(w);
  }
  if (words[words.length - 1] === "-n" || words[words.length - 1] === "--namespace") return pick(namesOf(c, "namespaces", ""));
  if (prefix.startsWith("-")) return { start, candidates: [] };
  if (pos.length === 0) return pick(KUBECTL_SUBCOMMANDS);
  const verb = pos[0];
  if (POD_VERBS.has(verb) && pos.length === 1) return pick(namesOf(c, "pods", namespace));
  if (!TYPED_VERBS.has(verb)) return { start, candidates: [] };
  if (pos.length === 1) {
    const slash = prefix.indexOf("/");
    if (slash > 0) {
      const type = prefix.slice(0, slash);
      return { start, candidates: namesOf(c, type, namespace).map((n) => `${type}/${n}`).filter((w) => w.startsWith(prefix)).sort() };
    }
    return pick(TYPE_WORDS);
  }
  if (pos[1].includes("/")) return { start, candidates: [] };
  // `kubectl get svc,ep <Tab>` has no single type to name objects of
  return pick(namesOf(c, pos[1], namespace));
}

function namesOf(c: Cluster, typeWord: string, namespace: string): string[] {
  const info = resolveResource(typeWord);
  if (!info) return [];
  const objs = c.list(info.kind, info.namespaced && namespace ? { namespace } : {});
  return objs.map((o) => o.metadata.name);
}
