// What vim and nano say about a file and what they write, pure (no DOM, no CodeMirror): the editor panel's buffer
// holds the text as each editor shows it, and these turn it back into the bytes the editor would write.
//   vim: a file "a\nb\n" is the two lines a, b; writing adds the end-of-line back ('fixendofline', on by default).
//   nano: the buffer ends with nano's empty "magic line"; writing ends a non-empty file with a newline.

/** The name an editor shows: relative to the directory it was started in when the file is under it. */
export function shownName(path: string, cwd: string): string {
  const dir = cwd.endsWith("/") ? cwd : cwd + "/";
  return path.startsWith(dir) && path.length > dir.length ? path.slice(dir.length) : path;
}

/** Bytes as vim counts them (UTF-8). */
export function byteLength(text: string): number {
  return new TextEncoder().encode(text).length;
}

/** Lines as vim and nano count a file's lines: its line ends, plus one for a last line without one. */
export function lineCount(text: string): number {
  if (text === "") return 0;
  const ends = text.split("\n").length - 1;
  return text.endsWith("\n") ? ends : ends + 1;
}

/** vim's buffer for a file's text: its last line end is not a line of its own. */
export function vimBuffer(content: string): string {
  return content.endsWith("\n") ? content.slice(0, -1) : content;
}

/**
 * What vim writes for a buffer: every line ended ('fixendofline'). A buffer of one empty line is an empty file
 * ("--No lines in buffer--") unless it is the one empty line of the file opened (`opened` "\n").
 */
export function vimWrite(buffer: string, opened = ""): string {
  if (buffer !== "") return buffer + "\n";
  return opened !== "" && vimBuffer(opened) === "" ? "\n" : "";
}

export interface FileFacts {
  name: string;
  /** The file did not exist when the editor opened it. */
  isNew: boolean;
}

/** The message vim shows when it opens a file: `"web.yaml" 12L, 240B`, `"notes.txt" [New]`, `[noeol]`. */
export function vimOpened(f: FileFacts, content: string): string {
  if (f.isNew) return `"${f.name}" [New]`;
  const noeol = content !== "" && !content.endsWith("\n") ? " [noeol]" : "";
  return `"${f.name}"${noeol} ${lineCount(content)}L, ${byteLength(content)}B`;
}

/** The message vim shows after a write: `"web.yaml" 12L, 240B written` (`[New]` the first time for a new file). */
export function vimWritten(f: FileFacts, written: string): string {
  return `"${f.name}"${f.isNew ? " [New]" : ""} ${lineCount(written)}L, ${byteLength(written)}B written`;
}

/** vim's refusal to quit a changed buffer. */
export const E37 = "E37: No write since last change (add ! to override)";

/** What nano writes: a non-empty file ends with a newline (nano adds it unless told --nonewlines). */
export function nanoWrite(buffer: string): string {
  return buffer === "" || buffer.endsWith("\n") ? buffer : buffer + "\n";
}

/** nano's status after opening a file. */
export function nanoOpened(isNew: boolean, content: string): string {
  if (isNew) return "New File";
  const n = lineCount(content);
  return `Read ${n} line${n === 1 ? "" : "s"}`;
}

/** nano's status after a write. */
export function nanoWritten(written: string): string {
  const n = lineCount(written);
  return `Wrote ${n} line${n === 1 ? "" : "s"}`;
}
