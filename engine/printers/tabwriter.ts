// An elastic-tabstop formatter with the semantics of Go's text/tabwriter (padchar ' ', flags 0), which kubectl
// uses for every table and describe page: cells are tab-terminated, the text after a line's last tab is not
// aligned, a column block is a run of consecutive lines that have a cell in that column, and a column's width is
// max(cell width + padding, minwidth). A line without any tab ends every block above it.

export interface TabwriterOptions {
  minwidth: number;
  padding: number;
}

/** kubectl get: printers.GetNewTabWriter (minwidth 6, tabwidth 4, padding 3). */
export const GET_TABWRITER: TabwriterOptions = { minwidth: 6, padding: 3 };
/** kubectl describe: tabwriter.Init(buf, 0, 8, 2, ' ', 0). */
export const DESCRIBE_TABWRITER: TabwriterOptions = { minwidth: 0, padding: 2 };

function runeCount(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** Format `text` (lines separated by "\n", cells by "\t") as Go's tabwriter would after a final Flush. */
export function tabwrite(text: string, opts: TabwriterOptions): string {
  const endsWithNewline = text.endsWith("\n");
  const rawLines = text.split("\n");
  if (endsWithNewline) rawLines.pop();
  const lines = rawLines.map((l) => l.split("\t"));
  const widths: number[] = [];
  const out: string[] = [];

  const writeLines = (from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const cells = lines[i];
      let s = "";
      for (let j = 0; j < cells.length; j++) {
        const c = cells[j];
        s += c;
        if (j < widths.length && j < cells.length - 1) s += " ".repeat(Math.max(0, widths[j] - runeCount(c)));
      }
      out.push(s);
    }
  };

  const format = (line0: number, line1: number) => {
    const column = widths.length;
    for (let cur = line0; cur < line1; cur++) {
      if (column >= lines[cur].length - 1) continue;
      writeLines(line0, cur);
      line0 = cur;
      let width = opts.minwidth;
      for (; cur < line1; cur++) {
        const line = lines[cur];
        if (column >= line.length - 1) break;
        const w = runeCount(line[column]) + opts.padding;
        if (w > width) width = w;
      }
      widths.push(width);
      format(line0, cur);
      widths.pop();
      line0 = cur;
    }
    writeLines(line0, line1);
  };

  // Go flushes at every line without a tab; formatting the whole text at once is equivalent because such a line
  // has no cell in column 0 and so ends every block.
  format(0, lines.length);
  return out.join("\n") + (endsWithNewline ? "\n" : "");
}

/** Rows of cells printed as kubectl get prints them: tab-joined, one row per line, aligned. */
export function formatTable(rows: string[][], opts: TabwriterOptions = GET_TABWRITER): string {
  if (rows.length === 0) return "";
  return tabwrite(rows.map((r) => r.join("\t")).join("\n") + "\n", opts);
}
