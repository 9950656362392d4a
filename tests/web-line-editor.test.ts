// The terminal's line editor (web/terminal/line-editor.ts): whole onData chunks in, echo and events out.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { applyCompletion, commonPrefix, emptyEditor, feed, isPaste, render, type EditorEvent, type EditorState } from "../web/terminal/line-editor.ts";

/** Feeds a chunk to the end, collecting events (what the terminal does, minus running anything). */
function feedAll(s: EditorState, chunk: string): { state: EditorState; events: EditorEvent[]; echo: string; ignored: number } {
  const events: EditorEvent[] = [];
  let echo = "";
  let ignored = 0;
  let rest = chunk;
  const paste = isPaste(chunk);
  do {
    const r = feed(s, rest, paste);
    s = r.state;
    echo += r.echo;
    ignored += r.ignored;
    if (r.event) events.push(r.event);
    rest = r.rest;
  } while (rest);
  return { state: s, events, echo, ignored };
}

/** What a terminal shows on the input line after writing `echo` (cursor moves and erase-to-end understood). */
function screen(echo: string): { text: string; cursor: number } {
  const line: string[] = [];
  let x = 0;
  for (let i = 0; i < echo.length; ) {
    const m = /^\x1b\[(\d*)([CDK])/.exec(echo.slice(i));
    if (m) {
      const n = Number(m[1] || "1");
      if (m[2] === "C") x += n;
      else if (m[2] === "D") x -= n;
      else line.length = x;
      i += m[0].length;
      continue;
    }
    const ch = echo[i++];
    if (ch === "\b") x--;
    else if (ch === "\r") x = 0;
    else if (ch === "\n") line.length = 0;
    else line[x++] = ch;
  }
  return { text: line.join("").replace(/ +$/, ""), cursor: x };
}

describe("line editor", () => {
  it("types, submits, and keeps the line in the history", () => {
    const r = feedAll(emptyEditor(), "kubectl get pods\r");
    expect(r.events).toEqual([{ kind: "line", line: "kubectl get pods" }]);
    expect(r.echo).toBe("kubectl get pods\r\n");
    expect(r.state.history).toEqual(["kubectl get pods"]);
    expect(r.state.buffer).toBe("");
  });

  it("stops at the first line of a paste and hands back the rest, in order", () => {
    const first = feed(emptyEditor(), "echo a\recho b\r\nech");
    expect(first.event).toEqual({ kind: "line", line: "echo a" });
    expect(first.rest).toBe("echo b\r\nech");
    const all = feedAll(emptyEditor(), "echo a\recho b\r\nech");
    expect(all.events).toEqual([
      { kind: "line", line: "echo a" },
      { kind: "line", line: "echo b" },
    ]);
    expect(all.state.buffer).toBe("ech");
  });

  it("edits in the middle of the line and the screen shows what the buffer holds", () => {
    let echo = "";
    let s = emptyEditor();
    for (const key of ["kubectl get po", "\x1b[D", "\x1b[D", "X", "\x7f", "\x1b[H", "K", "\x1b[3~", "\x1b[F", "ds"]) {
      const r = feed(s, key);
      s = r.state;
      echo += r.echo;
    }
    expect(s.buffer).toBe("Kubectl get pods");
    expect(screen(echo)).toEqual({ text: s.buffer, cursor: s.cursor });
  });

  it("browses the history with ↑/↓ and gives back the line being typed", () => {
    let s = emptyEditor(["kubectl get svc", "kubectl get ep"]);
    s = feed(s, "curl").state;
    const up1 = feed(s, "\x1b[A");
    expect(up1.state.buffer).toBe("kubectl get ep");
    const up2 = feed(up1.state, "\x1b[A");
    expect(up2.state.buffer).toBe("kubectl get svc");
    expect(feed(up2.state, "\x1b[A").state.buffer).toBe("kubectl get svc"); // the oldest stays
    const down = feedAll(up2.state, "\x1b[B\x1b[B");
    expect(down.state.buffer).toBe("curl");
    expect(screen("curl" + up1.echo + up2.echo + down.echo).text).toBe("curl");
  });

  it("Ctrl-C drops the line and says so; Ctrl-L and Tab are events with the line kept", () => {
    const c = feed(feed(emptyEditor(), "kubectl delete").state, "\x03");
    expect(c.event).toEqual({ kind: "interrupt" });
    expect(c.echo).toBe("^C\r\n");
    expect(c.state.buffer).toBe("");
    // the rest of a chunk keeps the chunk's kind: a key's rest is keys
    expect(feed(emptyEditor(), "\x03more", false).rest).toBe("more");
    const l = feed(feed(emptyEditor(), "kubectl").state, "\x0c");
    expect(l.event).toEqual({ kind: "clear" });
    expect(l.state.buffer).toBe("kubectl");
    const t = feed(feed(emptyEditor(), "kubectl ge").state, "\t");
    expect(t.event).toEqual({ kind: "complete", before: "kubectl ge" });
  });

  it("drops the control characters and escapes of a binary paste and counts them: no key is pressed by a paste", () => {
    const r = feedAll(emptyEditor(), "ec\x00ho\x01\x02 hi\x1b[A\x03\x7f\x0c\tthere\x1b[99~");
    expect(r.state.buffer).toBe("echo hi there");
    expect(r.ignored).toBe(8);
    expect(r.events).toEqual([]);
    // a key on its own still is one
    expect(feed(emptyEditor(), "\x0c").event).toEqual({ kind: "clear" });
  });

  it("a pasted block gives the same lines as typing it key by key", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom("a", "b", " ", "é", "\r", "\r\n"), { maxLength: 40 }), (keys) => {
        const whole = feedAll(emptyEditor(), keys.join(""));
        let s = emptyEditor();
        const events: EditorEvent[] = [];
        for (const k of keys) {
          const r = feedAll(s, k);
          s = r.state;
          events.push(...r.events);
        }
        expect(events).toEqual(whole.events);
        expect(s.buffer).toBe(whole.state.buffer);
        expect(screen(render(s)).cursor).toBe(s.cursor);
      }),
    );
  });

  it("completes as bash does: one candidate with a space, several to their common prefix, else a list", () => {
    const s = feed(emptyEditor(), "kubectl ge").state;
    const one = applyCompletion(s, "kubectl ge", 8, ["get"]);
    expect(one.state.buffer).toBe("kubectl get ");
    expect(one.echo).toBe("t ");
    const s2 = feed(emptyEditor(), "kubectl get pods demo").state;
    const many = applyCompletion(s2, "kubectl get pods demo", 17, ["demoapp-5f7d8f9847-2xkqm", "demoapp-5f7d8f9847-9vlgk"]);
    expect(many.state.buffer).toBe("kubectl get pods demoapp-5f7d8f9847-");
    expect(many.list).toBeUndefined();
    const list = applyCompletion(many.state, "kubectl get pods demoapp-5f7d8f9847-", 17, ["demoapp-5f7d8f9847-2xkqm", "demoapp-5f7d8f9847-9vlgk"]);
    expect(list.list).toEqual(["demoapp-5f7d8f9847-2xkqm", "demoapp-5f7d8f9847-9vlgk"]);
    expect(list.state.buffer).toBe(many.state.buffer);
    // the line changed while the answer was on its way: nothing is inserted
    expect(applyCompletion(feed(s, "x").state, "kubectl ge", 8, ["get"]).state.buffer).toBe("kubectl gex");
    expect(commonPrefix(["svc", "services", "service"])).toBe("s");
  });
});
