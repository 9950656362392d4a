// An open-loop class: N students, each with a lab cluster of their own and a web lab open on it (one
// `clusterChanged` subscription held over SSE), typing the lab's reference solution into the terminal (`exec`) with
// exponentially distributed think times, checking their progress about once a minute, and submitting when the
// solution is done (then resetting the cluster and starting over, so the load stays steady). Open loop: every
// student's next action is scheduled when the previous one is sent, not when it answers, so a slow server does not
// slow its senders down — the queue shows up in the latencies, as it would for a real class.
import http from "node:http";
import { performance } from "node:perf_hooks";
import { signToken, DEFAULT_AUDIENCE, DEFAULT_ISSUER } from "../api/auth.ts";
import type { Lab } from "../engine/grading/types.ts";
import { gql, httpClient, type HttpClient } from "./load.ts";
import { payload } from "./api-ops.ts";
import { subscribe, type Subscription } from "./sse.ts";
import { openGqlSocket, type GqlSocket } from "./ws-gql.ts";
import { percentile } from "./lib.ts";
import { EXEC as TERMINAL_EXEC } from "../web/terminal/transport.ts";
import { PICTURE_FIELDS } from "../web/models/clusterPicture.ts";

const CREATE = `mutation($name: String!, $lab: String!, $seed: Int) { createCluster(input: { name: $name, labSlug: $lab, seed: $seed }) {
  __typename ... on CreateClusterPayload { cluster { id } } ... on Error { message } } }`;
const EXEC = `mutation($id: ID!, $command: String!, $host: String, $stdin: String) { exec(input: { clusterId: $id, command: $command, host: $host, stdin: $stdin }) {
  __typename ... on ExecPayload { exitCode cluster { version } } ... on Error { message } } }`;
const CHECK = `mutation($id: ID!) { checkProgress(input: { clusterId: $id }) {
  __typename ... on CheckProgressPayload { grade { score } } ... on Error { message } } }`;
const SUBMIT = `mutation($id: ID!) { submitLab(input: { clusterId: $id }) {
  __typename ... on SubmitLabPayload { attempt { score } } ... on Error { message } } }`;
const RESET = `mutation($id: ID!) { resetCluster(input: { clusterId: $id }) {
  __typename ... on ResetClusterPayload { cluster { version } } ... on Error { message } } }`;
const WATCH = `subscription($id: ID!) { clusterChanged(id: $id) { version } }`;
// the web lab's own (web/models/pictureFeed.ts): the cluster picture after every change, its version in it
const WATCH_PICTURE = `subscription($id: ID!) { clusterChanged(id: $id) { picture ${PICTURE_FIELDS} } }`;

export const OPERATIONS = ["exec", "checkProgress", "submitLab", "resetCluster"] as const;
export type Operation = (typeof OPERATIONS)[number];

/** A small seeded PRNG (mulberry32): the same seed gives the same class, arrivals and think times. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Exponentially distributed with the given mean. */
export function exponential(random: () => number, mean: number): number {
  return -Math.log(1 - random()) * mean;
}

export interface ClassStudent {
  token: string;
  clusterId: string;
  lab: Lab;
  /** Index of the server (of those given) this student's page talks to. */
  server: number;
}

export interface ClassOptions {
  /** Base URLs of the server processes; students are spread over them round-robin. */
  servers: string[];
  rampSec: number;
  measureSec: number;
  thinkMeanSec: number;
  checkEverySec: number;
  seed: number;
  /**
   * Each student's traffic as the web lab's page sends it: the terminal's lines over the page's WebSocket in the
   * terminal's document (its output, cwd, env and editor fields; the shell's cwd and env carried from one answer to
   * the next), and the picture subscription. Otherwise: lines over HTTP in a short document, a `{ version }` subscription.
   */
  page?: boolean;
}

export interface OpStats {
  count: number;
  errors: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  firstError?: string;
}

export interface ClassResult {
  students: number;
  measureSec: number;
  /** exec answered per second in the measured window. */
  execRate: number;
  ops: Record<Operation, OpStats>;
  /** write answered → the subscription's event with that version (0 when the event came first). */
  lag: OpStats;
  eventsReceived: number;
  subscriptionsOpen: number;
  subscriptionErrors: number;
  /** Errors outside the measured window too (setup excluded): any error breaks a step. */
  totalErrors: number;
  /** The slowest operations of the measured window (what was sent, how long it took, when relative to t0). */
  slowest: { op: Operation; what: string; ms: number; atSec: number }[];
  /** Per second of the measured window (by send time): how many execs took 100 ms or more — where a p99 comes from. */
  slowExecBySec: number[];
}

function statsOf(samples: number[], errors: number, firstError?: string): OpStats {
  samples.sort((a, b) => a - b);
  return {
    count: samples.length,
    errors,
    p50: percentile(samples, 50),
    p95: percentile(samples, 95),
    p99: percentile(samples, 99),
    max: samples[samples.length - 1] ?? NaN,
    firstError,
  };
}

/** `n` students of course `course`, each with a fresh cluster of a lab (labs taken in turn), created with `concurrency` requests at once. */
export async function enrolClass(
  servers: string[],
  secret: string,
  labs: Lab[],
  n: number,
  prefix: string,
  concurrency = 8,
): Promise<ClassStudent[]> {
  const cfg = { secret, issuer: DEFAULT_ISSUER, audience: DEFAULT_AUDIENCE };
  const clients = servers.map((u) => httpClient(u, concurrency));
  const out: ClassStudent[] = new Array(n);
  let next = 0;
  const worker = async () => {
    for (let k = next++; k < n; k = next++) {
      const server = k % servers.length;
      const lab = labs[k % labs.length];
      const token = await signToken(cfg, { sub: `${prefix}-${k}`, role: "student", course: "bench-class" });
      const d = await gql(clients[server], "/graphql", CREATE, { name: `class-${k}`, lab: lab.slug, seed: 5000 + k }, token);
      const c = payload(d, "createCluster") as { cluster: { id: string } };
      out[k] = { token, clusterId: c.cluster.id, lab, server };
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    for (const c of clients) c.close();
  }
  return out;
}

/** Run the class; `sample()` is called every 5 s of the measured window (server stats are read there). */
export async function runClass(students: ClassStudent[], o: ClassOptions, sample?: () => Promise<void>): Promise<ClassResult> {
  const random = rng(o.seed);
  const clients: HttpClient[] = o.servers.map((u) => httpClient(u, 1024));
  const sseAgent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
  const lat: Record<Operation, number[]> = { exec: [], checkProgress: [], submitLab: [], resetCluster: [] };
  const errs: Record<Operation, number> = { exec: 0, checkProgress: 0, submitLab: 0, resetCluster: 0 };
  const firstErr: Partial<Record<Operation, string>> = {};
  const lags: number[] = [];
  let totalErrors = 0;
  let events = 0;
  let subErrors = 0;
  let subsOpen = 0;
  const subs: Subscription[] = [];
  const sockets: Promise<GqlSocket>[] = [];
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const inflight = new Set<Promise<void>>();

  const t0 = performance.now();
  const measureFrom = t0 + o.rampSec * 1000;
  const measureTo = measureFrom + o.measureSec * 1000;
  let stopping = false;

  const later = (ms: number, fn: () => void) => {
    if (stopping) return;
    const t = setTimeout(() => {
      timers.delete(t);
      if (!stopping) fn();
    }, ms);
    timers.add(t);
  };

  const slowest: ClassResult["slowest"] = [];
  const slowExecBySec = new Array<number>(Math.ceil(o.measureSec)).fill(0);
  const noteSlow = (op: Operation, what: string, ms: number, start: number) => {
    if (slowest.length >= 12 && ms <= slowest[slowest.length - 1].ms) return;
    slowest.push({ op, what, ms, atSec: (start - t0) / 1000 });
    slowest.sort((a, b) => b.ms - a.ms);
    slowest.length = Math.min(slowest.length, 12);
  };

  const send = (s: ClassStudent, op: Operation, query: string, vars: Record<string, unknown>, after?: (data: Record<string, unknown>) => void, ws?: GqlSocket) => {
    const start = performance.now();
    const p = (ws ? ws.request(query, vars) : gql(clients[s.server], "/graphql", query, vars, s.token))
      .then((d) => {
        const body = payload(d, op);
        const end = performance.now();
        if (start >= measureFrom && start < measureTo) {
          lat[op].push(end - start);
          if (op === "exec" && end - start >= 100) slowExecBySec[Math.floor((start - measureFrom) / 1000)]++;
          noteSlow(op, typeof vars.command === "string" ? vars.command.slice(0, 80) : `${op} (${s.lab.slug})`, end - start, start);
        }
        after?.(body);
      })
      .catch((e: Error) => {
        totalErrors++;
        if (start >= measureFrom && start < measureTo) errs[op]++;
        firstErr[op] ??= e.message.slice(0, 300);
      });
    const tracked = p.finally(() => inflight.delete(tracked));
    inflight.add(tracked);
  };

  const startStudent = (s: ClassStudent) => {
    // The page opens: one subscription, held until the end.
    let seen = 0;
    const waiting = new Map<number, number>(); // version → when its write was answered
    const sub = subscribe(
      sseAgent,
      o.servers[s.server],
      s.token,
      o.page ? WATCH_PICTURE : WATCH,
      { id: s.clusterId },
      (data) => {
        events++;
        const c = data.clusterChanged as { version?: number; picture?: { version: number } } | null;
        const v = c?.version ?? c?.picture?.version ?? 0;
        if (v > seen) seen = v;
        const now = performance.now();
        for (const [ver, at] of waiting) {
          if (ver <= v) {
            if (at >= measureFrom && at < measureTo) lags.push(now - at);
            waiting.delete(ver);
          }
        }
      },
      () => subErrors++,
    );
    subs.push(sub);
    sub.opened.then(
      () => subsOpen++,
      () => subErrors++,
    );
    const wrote = (version: number | undefined) => {
      if (!version) return;
      const now = performance.now();
      if (version <= seen) {
        if (now >= measureFrom && now < measureTo) lags.push(0);
      } else waiting.set(version, now);
    };
    // The page's socket for the terminal's lines (opened with the page; a line sent before it is up waits for it).
    const socket = o.page ? openGqlSocket(o.servers[s.server], s.token) : null;
    if (socket) sockets.push(socket);
    socket?.catch((e: Error) => {
      // (each line it would have carried is counted as a failed exec below)
      firstErr.exec ??= `socket: ${e.message}`.slice(0, 300);
    });
    let shell: { cwd: string | null; env: unknown } = { cwd: null, env: null };
    const line = (e: { line: string; host?: string; stdin?: string }) => {
      const answered = (b: Record<string, unknown>) => {
        if (socket) shell = { cwd: b.cwd as string, env: b.env };
        wrote((b.cluster as { version: number } | undefined)?.version);
      };
      const vars = { id: s.clusterId, command: e.line, host: e.host ?? null, stdin: e.stdin ?? null };
      if (!socket) return send(s, "exec", EXEC, vars, answered);
      const sentAt = performance.now();
      void socket.then(
        (ws) => send(s, "exec", TERMINAL_EXEC, { ...vars, ...shell }, answered, ws),
        () => {
          // the page's socket never opened: the line is lost, an error of the exec it was
          totalErrors++;
          if (sentAt >= measureFrom && sentAt < measureTo) errs.exec++;
        },
      );
    };
    // The terminal: the solution's lines, one after another, each after a think time.
    let i = 0;
    const nextLine = () => {
      if (i >= s.lab.solution.length) {
        send(s, "submitLab", SUBMIT, { id: s.clusterId }, () => {
          i = 0;
          later(exponential(random, o.thinkMeanSec) * 1000, () =>
            send(s, "resetCluster", RESET, { id: s.clusterId }, (b) => {
              shell = { cwd: null, env: null }; // the page's terminal starts again with the cluster
              wrote((b.cluster as { version: number } | undefined)?.version);
              later(exponential(random, o.thinkMeanSec) * 1000, nextLine);
            }),
          );
        });
        return;
      }
      line(s.lab.solution[i++]);
      later(exponential(random, o.thinkMeanSec) * 1000, nextLine);
    };
    later(exponential(random, o.thinkMeanSec) * 1000, nextLine);
    // "Check my progress" about once a minute.
    const check = () => {
      send(s, "checkProgress", CHECK, { id: s.clusterId });
      later(o.checkEverySec * 1000 * (0.5 + random()), check);
    };
    later(o.checkEverySec * 1000 * random(), check);
  };

  // Arrivals spread uniformly over the ramp.
  for (const s of students) later(random() * o.rampSec * 1000, () => startStudent(s));

  // The measured window, sampled every 5 s.
  await new Promise((r) => setTimeout(r, Math.max(0, measureFrom - performance.now())));
  const sampler = setInterval(() => void sample?.().catch(() => {}), 5000); // a failed reading is not the class's
  await sample?.();
  await new Promise((r) => setTimeout(r, Math.max(0, measureTo - performance.now())));
  clearInterval(sampler);

  stopping = true;
  for (const t of timers) clearTimeout(t);
  await Promise.race([Promise.allSettled([...inflight]), new Promise((r) => setTimeout(r, 30_000))]);
  for (const s of subs) s.close();
  for (const ws of sockets) void ws.then((w) => w.close(), () => {});
  for (const c of clients) c.close();
  sseAgent.destroy();

  const ops = Object.fromEntries(OPERATIONS.map((op) => [op, statsOf(lat[op], errs[op], firstErr[op])])) as Record<Operation, OpStats>;
  return {
    students: students.length,
    measureSec: o.measureSec,
    execRate: lat.exec.length / o.measureSec,
    ops,
    lag: statsOf(lags, 0),
    eventsReceived: events,
    subscriptionsOpen: subsOpen,
    subscriptionErrors: subErrors,
    totalErrors,
    slowest,
    slowExecBySec,
  };
}
