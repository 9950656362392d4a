// meta.k8s.io/v1 Table (what `kubectl get` asks for): the engine's per-kind printer cells, with the column
// definitions of engine/printers/columns.ts. Cells are computed as the apiserver does (always wide, on the cluster's
// virtual clock); NAMESPACE, LABELS and -L columns are kubectl's own, from each row's object metadata.
import type { AnyObject } from "../../engine/objects.ts";
import { tableRows } from "../../engine/printers/table.ts";
import { COLUMNS } from "../../engine/printers/columns.ts";

const description = (d: string) => d;

export function toTable(kind: string, objs: AnyObject[], served: AnyObject[], nowSeconds: number, includeObject: "None" | "Metadata" | "Object", meta: Record<string, unknown>) {
  const cols = COLUMNS[kind];
  const cells = objs.length ? tableRows(kind, objs, nowSeconds, { wide: true, noHeaders: true }) : [];
  return {
    kind: "Table",
    apiVersion: "meta.k8s.io/v1",
    metadata: meta,
    columnDefinitions: cols.map((c) => ({ name: c.name, type: c.type, format: c.format, description: description(c.description), priority: c.priority })),
    rows: cells.map((row, i) => {
      const r: Record<string, unknown> = { cells: row.map((cell, j) => (cols[j]?.type === "integer" ? Number(cell) : cell)) };
      const o = served[i];
      if (includeObject === "Object") r.object = o;
      else if (includeObject === "Metadata") r.object = { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: o.metadata };
      return r;
    }),
  };
}
