// The facade's served times (api/k8s/time.ts): a read's shift is taken afresh; a write answers with the shift its
// client has just read, so real kubectl's "patched (no change)" does not turn on a wall-clock second.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { IncomingMessage, ServerResponse } from "node:http";
import { clockShift, servedShift } from "../api/k8s/time.ts";
import { createTestApp, type TestApp } from "./helpers/db-app.ts";
import { hasKubectl, kubectlFor, serve, terminalLine, type Kubectl } from "./helpers/kubectl.ts";

describe("servedShift: which shift a response is served with", () => {
  const V = 1_000; // the cluster's virtual clock, in seconds
  const T = 1_800_000_000_000; // a wall-clock second's start, in ms
  // each row: a fresh cluster id, then requests in order; `want` is the shift served, as an offset from T's
  const rows: { name: string; steps: { request: "read" | "write"; wall: number; virtual?: number; want: number }[] }[] = [
    {
      name: "a write 0.31 s after a read, across a second: the read's shift",
      steps: [
        { request: "read", wall: T + 990, want: 0 },
        { request: "write", wall: T + 1_300, want: 0 },
      ],
    },
    {
      name: "a read after a read, across a second: afresh (kubectl computes describe's ages from the wall clock)",
      steps: [
        { request: "read", wall: T + 990, want: 0 },
        { request: "read", wall: T + 1_010, want: 1 },
      ],
    },
    {
      name: "a write 1.5 s after the read: afresh",
      steps: [
        { request: "read", wall: T + 500, want: 0 },
        { request: "write", wall: T + 2_000, want: 2 },
      ],
    },
    {
      name: "a write just under 1.5 s after the read: the read's",
      steps: [
        { request: "read", wall: T + 500, want: 0 },
        { request: "write", wall: T + 1_999, want: 0 },
      ],
    },
    {
      name: "the virtual clock moved in between (a sleep): afresh, so no served time is in the future",
      steps: [
        { request: "read", wall: T + 990, want: 0 },
        { request: "write", wall: T + 1_300, virtual: V + 30, want: 1 - 30 },
      ],
    },
    {
      name: "a write with no read before it takes the shift afresh, and the next write within 1.5 s reuses it",
      steps: [
        { request: "write", wall: T + 990, want: 0 },
        { request: "write", wall: T + 1_400, want: 0 },
        { request: "write", wall: T + 2_600, want: 2 },
      ],
    },
    {
      name: "writes in a row do not stretch the reuse: it counts from when the shift was taken",
      steps: [
        { request: "read", wall: T + 100, want: 0 },
        { request: "write", wall: T + 1_000, want: 0 },
        { request: "write", wall: T + 1_600, want: 1 },
      ],
    },
    {
      name: "a wall clock set back: afresh",
      steps: [
        { request: "read", wall: T + 1_500, want: 1 },
        { request: "write", wall: T + 900, want: 0 },
      ],
    },
  ];
  it.each(rows.map((r, i) => ({ ...r, id: `cluster-${i}` })))("$name", ({ id, steps }) => {
    for (const s of steps) expect(servedShift(id, s.virtual ?? V, s.request, s.wall), `${s.request} at +${s.wall - T} ms`).toBe(clockShift(V, T) + s.want);
  });

  it("one cluster's read does not lend its shift to another cluster's write", () => {
    expect(servedShift("a", V, "read", T + 990)).toBe(clockShift(V, T));
    expect(servedShift("b", V, "write", T + 1_300)).toBe(clockShift(V, T) + 1);
  });
});

describe.skipIf(!hasKubectl())("real kubectl patch: a no-op patch is '(no change)' even when a second turns between its GET and PATCH", () => {
  let t: TestApp;
  let server: { origin: string; close(): Promise<void> };
  let kubectl: Kubectl;

  beforeAll(async () => {
    t = await createTestApp();
    const principal = { sub: "alice", role: "student" as const, course: "c1" };
    const token = await t.token(principal);
    const r = await t.gql(token, `mutation { createCluster(input: { name: "times", seed: 3 }) { ... on CreateClusterPayload { cluster { id } } ... on Error { message } } }`);
    const id = r.data.createCluster.cluster.id;
    const out = await terminalLine(t, token, id, "kubectl create service clusterip web --tcp=80:80");
    expect(out.exitCode, out.stderr).toBe(0);
    // The wall clock, frozen, is moved to 0.3 s into the next second as each request that is not a GET arrives: a
    // GET and the write kubectl sends after it are always a second apart on the wall clock and under 1.3 s apart.
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Math.floor(Date.now() / 1000) * 1000 + 500);
    const stepping = (req: IncomingMessage, res: ServerResponse) => {
      if (req.method !== "GET") vi.setSystemTime(Math.floor(Date.now() / 1000) * 1000 + 1_300);
      return (t.app as unknown as (req: IncomingMessage, res: ServerResponse) => void)(req, res);
    };
    server = await serve(stepping as unknown as TestApp["app"], [4500, 4599]);
    kubectl = await kubectlFor(server.origin, { id, name: "times" }, principal);
  }, 120_000);
  afterAll(async () => {
    vi.useRealTimers();
    kubectl?.close();
    await server?.close();
    await t?.close();
  });

  it("patch, then the same patch again", async () => {
    const patch = ["patch", "svc", "web", "-p", '{"spec":{"sessionAffinity":"ClientIP"}}'];
    expect(await kubectl.run(patch)).toEqual({ stdout: "service/web patched\n", stderr: "", code: 0 });
    for (let i = 0; i < 3; i++) expect(await kubectl.run(patch)).toEqual({ stdout: "service/web patched (no change)\n", stderr: "", code: 0 });
  }, 60_000);
});
