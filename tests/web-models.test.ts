// The lab page's models and transport without a browser: the page's own client over the real API (yoga.fetch),
// so every document the page sends is checked against the schema and the server's behaviour.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "./helpers/db-app.ts";
import { createHttpClient, payload, type Client } from "../web/api/client.ts";
import { createGraphQLTransport } from "../web/terminal/transport.ts";
import { TerminalModel, historyFromLog } from "../web/models/terminal.ts";
import { CheckpointsModel } from "../web/models/checkpoints.ts";
import { LabsModel, labState, openLabCluster } from "../web/models/labs.ts";
import { classify, createSessionModel, decodeClaims, tokenFromFragment } from "../web/models/session.ts";
import { getLab } from "../labs/catalog.ts";
import { runLog } from "../api/grading.ts";
import { replayAttempt } from "../engine/grading/index.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t?.close());

/** The page's client on the test app; `lose` decides, per request body, to drop the answer after the server acted. */
function pageClient(token: string, opts: { lose?: (body: string) => boolean; refuse?: (body: string) => boolean } = {}): Client {
  return createHttpClient({
    endpoint: "http://kubelab.test/graphql",
    token: () => token,
    fetch: async (input, init) => {
      const body = String(init?.body ?? "");
      if (opts.refuse?.(body)) throw new TypeError("Failed to fetch");
      const res = await t.app.fetch(String(input), init as RequestInit);
      if (opts.lose?.(body)) {
        await res.text();
        throw new TypeError("network error: the answer was lost");
      }
      return res;
    },
  });
}

const sleepless = { sleep: async () => {} };

async function labCluster(sub: string): Promise<{ token: string; client: Client; id: string }> {
  const token = await t.token({ sub, role: "student", course: "c1" });
  const client = pageClient(token);
  const r = await openLabCluster(client, "clusterip-services");
  if (!r.ok) throw new Error(r.error.message);
  return { token, client, id: r.id };
}

const logOf = async (token: string, id: string) =>
  (await t.gql(token, `query($id: ID!) { cluster(id: $id) { commandLog(last: 50) { edges { node { input } } } } }`, { id })).data.cluster.commandLog.edges.map((e: any) => e.node.input);

describe("transport", () => {
  it("an answer lost after the line ran: the output comes from the command log, and the line ran once", async () => {
    const { token, id } = await labCluster("tr1");
    let lost = 0;
    const client = pageClient(token, { lose: (b) => b.includes("mutation Exec") && lost++ === 0 });
    const v0 = (await t.gql(token, `query($id: ID!) { cluster(id: $id) { version } }`, { id })).data.cluster.version;
    const tr = createGraphQLTransport(client, id, { version: v0, ...sleepless });
    const r = await tr.run("kubectl create deployment web --image=nginx", { host: "master01", cwd: "/root", env: {} });
    expect(r).toMatchObject({ ok: true, recovered: true, result: { stdout: "deployment.apps/web created\n", stderr: "", exitCode: 0 } });
    expect((await logOf(token, id)).filter((l: string) => l.startsWith("kubectl create deployment web"))).toHaveLength(1);
    expect(tr.connection.value).toEqual({ kind: "ok" });
  });

  it("a line that never reached the server is sent again once it is back", async () => {
    const { token, id } = await labCluster("tr2");
    let refused = 0;
    const client = pageClient(token, { refuse: () => refused++ < 3 });
    const states: string[] = [];
    const tr = createGraphQLTransport(client, id, { version: 1, sleep: async () => void states.push(tr.connection.peek().kind) });
    const r = await tr.run("kubectl get deploy", { host: "master01", cwd: "/root", env: {} });
    expect(r).toMatchObject({ ok: true, recovered: false, result: { exitCode: 0 } });
    // the first send and two log look-ups fail: three waits, then the log shows the line never ran, and it is sent
    expect(states).toEqual(["lost", "lost", "lost"]);
    expect((await logOf(token, id)).filter((l: string) => l === "kubectl get deploy")).toHaveLength(1);
  });

  it("a deleted cluster and an over-limit line are typed errors", async () => {
    const { token, client, id } = await labCluster("tr3");
    const tr = createGraphQLTransport(client, id, sleepless);
    const long = await tr.run("echo " + "a".repeat(9000), { host: "master01", cwd: "/root", env: {} });
    expect(long).toEqual({ ok: false, error: { kind: "typed", code: "ValidationError", message: "the command is longer than 8192 characters" } });
    await t.gql(token, `mutation($id: ID!) { deleteCluster(input: { clusterId: $id }) { __typename } }`, { id });
    const gone = await tr.run("kubectl get pods", { host: "master01", cwd: "/root", env: {} });
    expect(gone.ok).toBe(false);
    if (!gone.ok) expect(gone.error).toMatchObject({ kind: "typed", code: "NotFoundError" });
  });
});

describe("terminal model", () => {
  it("runs typed lines through the session and the transport, with history from the command log", async () => {
    const { token, client, id } = await labCluster("tm1");
    await t.gql(token, `mutation($id: ID!) { exec(input: { clusterId: $id, command: "kubectl get svc" }) { __typename } }`, { id });
    const m = new TerminalModel({ client, clusterId: id, transport: createGraphQLTransport(client, id, sleepless) });
    let screen = "";
    m.attach((s) => (screen += s));
    await m.start();
    expect(screen).toBe("[root@master01 ~]# ");
    m.input("\x1b[A"); // ↑: the line run earlier, from the log
    await new Promise((r) => setTimeout(r, 10));
    expect(screen.endsWith("kubectl get svc\x1b[K")).toBe(true);
    m.input("\x03");
    m.input("ssh node01\recho $HOSTNAME-x\rexit\r");
    await expect.poll(() => screen.endsWith("Connection to node01 closed.\n[root@master01 ~]# "), { timeout: 10_000 }).toBe(true);
    expect(screen).toContain("[root@node01 ~]# echo $HOSTNAME-x\r\n");
    const exp = (await t.gql(token, `mutation($id: ID!) { exec(input: { clusterId: $id, command: "echo $HOSTNAME-x", host: "node01" }) { ... on ExecPayload { stdout } } }`, { id })).data.exec.stdout;
    expect(screen).toContain(`echo $HOSTNAME-x\r\n${exp}[root@node01 ~]# `);
    expect(m.status.value).toEqual({ kind: "ready" });
    expect(historyFromLog([{ operation: "exec", input: "cat <<EOF\nx\nEOF" }, { operation: "scale", input: "kubectl scale" }])).toEqual(["cat <<EOF"]);
  });
});

describe("terminal model: the shell between lines", () => {
  it("keeps cd, export and $? from one line to the next, per host, and a regrade replays lines in the shell they ran in", async () => {
    const { token, client, id } = await labCluster("sh1");
    const m = new TerminalModel({ client, clusterId: id, transport: createGraphQLTransport(client, id, sleepless) });
    let screen = "";
    m.attach((s) => (screen += s));
    await m.start();
    const typed = async (line: string, ending: string) => {
      m.input(`${line}\r`);
      await expect.poll(() => screen.endsWith(ending), { timeout: 10_000 }).toBe(true);
    };
    await typed("mkdir -p /srv/web && cd /srv/web", "[root@master01 web]# ");
    await typed("pwd", "pwd\r\n/srv/web\n[root@master01 web]# ");
    await typed("export EDITOR=nano NS=kube-system", "[root@master01 web]# ");
    await typed("echo $EDITOR $NS", "nano kube-system\n[root@master01 web]# ");
    await typed("false", "false\r\n[root@master01 web]# ");
    await typed("echo $?", "echo $?\r\n1\n[root@master01 web]# ");
    await typed("echo $?", "echo $?\r\n0\n[root@master01 web]# ");
    // another host is another shell, and coming back finds this one as it was
    await typed("ssh node01", "[root@node01 ~]# ");
    await typed("pwd; echo [$EDITOR]", "/root\n[]\n[root@node01 ~]# ");
    await typed("exit", "Connection to node01 closed.\n[root@master01 web]# ");
    // a file written where the shell is, then applied by a relative path on the next line
    await typed("kubectl create deployment web --image=ikubernetes/demoapp:v1.0 --dry-run=client -o yaml > web.yaml", "[root@master01 web]# ");
    await typed("kubectl apply -f web.yaml", "deployment.apps/web created\n[root@master01 web]# ");
    await typed("kubectl get deploy web -o name -n $NS", 'Error from server (NotFound): deployments.apps "web" not found\n[root@master01 web]# ');
    // the log keeps each line's shell, so the cluster rebuilt from it (a regrade's replay) has the same Deployment
    const rows = (await t.gql(token, `query($id: ID!) { cluster(id: $id) { commandLog(last: 50) { edges { node { input } } } } }`, { id })).data.cluster.commandLog.edges.map((e: any) => e.node.input);
    expect(rows).toContain("kubectl apply -f web.yaml");
    const { version, seed } = (await t.gql(token, `query($id: ID!) { cluster(id: $id) { version seed } }`, { id })).data.cluster;
    const log = await runLog({ sql: t.db.sql } as never, id, version);
    expect(log.replay.find((e) => e.line === "kubectl apply -f web.yaml")).toMatchObject({ cwd: "/srv/web", env: { EDITOR: "nano", NS: "kube-system" } });
    expect(log.replay.find((e) => e.line === "mkdir -p /srv/web && cd /srv/web")).not.toHaveProperty("cwd");
    const replayed = replayAttempt(getLab("clusterip-services")!, seed, log.replay);
    expect(replayed.exec("kubectl get deploy web -o name").stdout).toBe("deployment.apps/web\n");
    expect(replayed.readFile("/srv/web/web.yaml")).toContain("name: web");
  });
});

describe("terminal model: editors", () => {
  it("kubectl edit holds the prompt; its write is kept and applied when the editor quits; quitting without one cancels", async () => {
    const { token, client, id } = await labCluster("ed1");
    const m = new TerminalModel({ client, clusterId: id, transport: createGraphQLTransport(client, id, sleepless) });
    let screen = "";
    m.attach((s) => (screen += s));
    await m.start();
    m.input("kubectl edit deploy/demoapp\r");
    await expect.poll(() => m.editing.value?.syntax, { timeout: 10_000 }).toBe("yaml");
    expect(m.status.value).toEqual({ kind: "editing", path: m.editing.value!.path, editor: "vi" });
    expect(m.editing.value).toMatchObject({ cwd: "/root", isNew: false });
    expect(screen).not.toContain("Vim: Warning"); // the page has a screen: no-terminal warnings are not shown
    m.input("echo typed-ahead\r"); // waits for the editor to close
    await new Promise((r) => setTimeout(r, 20));
    expect(screen.endsWith("kubectl edit deploy/demoapp\r\n")).toBe(true);
    const replicas = async () => (await t.gql(token, `query($id: ID!) { cluster(id: $id) { deployments { name replicas } } }`, { id })).data.cluster.deployments.find((d: any) => d.name === "demoapp").replicas;
    // vim's :w then :q — kubectl reads the file once the editor has exited: nothing applied before
    expect(await m.writeEditor(m.editing.value!.content.replace("replicas: 3", "replicas: 2"))).toBeNull();
    expect(m.editing.value).not.toBeNull();
    expect(await replicas()).toBe(3);
    await m.quitEditor();
    expect(m.editing.value).toBeNull();
    await expect.poll(() => screen.endsWith("deployment.apps/demoapp edited\n[root@master01 ~]# echo typed-ahead\r\ntyped-ahead\n[root@master01 ~]# "), { timeout: 10_000 }).toBe(true);
    expect(await replicas()).toBe(2);

    m.input("kubectl edit deploy/demoapp\r");
    await expect.poll(() => m.editing.value !== null, { timeout: 10_000 }).toBe(true);
    await m.cancelEditor();
    await expect.poll(() => screen.endsWith("Edit cancelled, no changes made.\n[root@master01 ~]# "), { timeout: 10_000 }).toBe(true);
  });

  it("vi writes at once (the editor stays open), leaves nothing on the terminal when it quits; a new file says so", async () => {
    const { client, id } = await labCluster("ed2");
    const m = new TerminalModel({ client, clusterId: id, transport: createGraphQLTransport(client, id, sleepless) });
    let screen = "";
    m.attach((s) => (screen += s));
    await m.start();
    m.input("vi notes.txt\r");
    await expect.poll(() => m.editing.value?.path, { timeout: 10_000 }).toBe("/root/notes.txt");
    expect(m.editing.value).toMatchObject({ isNew: true, content: "", editor: "vi", cancelCommand: null });
    expect(await m.writeEditor("hello from the panel\n")).toBeNull();
    expect(m.editing.value).not.toBeNull();
    expect(m.status.value).toEqual({ kind: "editing", path: "/root/notes.txt", editor: "vi" });
    await m.quitEditor();
    await expect.poll(() => m.status.value.kind).toBe("ready");
    expect(screen.endsWith("vi notes.txt\r\n[root@master01 ~]# ")).toBe(true);
    m.input("cat notes.txt\r");
    await expect.poll(() => screen.endsWith("cat notes.txt\r\nhello from the panel\n[root@master01 ~]# "), { timeout: 10_000 }).toBe(true);
    m.input("nano notes.txt\r");
    await expect.poll(() => m.editing.value?.editor, { timeout: 10_000 }).toBe("nano");
    expect(m.editing.value).toMatchObject({ isNew: false, content: "hello from the panel\n" });
    await m.saveEditor("bye\n");
    await expect.poll(() => m.status.value.kind).toBe("ready");
    m.input("cat notes.txt\r");
    await expect.poll(() => screen.endsWith("cat notes.txt\r\nbye\n[root@master01 ~]# "), { timeout: 10_000 }).toBe(true);
  });
});

describe("checkpoints model", () => {
  it("checks, shows each failure's explanation as the grader words it, reveals a hint, submits, and loads it all back", async () => {
    const { token, client, id } = await labCluster("cp1");
    const lab = getLab("clusterip-services")!;
    const defs = lab.checkpoints.map((c) => ({ id: c.id, title: c.title, points: c.points, hasHint: !!c.hint }));
    const m = new CheckpointsModel(client, id, lab.slug, defs);
    await m.load();
    expect(m.states.value).toEqual({});
    await m.check();
    const grade = (await t.gql(token, `query($id: ID!) { cluster(id: $id) { grade { checkpoints { id passed explanation } } } }`, { id })).data.cluster.grade.checkpoints;
    for (const g of grade) expect(m.states.value[g.id].explanation).toBe(g.passed ? null : g.explanation);
    expect(m.score.value).toBe(0);
    await m.revealHint("service-created");
    expect(m.hints.value["service-created"]).toBe(lab.checkpoints[0].hint);
    const again = new CheckpointsModel(client, id, lab.slug, defs);
    await again.load();
    expect(again.hintUsed.value).toEqual({ "service-created": true });
    expect(again.states.value["service-created"].passed).toBe(false);
    await m.submit();
    expect(m.submitted.value).toMatchObject({ score: 0, maxScore: 9 });
    const after = new CheckpointsModel(client, id, lab.slug, defs);
    await after.load();
    expect(after.submitted.value).toMatchObject({ score: 0, maxScore: 9 });
  });
});

describe("labs model and client", () => {
  it("lists every lab with the student's state", async () => {
    const { client, id } = await labCluster("lm1");
    const m = new LabsModel(client);
    await m.load();
    expect(m.rows.value.map((r) => r.lab.slug)).toEqual(
      (await t.gql(await t.token({ sub: "lm1", role: "student" }), `{ labs { slug } }`)).data.labs.map((l: any) => l.slug),
    );
    expect(m.rows.value.find((r) => r.lab.slug === "clusterip-services")!.state).toEqual({ kind: "in-progress", score: null, maxScore: 9 });
    expect(m.rows.value.find((r) => r.lab.slug === "labels")!.state).toEqual({ kind: "not-started" });
    const lab = { slug: "x", title: "X", summary: null, objectives: [], estimatedMinutes: 5, checkpoints: [{ id: "a", points: 4 }] };
    expect(labState(lab, [], [{ labSlug: "x", score: 3, maxScore: 4, submittedAt: "2026-01-01T00:00:00Z" }])).toEqual({ kind: "submitted", score: 3, maxScore: 4 });
    expect(labState(lab, [{ id, labSlug: "x", openAttempt: { progressScore: 2, maxScore: 4 } }], [{ labSlug: "x", score: 3, maxScore: 4, submittedAt: "2026-01-01T00:00:00Z" }])).toEqual({ kind: "in-progress", score: 2, maxScore: 4 });
  });

  it("turns a union's typed error, a refused token and an unreachable server into typed failures", async () => {
    let refusedWith = "";
    const bad = createHttpClient({ endpoint: "http://kubelab.test/graphql", token: () => "not-a-token", onAuthError: (m) => (refusedWith = m), fetch: async (i, init) => t.app.fetch(String(i), init as RequestInit) });
    const r = await bad.request(`{ me { id } }`);
    expect(r).toMatchObject({ ok: false, error: { kind: "auth" } });
    expect(refusedWith).not.toBe("");
    const { client } = await labCluster("cl1");
    const nf = payload(await client.request(`mutation { resetCluster(input: { clusterId: "00000000-0000-4000-8000-000000000000" }) { __typename ... on Error { message } } }`), "resetCluster");
    expect(nf).toMatchObject({ ok: false, error: { kind: "typed", code: "NotFoundError" } });
    const down = createHttpClient({ token: () => null, fetch: async () => Promise.reject(new TypeError("Failed to fetch")) });
    expect(await down.request(`{ me { id } }`)).toEqual({ ok: false, error: { kind: "network", message: "The lab server cannot be reached." } });
  });
});

describe("session", () => {
  it("takes the token from the fragment into storage, clears the address bar, and tells missing, expired and damaged apart", async () => {
    const token = await t.token({ sub: "s1", role: "student", course: "c1", name: "Sam" });
    const store = new Map<string, string>();
    const storage = { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v), removeItem: (k: string) => void store.delete(k) };
    let url = "";
    const s = createSessionModel({ storage, location: { hash: `#token=${token}`, pathname: "/labs/x", search: "" }, replaceUrl: (u) => (url = u), now: () => Date.now() });
    expect(url).toBe("/labs/x");
    expect(s.state.value).toMatchObject({ status: "signed-in", claims: { sub: "s1", name: "Sam" } });
    // a reload: no fragment, the token is still in this tab's storage
    const again = createSessionModel({ storage, location: { hash: "", pathname: "/", search: "" }, replaceUrl: () => {}, now: () => Date.now() });
    expect(again.token.value).toBe(token);
    again.refused("invalid token");
    expect(again.state.value).toEqual({ status: "refused", message: "invalid token" });
    expect(store.size).toBe(0);
    const exp = decodeClaims(token)!.exp!;
    expect(classify(token, exp + 1)).toMatchObject({ status: "expired" });
    expect(classify("a.b.c", 0)).toEqual({ status: "malformed" });
    expect(classify(null, 0)).toEqual({ status: "none" });
    expect(tokenFromFragment("#access_token=abc&x=1")).toBe("abc");
  });
});
