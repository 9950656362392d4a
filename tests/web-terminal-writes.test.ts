// What the terminal's view hands xterm (web/terminal/coalesced-writes.ts): the model's writes of one turn of the event
// loop as one write. A line's answer — its output, the next prompt and the callback that sets "Ready" — must reach
// xterm in ONE write, which the view has parsed at once (the first write after input), so that output and prompt are
// drawn in the same animation frame; a line's echo waits for that answer (web/terminal/held-echo.ts). Checked on the
// gathering alone, on the holding alone and on the terminal model over the real API.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { effect } from "@preact/signals";
import { createTestApp, type TestApp } from "./helpers/db-app.ts";
import { createHttpClient } from "../web/api/client.ts";
import { createGraphQLTransport } from "../web/terminal/transport.ts";
import { TerminalModel } from "../web/models/terminal.ts";
import { openLabCluster } from "../web/models/labs.ts";
import { coalescedWrites } from "../web/terminal/coalesced-writes.ts";
import { ECHO_HOLD_MS, heldEcho } from "../web/terminal/held-echo.ts";

/** A scheduler the test runs by hand: `turn()` ends the current turn (runs what was scheduled). */
function manual() {
  const pending: (() => void)[] = [];
  return { schedule: (fn: () => void) => void pending.push(fn), turn: () => pending.splice(0).forEach((fn) => fn()), pending };
}

describe("coalescedWrites", () => {
  it("gathers a turn's writes into one, in order, with the turn's callbacks run after it in order", () => {
    const s = manual();
    const got: string[] = [];
    const w = coalescedWrites((text, done) => {
      got.push(`write ${JSON.stringify(text)}`);
      done?.();
    }, s.schedule);
    w.write("out\n");
    w.whenWritten(() => got.push("first"));
    w.write("$ ");
    w.whenWritten(() => got.push("second"));
    expect(got).toEqual([]);
    expect(s.pending).toHaveLength(1); // one flush per turn however many writes
    s.turn();
    expect(got).toEqual([`write "out\\n$ "`, "first", "second"]);
    w.write("next");
    s.turn();
    expect(got.at(-1)).toBe(`write "next"`);
  });

  it("writes nothing for an empty turn, runs a lone callback through the view's write, and drops all once disposed", () => {
    const s = manual();
    const calls: { text: string; done: boolean }[] = [];
    const ran: string[] = [];
    const w = coalescedWrites((text, done) => {
      calls.push({ text, done: !!done });
      done?.();
    }, s.schedule);
    s.turn();
    expect(calls).toEqual([]);
    w.whenWritten(() => ran.push("shown"));
    s.turn();
    expect(calls).toEqual([{ text: "", done: true }]); // still in order behind anything xterm has not parsed yet
    expect(ran).toEqual(["shown"]);
    w.write("late");
    w.dispose();
    s.turn();
    expect(calls).toHaveLength(1);
  });
});

describe("the terminal model through coalescedWrites", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  it("a line's answer is one write: its output then the next prompt, with Ready set once that write is parsed", async () => {
    const token = await t.token({ sub: "cw1", role: "student", course: "c1" });
    const client = createHttpClient({ endpoint: "http://kubelab.test/graphql", token: () => token, fetch: async (input, init) => t.app.fetch(String(input), init as RequestInit) });
    const opened = await openLabCluster(client, "clusterip-services");
    if (!opened.ok) throw new Error(opened.error.message);
    const id = opened.id;
    // what exec answers for the line (before the page reads the cluster, so the page sees no change from elsewhere)
    const expected = (await t.gql(token, `mutation($id: ID!) { exec(input: { clusterId: $id, command: "kubectl get svc" }) { ... on ExecPayload { stdout stderr } } }`, { id })).data.exec;
    expect(expected.stdout).toMatch(/^NAME\s/);
    const m = new TerminalModel({ client, clusterId: id, transport: createGraphQLTransport(client, id, { sleep: async () => {} }) });
    const writes: { text: string; statusBefore: string; statusAfter?: string }[] = [];
    const w = coalescedWrites((text, done) => {
      const entry: (typeof writes)[number] = { text, statusBefore: m.status.peek().kind };
      writes.push(entry);
      done?.();
      entry.statusAfter = m.status.peek().kind;
    });
    m.attach(w.write, w.whenWritten);
    await m.start();
    await expect.poll(() => writes.map((x) => x.text).join("")).toBe("[root@master01 ~]# ");
    writes.length = 0;
    m.input("kubectl get svc\r");
    await expect.poll(() => m.status.value.kind).toBe("ready");
    // the typed line and its Enter are echoed with the answer (held-echo.ts), or on their own first if the answer
    // took longer than ECHO_HOLD_MS; the output and the prompt are one write, which sets Ready
    const answer = `${expected.stdout}${expected.stderr}[root@master01 ~]# `;
    expect(writes.map((x) => x.text).join("")).toBe(`kubectl get svc\r\n${answer}`);
    expect(writes.at(-1)).toMatchObject({ statusBefore: "running", statusAfter: "ready" });
    expect([answer, `kubectl get svc\r\n${answer}`]).toContain(writes.at(-1)!.text);
  });
});

describe("the terminal model's Ready over a pasted block", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  /**
   * A student's terminal on a fresh cluster whose view parses writes only when the test says (`show()` runs what it
   * was asked to run once shown), and whose exec requests after the first `free` wait at a gate the test opens.
   */
  async function gatedTerminal(sub: string) {
    const token = await t.token({ sub, role: "student", course: "c1" });
    let free = Infinity;
    let open: () => void = () => {};
    let gate = Promise.resolve();
    let execs = 0;
    const client = createHttpClient({
      endpoint: "http://kubelab.test/graphql",
      token: () => token,
      fetch: async (input, init) => {
        if (String(init?.body ?? "").includes("mutation Exec") && ++execs > free) await gate;
        return t.app.fetch(String(input), init as RequestInit);
      },
    });
    const opened = await openLabCluster(client, "clusterip-services");
    if (!opened.ok) throw new Error(opened.error.message);
    const m = new TerminalModel({ client, clusterId: opened.id, transport: createGraphQLTransport(client, opened.id, { sleep: async () => {} }) });
    const unshown: (() => void)[] = [];
    let text = "";
    const kinds: string[] = [];
    m.attach((x) => (text += x), (fn) => void unshown.push(fn));
    await m.start();
    const stop = effect(() => void (kinds.at(-1) !== m.status.value.kind && kinds.push(m.status.value.kind)));
    return {
      m,
      kinds,
      text: () => text,
      show: () => unshown.splice(0).forEach((fn) => fn()),
      holdAfter(n: number) {
        free = execs + n;
        gate = new Promise<void>((r) => (open = r));
      },
      open: () => open(),
      execs: () => execs,
      stop,
    };
  }

  it("stays Running between a paste's lines even when the first line's prompt is shown while the second runs", async () => {
    const g = await gatedTerminal("rp1");
    g.show();
    expect(g.m.status.peek().kind).toBe("ready");
    g.holdAfter(1);
    g.m.input("kubectl get svc\rkubectl get nodes\r");
    // the first line answered and prompted; the second is sent and held at the gate
    await expect.poll(() => g.execs()).toBe(2);
    expect(g.text()).toMatch(/NAME\s[\s\S]*\[root@master01 ~\]# $/);
    g.show(); // the view shows the first line's answer only now, while the second line runs
    expect(g.m.status.peek().kind).toBe("running");
    g.open();
    await expect.poll(() => /master01\s+Ready/.test(g.text())).toBe(true);
    g.show();
    await expect.poll(() => g.m.status.peek().kind).toBe("ready");
    g.stop();
    expect(g.kinds).toEqual(["ready", "running", "ready"]); // Ready at the start and after the last line, not between
  });

  it("is Ready once a paste is through when its last line runs no command (a here-document's end, a blank line)", async () => {
    const g = await gatedTerminal("rp2");
    g.show();
    g.m.input("cat > a.txt <<EOF\rhello\rEOF\r\r\r");
    await expect.poll(() => (g.show(), g.kinds.join())).toBe("ready,running,ready");
    expect(g.text()).toMatch(/> hello\r\n> EOF\r\n\[root@master01 ~\]# \r\n\[root@master01 ~\]# \r\n\[root@master01 ~\]# $/);
    g.stop();
  });
});

describe("heldEcho", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  /** Ends the current turn: hold() sets its timer once the turn that sent the line's request is over. */
  const turn = () => Promise.resolve();

  it("holds a line's echo until the next write, which it goes out with, in order", async () => {
    const out: string[] = [];
    const e = heldEcho((t) => out.push(t));
    e.write("typed");
    e.hold("\r\n");
    await turn();
    expect(out).toEqual(["typed"]);
    vi.advanceTimersByTime(ECHO_HOLD_MS - 1);
    expect(out).toEqual(["typed"]);
    e.write("output");
    expect(out).toEqual(["typed", "\r\n", "output"]);
    vi.advanceTimersByTime(ECHO_HOLD_MS * 2);
    expect(out).toEqual(["typed", "\r\n", "output"]); // let out once
  });

  it("lets the echo out on its own after ECHO_HOLD_MS when nothing follows; a second hold lets out the first", async () => {
    const out: string[] = [];
    const e = heldEcho((t) => out.push(t));
    e.hold("a\r\n");
    await turn();
    vi.advanceTimersByTime(ECHO_HOLD_MS);
    expect(out).toEqual(["a\r\n"]);
    e.hold("b\r\n");
    e.hold("c\r\n");
    expect(out).toEqual(["a\r\n", "b\r\n"]);
    await turn();
    vi.advanceTimersByTime(ECHO_HOLD_MS);
    expect(out).toEqual(["a\r\n", "b\r\n", "c\r\n"]);
    e.hold("");
    await turn();
    vi.advanceTimersByTime(ECHO_HOLD_MS);
    expect(out).toHaveLength(3);
  });
});
