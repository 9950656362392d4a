// Reading lab folders from disk (Node only: scripts and tests). Runtime code uses the generated catalog.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Lab } from "../engine/grading/types.ts";
import { loadLab, LabFormatError, type LabSource } from "./load.ts";

export const LABS_DIR = new URL(".", import.meta.url).pathname;

export function readLabSource(dir: string, slug: string): LabSource {
  const root = join(dir, slug);
  const labYamlPath = join(root, "lab.yaml");
  if (!existsSync(labYamlPath)) throw new LabFormatError(`labs/${slug}/lab.yaml`, ["missing"]);
  const solutionPath = join(root, "solution.sh");
  if (!existsSync(solutionPath)) throw new LabFormatError(`labs/${slug}/solution.sh`, ["missing"]);
  const files: Record<string, string> = {};
  const filesDir = join(root, "files");
  if (existsSync(filesDir)) for (const f of readdirSync(filesDir).sort()) if (statSync(join(filesDir, f)).isFile()) files[f] = readFileSync(join(filesDir, f), "utf8");
  return { slug, labYaml: readFileSync(labYamlPath, "utf8"), solution: readFileSync(solutionPath, "utf8"), files };
}

/** Every lab folder (a directory holding lab.yaml), sorted by slug. */
export function labSlugs(dir = LABS_DIR): string[] {
  return readdirSync(dir)
    .filter((d) => statSync(join(dir, d)).isDirectory() && existsSync(join(dir, d, "lab.yaml")))
    .sort();
}

export function loadLabsFromDir(dir = LABS_DIR): Lab[] {
  return labSlugs(dir)
    .map((slug) => loadLab(readLabSource(dir, slug)))
    .sort((a, b) => a.order - b.order || (a.slug < b.slug ? -1 : 1));
}
