// kubectl explain <type>[.<field>...] [--recursive] [--api-version]: the served OpenAPI definitions as kubectl prints them.
import { resolveResource } from "../resources.ts";
import { definitionOf } from "../openapi/index.ts";
import { explain as explainText, ExplainError } from "../openapi/explain.ts";
import { type Sub, flagsOrUsage, isResult } from "./command.ts";
import { bool } from "./flags.ts";

export const explain: Sub = (_ctx, argv) => {
  const p = flagsOrUsage("explain", argv, [
    { name: "recursive", type: "bool" },
    { name: "api-version", type: "string" },
  ]);
  if (isResult(p)) return p;
  const arg = p.args[0];
  if (!arg)
    return {
      stdout: "",
      stderr:
        "You must specify the type of resource to explain. Use \"kubectl api-resources\" for a complete list of supported resources.\n\nerror: Required resource not specified.\nSee 'kubectl explain -h' for help and examples\n",
      code: 1,
    };
  const [word, ...path] = arg.split(".");
  const res = resolveResource(word);
  if (!res) return { stdout: "", stderr: `error: the server doesn't have a resource type "${word}"\n`, code: 1 };
  const def = definitionOf(res.group, res.version, res.kind);
  if (!def) return { stdout: "", stderr: `error: couldn't find resource for "${res.apiVersion}, Kind=${res.kind}"\n`, code: 1 };
  try {
    return { stdout: explainText(def, { group: res.group, version: res.version, kind: res.kind }, path, bool(p, "recursive")), stderr: "", code: 0 };
  } catch (e) {
    if (e instanceof ExplainError) return { stdout: "", stderr: `error: ${e.message}\n`, code: 1 };
    throw e;
  }
};
