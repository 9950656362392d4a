// A small closed-loop load generator: `clients` concurrent workers, each issuing its next operation as soon as the
// previous one answers, for a warm-up period (not recorded) and then a measured period. Every latency is kept, so
// percentiles are exact (no histogram bucketing). HTTP goes through node:http with one keep-alive socket per client.
import http from "node:http";
import { performance } from "node:perf_hooks";
import { percentile } from "./lib.ts";

export interface LoadResult {
  clients: number;
  ops: number;
  errors: number;
  seconds: number;
  opsPerSec: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  firstError?: string;
}

export interface LoadOptions {
  clients: number;
  warmupMs: number;
  durationMs: number;
  /** Cap on measured operations per client (stop early once every client reached it). */
  maxOpsPerClient?: number;
  /** Think time between a client's operations (uniform in [0.5, 1.5] × thinkMs): a person clicking, not a loop. */
  thinkMs?: number;
}

/** Run `op(client, i)` in `clients` closed loops. `op` throws (or rejects) on failure. */
export async function runLoad(opts: LoadOptions, op: (client: number, i: number) => Promise<void>): Promise<LoadResult> {
  const lat: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  const start = performance.now();
  const measureFrom = start + opts.warmupMs;
  const end = measureFrom + opts.durationMs;
  let measuredStart = Infinity;
  let measuredEnd = 0;
  const worker = async (c: number) => {
    let done = 0;
    for (let i = 0; ; i++) {
      const t0 = performance.now();
      if (t0 >= end) break;
      if (opts.maxOpsPerClient !== undefined && done >= opts.maxOpsPerClient) break;
      let ok = true;
      try {
        await op(c, i);
      } catch (e) {
        ok = false;
        if (t0 >= measureFrom) {
          errors++;
          firstError ??= e instanceof Error ? e.message : String(e);
        }
      }
      const t1 = performance.now();
      if (opts.thinkMs) await new Promise((r) => setTimeout(r, opts.thinkMs! * (0.5 + Math.random())));
      if (t0 >= measureFrom) {
        if (ok) lat.push(t1 - t0);
        done++;
        if (t0 < measuredStart) measuredStart = t0;
        if (t1 > measuredEnd) measuredEnd = performance.now();
      }
    }
  };
  await Promise.all(Array.from({ length: opts.clients }, (_, c) => worker(c)));
  const seconds = Math.max(1e-9, (measuredEnd - measuredStart) / 1000);
  lat.sort((a, b) => a - b);
  return {
    clients: opts.clients,
    ops: lat.length,
    errors,
    seconds,
    opsPerSec: lat.length / seconds,
    p50: percentile(lat, 50),
    p95: percentile(lat, 95),
    p99: percentile(lat, 99),
    max: lat[lat.length - 1] ?? NaN,
    firstError,
  };
}

export interface HttpClient {
  post(path: string, body: string, headers?: Record<string, string>): Promise<{ status: number; body: string }>;
  close(): void;
}

export function httpClient(base: string, maxSockets: number): HttpClient {
  const u = new URL(base);
  const agent = new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
  return {
    post(path, body, headers = {}) {
      return new Promise((resolve, reject) => {
        const req = http.request(
          {
            host: u.hostname,
            port: u.port,
            path,
            method: "POST",
            agent,
            headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body), ...headers },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (d: Buffer) => chunks.push(d));
            res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
            res.on("error", reject);
          },
        );
        req.on("error", reject);
        req.end(body);
      });
    },
    close() {
      agent.destroy();
    },
  };
}

/** A GraphQL POST; throws on transport errors, non-200 answers and GraphQL errors. */
export async function gql<T = Record<string, unknown>>(
  client: HttpClient,
  path: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<T> {
  const r = await client.post(path, JSON.stringify({ query, variables }), token ? { authorization: `Bearer ${token}` } : {});
  let parsed: { data?: T; errors?: { message: string; extensions?: { code?: string } }[] };
  try {
    parsed = JSON.parse(r.body);
  } catch {
    throw new Error(`HTTP ${r.status}: ${r.body.slice(0, 200)}`);
  }
  if (parsed.errors?.length) {
    const e = new Error(parsed.errors.map((x) => `${x.extensions?.code ?? ""} ${x.message}`.trim()).join("; "));
    (e as Error & { code?: string }).code = parsed.errors[0].extensions?.code;
    throw e;
  }
  if (r.status !== 200) throw new Error(`HTTP ${r.status}: ${r.body.slice(0, 200)}`);
  return parsed.data as T;
}
