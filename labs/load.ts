// Turning a lab folder's text into a validated `Lab`. No file system access here (labs/fs.ts reads folders), so
// the loader also runs where files cannot be read (Workers, browsers, tests on inline text).
import { parse as parseYaml, YAMLParseError } from "yaml";
import type { z } from "zod";
import type { Lab, LabFile, SetupStep } from "../engine/grading/types.ts";
import { parseScript, ScriptError } from "../engine/grading/script.ts";
import { labYamlSchema } from "./schema.ts";

/** Where lab files land on the hosts when lab.yaml gives no `path`: the student's working directory. */
export const DEFAULT_FILE_DIR = "/root";

export class LabFormatError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file}: ${problems.length === 1 ? problems[0] : "\n  " + problems.join("\n  ")}`);
    this.name = "LabFormatError";
  }
}

/** The text of one lab folder. */
export interface LabSource {
  slug: string;
  labYaml: string;
  solution: string;
  /** Files of the lab's `files/` folder, by name. */
  files: Record<string, string>;
}

function fieldPath(path: PropertyKey[]): string {
  let out = "";
  for (const p of path) out += typeof p === "number" ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out || "(top level)";
}

export function formatIssues(issues: z.core.$ZodIssue[]): string[] {
  return issues.map((i) => {
    const keys = i.code === "unrecognized_keys" ? ` (${(i as { keys: string[] }).keys.join(", ")})` : "";
    return `${fieldPath(i.path)}: ${i.message}${keys}`;
  });
}

export function loadLab(src: LabSource): Lab {
  const yamlFile = `labs/${src.slug}/lab.yaml`;
  if (!/^[a-z0-9][a-z0-9-]*$/.test(src.slug)) throw new LabFormatError(`labs/${src.slug}`, ["the folder name (slug) must be lowercase letters, digits and dashes"]);
  let raw: unknown;
  try {
    raw = parseYaml(src.labYaml);
  } catch (e) {
    if (e instanceof YAMLParseError) throw new LabFormatError(yamlFile, [`YAML: ${e.message.split("\n")[0]}`]);
    throw e;
  }
  const parsed = labYamlSchema.safeParse(raw);
  if (!parsed.success) throw new LabFormatError(yamlFile, formatIssues(parsed.error.issues));
  const y = parsed.data;
  const problems: string[] = [];

  const files: LabFile[] = y.files.map((f, i) => {
    const content = f.content ?? src.files[f.name];
    if (content === undefined) problems.push(`files[${i}].name: labs/${src.slug}/files/${f.name} does not exist (or give \`content\`)`);
    const lf: LabFile = { path: f.path ?? `${DEFAULT_FILE_DIR}/${f.name}`, content: content ?? "" };
    if (f.hosts) lf.hosts = f.hosts;
    return lf;
  });
  const setup: SetupStep[] = y.setup.map((s, i) => {
    if ("apply" in s) {
      if (s.apply.includes("\n")) return { apply: s.apply, source: `labs/${src.slug}/lab.yaml setup[${i}]` };
      const text = src.files[s.apply] ?? y.files.find((f) => f.name === s.apply)?.content;
      if (text === undefined) problems.push(`setup[${i}].apply: labs/${src.slug}/files/${s.apply} does not exist`);
      return { apply: text ?? "", source: s.apply };
    }
    return s;
  });
  if (problems.length) throw new LabFormatError(yamlFile, problems);

  let solution;
  try {
    solution = parseScript(src.solution);
  } catch (e) {
    if (e instanceof ScriptError) throw new LabFormatError(`labs/${src.slug}/solution.sh`, [e.message]);
    throw e;
  }
  if (!solution.length) throw new LabFormatError(`labs/${src.slug}/solution.sh`, ["the reference solution has no commands"]);

  const lab: Lab = {
    slug: src.slug,
    order: y.order,
    title: y.title,
    summary: y.summary,
    objectives: y.objectives,
    estimatedMinutes: y.estimatedMinutes,
    files,
    setup,
    steps: y.steps,
    checkpoints: y.checkpoints,
    solution,
  };
  if (y.topology) lab.topology = y.topology;
  return lab;
}
