// Small strict parsers the export tests read kubelab's grade exports back with (no CSV/XML parser in the
// dependencies): RFC 4180 CSV and the XML well-formedness JUnit consumers rely on.
import { expect } from "vitest";

/** RFC 4180 CSV (CRLF rows, quoted fields with doubled quotes). */
export function parseCsv(text: string): string[][] {
  expect(text.endsWith("\r\n")).toBe(true);
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') {
      expect(field, "a quote only opens a field").toBe("");
      quoted = true;
    } else if (ch === ",") {
      row.push(field);
      field = "";
    } else if (ch === "\r") {
      expect(text[i + 1]).toBe("\n");
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      i++;
    } else field += ch;
  }
  expect(quoted).toBe(false);
  const width = rows[0].length;
  for (const r of rows) expect(r).toHaveLength(width);
  return rows;
}

export interface El {
  name: string;
  attrs: Record<string, string>;
  children: El[];
  text: string;
}

/** XML well-formedness for what JUnit consumers read: declaration, balanced elements, quoted unique attributes, the five entities. */
export function parseXml(xml: string): El {
  const decl = /^<\?xml version="1\.0" encoding="UTF-8"\?>\s*/;
  expect(xml).toMatch(decl);
  let s = xml.replace(decl, "");
  const root: El = { name: "#root", attrs: {}, children: [], text: "" };
  const stack: El[] = [root];
  const unescape = (v: string) => {
    expect(v).not.toMatch(/&(?!(amp|lt|gt|quot|apos);)/);
    expect(v).not.toMatch(/[<\u0000-\u0008\u000B\u000C\u000E-\u001F]/);
    return v.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, "&");
  };
  while (s.length) {
    const lt = s.indexOf("<");
    if (lt < 0) {
      expect(s.trim()).toBe("");
      break;
    }
    const text = s.slice(0, lt);
    if (stack.length === 1) expect(text.trim()).toBe("");
    stack[stack.length - 1].text += unescape(text);
    s = s.slice(lt);
    const close = /^<\/([A-Za-z_][\w.-]*)\s*>/.exec(s);
    if (close) {
      expect(stack.pop()!.name).toBe(close[1]);
      s = s.slice(close[0].length);
      continue;
    }
    const open = /^<([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w.-]*="[^"<]*")*)\s*(\/?)>/.exec(s);
    expect(open, `bad markup at ${s.slice(0, 60)}`).not.toBeNull();
    const el: El = { name: open![1], attrs: {}, children: [], text: "" };
    for (const m of open![2].matchAll(/([A-Za-z_][\w.-]*)="([^"]*)"/g)) {
      expect(el.attrs[m[1]], `duplicate attribute ${m[1]}`).toBeUndefined();
      el.attrs[m[1]] = unescape(m[2]);
    }
    stack[stack.length - 1].children.push(el);
    if (!open![3]) stack.push(el);
    s = s.slice(open![0].length);
  }
  expect(stack).toHaveLength(1);
  expect(root.children).toHaveLength(1);
  return root.children[0];
}
