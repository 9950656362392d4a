// The cluster picture and the grade book's reads, over GraphQL/HTTP with real tokens: `Cluster.picture` follows the
// cluster (scale, readiness), its `lastRequest` is the request the student's last curl sent — the same answer, the
// SNAT client IP and the DNAT rule — found again by replay; an attempt's picture and transcript stop at the version
// graded; `attempt(id)`, `courseReport` and LabReport's figures are for the attempt's student and its course's staff.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "./helpers/db-app.ts";
import { getLab } from "../labs/catalog.ts";
import { keepScan, scanOf } from "../api/run-index.ts";

let t: TestApp;
const tok: Record<string, string> = {};

const PICTURE = `version now nodes { name internalIP } pods { name namespace ip node ready terminating labels }
  services { name namespace type clusterIP externalIPs externalName ports { port nodePort } }
  endpoints { name namespace addresses { ip pod } notReadyAddresses { ip pod } }
  lastRequest { seq command host from url response { ok body clientIP dest servedBy { kind name ip } service trace { at rule detail } } }`;
const CLUSTER = `query($id: ID!) { cluster(id: $id) { version picture { ${PICTURE} } } }`;
const CREATE = `mutation($s: String, $n: String!) { createCluster(input: { name: $n, labSlug: $s, seed: 7 }) { ... on CreateClusterPayload { cluster { id } } ... on Error { message } } }`;
const EXEC = `mutation($id: ID!, $c: String!, $h: String) { exec(input: { clusterId: $id, command: $c, host: $h }) { ... on ExecPayload { stdout stderr exitCode } ... on Error { message } } }`;
const SUBMIT = `mutation($id: ID!) { submitLab(input: { clusterId: $id }) { ... on SubmitLabPayload { attempt { id score clusterVersion } } ... on Error { message } } }`;
const ATTEMPT = `query($id: ID!) { attempt(id: $id) { id user score clusterVersion picture { ${PICTURE} } transcript { seq input host stdout exitCode } } }`;

async function data(token: string, q: string, v: Record<string, unknown>) {
  const r = await t.gql(token, q, v);
  expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
  return r.data;
}
const exec = async (who: string, id: string, c: string, h?: string) => (await data(tok[who], EXEC, { id, c, h: h ?? null })).exec;
const picture = async (who: string, id: string) => (await data(tok[who], CLUSTER, { id })).cluster.picture;
const links = (p: any, svc: string) => p.endpoints.find((e: any) => e.name === svc);

beforeAll(async () => {
  t = await createTestApp();
  tok.alice = await t.token({ sub: "alice", role: "student", course: "c1" });
  tok.bob = await t.token({ sub: "bob", role: "student", course: "c1" });
  tok.teacher = await t.token({ sub: "teacher", role: "instructor", course: "c1" });
  tok.grader = await t.token({ sub: "ci", role: "grader", course: "c1" });
  tok.other = await t.token({ sub: "prof2", role: "instructor", course: "c2" });
});
afterAll(() => t?.close());

describe("Cluster.picture", () => {
  it("draws the pods, the Service and its endpoints, and follows a scale", async () => {
    const { createCluster } = await data(tok.alice, CREATE, { s: null, n: "pic" });
    const id = createCluster.cluster.id;
    await exec("alice", id, "kubectl create deployment demoapp --image=ikubernetes/demoapp:v1.0 --replicas=3");
    await exec("alice", id, "kubectl expose deployment demoapp --port=80");
    await exec("alice", id, "sleep 10");
    let p = await picture("alice", id);
    expect(p.nodes.map((n: any) => n.name)).toEqual(["master01", "node01", "node02"]);
    const pods = p.pods.filter((x: any) => x.labels.app === "demoapp");
    expect(pods).toHaveLength(3);
    expect(pods.every((x: any) => x.ready && x.ip && x.node)).toBe(true);
    const svc = p.services.find((s: any) => s.name === "demoapp");
    expect(svc).toMatchObject({ type: "ClusterIP", ports: [{ port: 80, nodePort: null }] });
    expect(links(p, "demoapp").addresses.map((a: any) => a.pod).sort()).toEqual(pods.map((x: any) => x.name).sort());
    expect(p.lastRequest).toBeNull();

    await exec("alice", id, "kubectl scale deployment demoapp --replicas=2");
    p = await picture("alice", id);
    // the removed pod is Terminating for its grace period, already out of the Endpoints
    const after = p.pods.filter((x: any) => x.labels.app === "demoapp");
    expect(after.filter((x: any) => x.terminating)).toHaveLength(1);
    const left = after.filter((x: any) => !x.terminating);
    expect(left).toHaveLength(2);
    expect(links(p, "demoapp").addresses.map((a: any) => a.pod).sort()).toEqual(left.map((x: any) => x.name).sort());
    await exec("alice", id, "sleep 35");
    p = await picture("alice", id);
    expect(p.pods.filter((x: any) => x.labels.app === "demoapp").map((x: any) => x.name).sort()).toEqual(left.map((x: any) => x.name).sort());
  });

  it("gives the last request as the student's curl got it: same answer, SNAT client IP, DNAT rule", async () => {
    const { createCluster } = await data(tok.alice, CREATE, { s: "readiness-endpoints", n: "ready" });
    const id = createCluster.cluster.id;
    const lab = getLab("readiness-endpoints")!;
    const outs: { line: string; stdout: string; host?: string }[] = [];
    for (const e of lab.solution) outs.push({ line: e.line, host: e.host, stdout: (await exec("alice", id, e.line, e.host)).stdout });
    const p = await picture("alice", id);
    // one pod failed its probe: its address is not ready
    const ep = links(p, "services-readiness-demo");
    expect(ep.addresses).toHaveLength(1);
    expect(ep.notReadyAddresses).toHaveLength(1);
    const unready = p.pods.find((x: any) => x.name === ep.notReadyAddresses[0].pod);
    expect(unready.ready).toBe(false);

    const last = outs.at(-1)!;
    expect(p.lastRequest.command).toBe(last.line);
    expect(p.lastRequest.host).toBe(last.host ?? null);
    expect(p.lastRequest.seq).toBe(p.version);
    expect(p.lastRequest.from).toBe(`node/${last.host ?? "master01"}`);
    expect(p.lastRequest.response.body.trim()).toBe(last.stdout.trim());
    const seen = /ClientIP: ([\d.]+)/.exec(last.stdout)![1];
    expect(p.lastRequest.response.clientIP).toBe(seen);
    expect(p.lastRequest.response.servedBy.ip).toBe(ep.addresses[0].ip);
    expect(p.lastRequest.response.trace.some((h: any) => /DNAT/.test(h.rule + (h.detail ?? "")))).toBe(true);

    // a later command that sends nothing leaves the last request as it was
    await exec("alice", id, "kubectl get pods");
    const q = await picture("alice", id);
    expect(q.version).toBe(p.version + 1);
    expect(q.lastRequest).toEqual(p.lastRequest);
  });

  it("follows the run as it goes, command by command: a curl becomes the last request, a reset clears it, a later curl replaces it", async () => {
    const { createCluster } = await data(tok.alice, CREATE, { s: "readiness-endpoints", n: "ready-steps" });
    const id = createCluster.cluster.id;
    expect((await picture("alice", id)).lastRequest).toBeNull();
    const lab = getLab("readiness-endpoints")!;
    const curls = lab.solution.filter((e) => /\bcurl\b/.test(e.line));
    expect(curls.length).toBeGreaterThan(0);
    let expected: string | null = null;
    for (const e of lab.solution) {
      await exec("alice", id, e.line, e.host);
      if (/\bcurl\b/.test(e.line)) expected = e.line;
      const p = await picture("alice", id);
      expect(p.lastRequest?.command ?? null).toBe(expected);
    }
    const before = await picture("alice", id);
    await data(tok.alice, `mutation($id: ID!) { resetCluster(input: { clusterId: $id }) { __typename } }`, { id });
    expect((await picture("alice", id)).lastRequest).toBeNull();
    await exec("alice", id, "kubectl get pods");
    expect((await picture("alice", id)).lastRequest).toBeNull();
    // the run again: the same last request as the first time (same seed, same lines), at its new position in the log
    for (const e of lab.solution) await exec("alice", id, e.line, e.host);
    const again = await picture("alice", id);
    expect(again.lastRequest.command).toBe(before.lastRequest.command);
    expect(again.lastRequest.seq).toBe(again.version);
    expect(again.lastRequest.response).toEqual(before.lastRequest.response);
  });

  it("takes the last request as the line ran, and it is the one a replay of the run finds (an attempt's picture)", async () => {
    const { createCluster } = await data(tok.alice, CREATE, { s: "readiness-endpoints", n: "live-vs-replay" });
    const id = createCluster.cluster.id;
    const lab = getLab("readiness-endpoints")!;
    const replayed = async () => (await data(tok.alice, ATTEMPT, { id: (await data(tok.alice, SUBMIT, { id })).submitLab.attempt.id })).attempt.picture;
    for (const e of lab.solution) await exec("alice", id, e.line, e.host);
    // a loop that sends several: the last of them; a line that may send but does not, and one that cannot: unchanged
    const steps = [
      "for i in 1 2 3; do curl -s 10.98.48.27; done",
      "bash -c 'echo nothing sent'",
      "kubectl get pods",
    ];
    // (history expansion: `!!` after the loop sends what the loop sent, and is the last request then)
    const loopRequest = await (async () => {
      await exec("alice", id, steps[0]);
      const live = await picture("alice", id);
      expect(live.lastRequest.command).toBe(steps[0]);
      expect(live.lastRequest).toEqual((await replayed()).lastRequest);
      return live.lastRequest;
    })();
    for (const line of steps.slice(1)) {
      await exec("alice", id, line);
      const live = await picture("alice", id);
      expect(live.lastRequest).toEqual(loopRequest);
      expect(live.lastRequest).toEqual((await replayed()).lastRequest);
    }
    await exec("alice", id, steps[0]);
    await exec("alice", id, "!!");
    const again = await picture("alice", id);
    expect([again.lastRequest.command, again.lastRequest.seq]).toEqual(["!!", again.version]);
    expect(again.lastRequest).toEqual((await replayed()).lastRequest);
    // and after a reset the run starts again with nothing sent, its first curl the last request
    await data(tok.alice, `mutation($id: ID!) { resetCluster(input: { clusterId: $id }) { __typename } }`, { id });
    for (const e of lab.solution.slice(0, lab.solution.findIndex((x) => /\bcurl\b/.test(x.line)) + 1)) await exec("alice", id, e.line, e.host);
    const live = await picture("alice", id);
    expect(live.lastRequest.seq).toBe(live.version);
    expect(live.lastRequest).toEqual((await replayed()).lastRequest);
  });

  it("a run this instance did not follow from its start is replayed once, and followed as it runs from then on", async () => {
    const { createCluster } = await data(tok.alice, CREATE, { s: "readiness-endpoints", n: "followed-later" });
    const id = createCluster.cluster.id;
    const lab = getLab("readiness-endpoints")!;
    for (const e of lab.solution) await exec("alice", id, e.line, e.host);
    const live = await picture("alice", id);
    // as if another process had written the run (or the scan had been evicted): what the lines sent is not known here
    const scan = scanOf(id)!;
    expect(scan.requests).toBeDefined();
    keepScan(id, { upTo: scan.upTo, lastRequest: scan.lastRequest });
    expect(scanOf(id)!.requests).toBeUndefined();
    expect((await picture("alice", id)).lastRequest).toEqual(live.lastRequest);
    // the replay told the scan what the run sent: the next lines are followed as they run, and agree with a replay
    expect(scanOf(id)!.requests).toBeDefined();
    for (const line of ["curl -s 10.98.48.27", "kubectl get pods"]) {
      await exec("alice", id, line);
      const p = await picture("alice", id);
      expect(scanOf(id)!.requests?.pictured?.seq).toBe(p.lastRequest.seq);
      expect(p.lastRequest).toEqual((await data(tok.alice, ATTEMPT, { id: (await data(tok.alice, SUBMIT, { id })).submitLab.attempt.id })).attempt.picture.lastRequest);
    }
  });

  it("is not given to another student", async () => {
    const { createCluster } = await data(tok.alice, CREATE, { s: null, n: "mine" });
    const r = await t.gql(tok.bob, CLUSTER, { id: createCluster.cluster.id });
    expect(r.data?.cluster ?? null).toBeNull();
  });
});

describe("the grade book's reads", () => {
  let attemptId = "";
  let graded = 0;
  let clusterId = "";

  beforeAll(async () => {
    const { createCluster } = await data(tok.alice, CREATE, { s: "clusterip-services", n: "gb" });
    clusterId = createCluster.cluster.id;
    for (const e of getLab("clusterip-services")!.solution) await exec("alice", clusterId, e.line, e.host);
    const s = (await data(tok.alice, SUBMIT, { id: clusterId })).submitLab;
    attemptId = s.attempt.id;
    graded = s.attempt.clusterVersion;
    await exec("alice", clusterId, "kubectl delete deployment demoapp");
  });

  it("an attempt's picture and transcript stop at the version graded", async () => {
    const a = (await data(tok.teacher, ATTEMPT, { id: attemptId })).attempt;
    expect(a.user).toBe("alice");
    expect(a.picture.version).toBe(graded);
    expect(a.picture.pods.length).toBeGreaterThan(0);
    const live = await picture("alice", clusterId);
    expect(live.version).toBe(graded + 1);
    expect(a.transcript.at(-1).seq).toBe(graded);
    expect(a.transcript.map((e: any) => e.input)).toEqual(getLab("clusterip-services")!.solution.map((e) => e.line));
    const curl = a.transcript.filter((e: any) => /^curl /.test(e.input)).at(-1);
    expect(a.picture.lastRequest.seq).toBe(curl.seq);
    expect(a.picture.lastRequest.response.body.trim()).toBe(curl.stdout.trim());
  });

  it("attempt(id) is for the student and the course's staff only", async () => {
    expect((await data(tok.alice, ATTEMPT, { id: attemptId })).attempt.id).toBe(attemptId);
    expect((await data(tok.grader, `query($id: ID!) { attempt(id: $id) { id } }`, { id: attemptId })).attempt.id).toBe(attemptId);
    expect((await data(tok.bob, `query($id: ID!) { attempt(id: $id) { id } }`, { id: attemptId })).attempt).toBeNull();
    expect((await data(tok.other, `query($id: ID!) { attempt(id: $id) { id } }`, { id: attemptId })).attempt).toBeNull();
    expect((await data(tok.teacher, `query { attempt(id: "nope") { id } }`, {})).attempt).toBeNull();
  });

  it("courseReport gives every lab's figures to the course's staff, nothing to another course", async () => {
    const Q = `query($c: String!) { courseReport(courseId: $c) { labSlug maxScore started submitted scores medianScore medianSecondsToSubmit } }`;
    const labs = (await data(tok.teacher, Q, { c: "c1" })).courseReport;
    const ip = labs.find((l: any) => l.labSlug === "clusterip-services");
    expect(ip).toMatchObject({ started: 1, submitted: 1, scores: [ip.maxScore], medianScore: ip.maxScore });
    expect(ip.medianSecondsToSubmit).toBeGreaterThanOrEqual(0);
    expect(labs.find((l: any) => l.labSlug === "labels")).toMatchObject({ started: 0, submitted: 0, scores: [], medianScore: null });
    expect((await data(tok.other, Q, { c: "c1" })).courseReport).toEqual([]);
    const r = await t.gql(tok.bob, Q, { c: "c1" });
    expect(r.errors?.length).toBeGreaterThan(0);
  });
});
