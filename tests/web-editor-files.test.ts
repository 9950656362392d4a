// What the editor panel's vim and nano say about a file and what they write (web/editor/files.ts): vim's
// `"web.yaml" 12L, 240B` and `[New]`/`[noeol]`, its written line, E37; nano's Read/Wrote/New File; the line end each
// adds on write; the name shown relative to the directory the editor started in.
import { describe, expect, it } from "vitest";
import { byteLength, E37, lineCount, nanoOpened, nanoWrite, nanoWritten, shownName, vimBuffer, vimOpened, vimWrite, vimWritten } from "../web/editor/files.ts";

describe("vim's and nano's words about a file", () => {
  it.each([
    ["", 0, 0],
    ["a\n", 1, 2],
    ["a\nb\n", 2, 4],
    ["a\nb", 2, 3],
    ["\n\n", 2, 2],
    ["héllo\n", 1, 7],
  ])("%j has %i lines and %i bytes", (text, lines, bytes) => {
    expect(lineCount(text)).toBe(lines);
    expect(byteLength(text)).toBe(bytes);
  });

  it("vim: the buffer has no line for the last line end, and writing puts it back (also on a file that had none)", () => {
    expect(vimBuffer("a\nb\n")).toBe("a\nb");
    expect(vimWrite(vimBuffer("a\nb\n"))).toBe("a\nb\n");
    expect(vimWrite(vimBuffer("a\nb"))).toBe("a\nb\n");
    expect(vimWrite(vimBuffer(""))).toBe("");
    expect(vimWrite(vimBuffer("\n"), "\n")).toBe("\n"); // the file's one empty line
    expect(vimWrite("", "a\n")).toBe(""); // every line deleted: no lines in buffer
  });

  it("vim's messages", () => {
    expect(vimOpened({ name: "web.yaml", isNew: false }, "apiVersion: v1\nkind: Pod\n")).toBe('"web.yaml" 2L, 25B');
    expect(vimOpened({ name: "notes.txt", isNew: true }, "")).toBe('"notes.txt" [New]');
    expect(vimOpened({ name: "empty", isNew: false }, "")).toBe('"empty" 0L, 0B');
    expect(vimOpened({ name: "x", isNew: false }, "a\nb")).toBe('"x" [noeol] 2L, 3B');
    expect(vimWritten({ name: "notes.txt", isNew: true }, "port 80\n")).toBe('"notes.txt" [New] 1L, 8B written');
    expect(vimWritten({ name: "web.yaml", isNew: false }, "a\nb\n")).toBe('"web.yaml" 2L, 4B written');
    expect(E37).toBe("E37: No write since last change (add ! to override)");
  });

  it("nano: a non-empty file ends with a line end when written; Read, Wrote and New File", () => {
    expect(nanoWrite("a\nb")).toBe("a\nb\n");
    expect(nanoWrite("a\nb\n")).toBe("a\nb\n");
    expect(nanoWrite("")).toBe("");
    expect(nanoOpened(false, "a\nb\n")).toBe("Read 2 lines");
    expect(nanoOpened(false, "a\n")).toBe("Read 1 line");
    expect(nanoOpened(true, "")).toBe("New File");
    expect(nanoWritten("a\nb\n")).toBe("Wrote 2 lines");
    expect(nanoWritten("")).toBe("Wrote 0 lines");
  });

  it("names are shown relative to where the editor started, else whole", () => {
    expect(shownName("/root/web.yaml", "/root")).toBe("web.yaml");
    expect(shownName("/root/dir/web.yaml", "/root/")).toBe("dir/web.yaml");
    expect(shownName("/tmp/kubectl-edit-1.yaml", "/root")).toBe("/tmp/kubectl-edit-1.yaml");
    expect(shownName("/rootfs/x", "/root")).toBe("/rootfs/x");
    expect(shownName("/x", "/")).toBe("x");
  });
});
