// kubectl taint nodes NAME KEY[=VALUE]:EFFECT ... | KEY[:EFFECT]- (v1.19 messages: `node/x tainted`, `untainted`).
import { bool, str } from "./flags.ts";
import { type Sub, flagsOrUsage, isResult } from "./command.ts";
import { DRY_RUN_FLAG, dryRunOf, writeTarget } from "./dry-run.ts";
import { Out, errorText, isKnownError } from "./output.ts";
import { resolveType } from "./targets.ts";
import type { Taint, TaintChange } from "../apiserver/taint.ts";

const EFFECTS = ["NoSchedule", "PreferNoSchedule", "NoExecute"];

function parseTaints(specs: string[]): TaintChange | string {
  const change: TaintChange = { add: [], remove: [], overwrite: false };
  for (const s of specs) {
    if (s.endsWith("-")) {
      const [key, effect] = s.slice(0, -1).split(":");
      if (effect && !EFFECTS.includes(effect)) return `invalid taint effect: ${effect}, unsupported taint effect`;
      change.remove.push(effect ? { key, effect } : { key });
      continue;
    }
    const colon = s.lastIndexOf(":");
    if (colon < 0) return `invalid taint spec: ${s}, unknown taint spec`;
    const kv = s.slice(0, colon);
    const effect = s.slice(colon + 1);
    if (!EFFECTS.includes(effect)) return `invalid taint spec: ${s}, invalid taint effect: ${effect}, unsupported taint effect`;
    const eq = kv.indexOf("=");
    const t: Taint = eq < 0 ? { key: kv, effect } : { key: kv.slice(0, eq), value: kv.slice(eq + 1), effect };
    change.add.push(t);
  }
  return change;
}

export const taint: Sub = (ctx, argv) => {
  const p = flagsOrUsage("taint", argv, [
    { name: "overwrite", type: "bool" },
    { name: "all", type: "bool" },
    { name: "selector", short: "l", type: "string" },
    DRY_RUN_FLAG,
  ]);
  if (isResult(p)) return p;
  const o = new Out();
  const dry = dryRunOf(ctx, p, o);
  if (!dry) return o.result();
  const [type, name, ...specs] = p.args;
  if (!type || !name) {
    o.err("error: at least one taint update is required\nSee 'kubectl taint -h' for help and examples");
    return o.result();
  }
  try {
    const res = resolveType(type);
    if (res.kind !== "Node") {
      o.err(`error: invalid resource type ${type}, only node types are supported`);
      return o.result();
    }
  } catch (e) {
    if (!isKnownError(e)) throw e;
    o.err(errorText(e));
    return o.result();
  }
  if (!specs.length) {
    o.err("error: at least one taint update is required\nSee 'kubectl taint -h' for help and examples");
    return o.result();
  }
  const change = parseTaints(specs);
  if (typeof change === "string") {
    o.err(`error: ${change}`);
    return o.result();
  }
  change.overwrite = bool(p, "overwrite");
  void str;
  try {
    // a dry run taints a copy that nothing keeps (kubectl's own checks on a client one, the apiserver's on a server
    // one); the line has no dry-run suffix: v1.19's taint sets its printer's operation after the suffix, dropping it
    const changed = writeTarget(ctx, dry)().taint(name, change);
    o.out(`node/${name} ${change.add.length ? "tainted" : changed ? "untainted" : "untainted"}\n`);
  } catch (e) {
    if (!isKnownError(e)) throw e;
    o.err(errorText(e));
  }
  return o.result();
};
