// kubectl api-resources: the resource types the simulated apiserver serves.
import { RESOURCES } from "../resources.ts";
import { formatTable } from "../printers/tabwriter.ts";
import type { Sub } from "./command.ts";

export const apiResources: Sub = () => {
  const rows = [["NAME", "SHORTNAMES", "APIGROUP", "NAMESPACED", "KIND"]];
  const sorted = [...RESOURCES].sort((a, b) => (a.group === b.group ? (a.plural < b.plural ? -1 : 1) : a.group === "" ? -1 : b.group === "" ? 1 : a.group < b.group ? -1 : 1));
  for (const r of sorted) rows.push([r.plural, r.shortNames.join(","), r.group, r.namespaced ? "true" : "false", r.kind]);
  return { stdout: formatTable(rows), stderr: "", code: 0 };
};
