// The machine's real parallelism, measured in the same run as everything else: the same CPU-bound loop on one
// thread, then on as many worker threads as there are cores at once. "2 cores" on a shared VM can be two
// hyper-threads of one core or an oversubscribed host: this says how much of a second core there actually is, which
// bounds anything that grades or serves on several threads. The threads are started (and warmed) before anything is
// timed, so a slow thread start is not read as missing parallelism, and the reading is taken three times (median):
// the host's gifts change from one second to the next.
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { now, row, stats, type Row } from "./lib.ts";

const SPIN = `const { parentPort } = require("node:worker_threads");
function loop() { let x = 0; for (let i = 0; i < 4e8; i++) x = (x + i) | 0; return x; }
parentPort.on("message", () => parentPort.postMessage(loop()));`;

/**
 * Passes each thread runs before anything is timed: until V8 has optimised the loop, one pass runs 5-10x slower (an
 * unwarmed thread read as "0.33x" in session 5 when its optimising compile came late).
 */
const WARM_PASSES = 3;

/** One pass of the loop on `w`; resolves when it is done. */
function spin(w: Worker): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error) => reject(e);
    w.once("error", onError);
    w.once("message", () => {
      w.off("error", onError);
      resolve();
    });
    w.postMessage("go");
  });
}

const READINGS = 3;

export async function runCpu(): Promise<Row[]> {
  const n = availableParallelism();
  const workers = Array.from({ length: n }, () => new Worker(SPIN, { eval: true }));
  try {
    for (let i = 0; i < WARM_PASSES; i++) await Promise.all(workers.map(spin)); // started and warmed
    const readings: { one: number; all: number; speedup: number }[] = [];
    for (let r = 0; r < READINGS; r++) {
      let t0 = now();
      await spin(workers[0]);
      const one = now() - t0;
      t0 = now();
      await Promise.all(workers.map(spin));
      const all = now() - t0;
      readings.push({ one, all, speedup: (n * one) / all });
    }
    const median = stats(readings.map((x) => x.speedup)).median;
    const each = readings.map((x) => `${x.speedup.toFixed(2)}× (${Math.round(x.one)} / ${Math.round(x.all)} ms)`).join(", ");
    return [row("setup", `CPU: ${n} threads at once vs one thread (same loop)`, median, "× one thread", `median of ${READINGS} readings (ideal ${n}.0×): ${each} — one thread / ${n} at once, wall`)];
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
