// The machine's real parallelism, measured in the same run as everything else: the same CPU-bound loop on one
// thread, then on as many worker threads as there are cores at once. "2 cores" on a shared VM can be two
// hyper-threads of one core or an oversubscribed host: this says how much of a second core there actually is, which
// bounds anything that grades or serves on several threads.
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { now, row, type Row } from "./lib.ts";

const SPIN = `const { parentPort } = require("node:worker_threads");
const t = performance.now(); let x = 0; for (let i = 0; i < 2e8; i++) x = (x + i) | 0;
parentPort.postMessage([performance.now() - t, x]);`;

function spinOnce(): Promise<number> {
  return new Promise((resolve, reject) => {
    const w = new Worker(SPIN, { eval: true });
    w.once("message", (m: [number, number]) => resolve(m[0]));
    w.once("error", reject);
  });
}

export async function runCpu(): Promise<Row[]> {
  const n = availableParallelism();
  await spinOnce(); // warm-up
  const one = await spinOnce();
  const t0 = now();
  await Promise.all(Array.from({ length: n }, spinOnce));
  const all = now() - t0;
  const speedup = (n * one) / all;
  return [row("setup", `CPU: ${n} threads at once vs one thread (same loop)`, speedup, "× one thread", `one thread ${Math.round(one)} ms; ${n} at once ${Math.round(all)} ms wall (ideal ${n}.0×)`)];
}
