// Bench-only (bench/page-trace.ts through BENCH_PAGE_SOCKET_LOG): when the server's WebSocket messages come in and go
// out, on the clock Chromium's performance trace uses (CLOCK_MONOTONIC, µs: Node's hrtime is the same clock), so that
// a traced socket round splits into the page's way out, the server's time and the way back in. Patches the `ws`
// package's WebSocket in this process; `write()` saves the lines (JSON, one per event) to `file`.
import { writeFileSync } from "node:fs";
import { WebSocket } from "ws";

export function logSocketTimes(file: string) {
  const lines: string[] = [];
  const us = () => Number(process.hrtime.bigint() / 1000n);
  const what = (data: unknown) => {
    const s = String(data).slice(0, 80);
    return { type: /"type":"(\w+)"/.exec(s)?.[1] ?? "?", id: /"id":"([^"]+)"/.exec(s)?.[1] ?? null };
  };
  const proto = WebSocket.prototype as unknown as { emit: (...a: unknown[]) => boolean; send: (...a: unknown[]) => void };
  const emit = proto.emit;
  proto.emit = function (this: unknown, event: unknown, ...rest: unknown[]) {
    if (event === "message") lines.push(JSON.stringify({ ev: "in", ts: us(), ...what(rest[0]) }));
    return emit.call(this, event, ...rest);
  };
  const send = proto.send;
  proto.send = function (this: unknown, data: unknown, ...rest: unknown[]) {
    const w = what(data);
    lines.push(JSON.stringify({ ev: "out", ts: us(), ...w }));
    const cb = rest.find((x) => typeof x === "function") as ((e?: Error) => void) | undefined;
    const args = rest.filter((x) => typeof x !== "function");
    return send.call(this, data, ...args, (e?: Error) => {
      lines.push(JSON.stringify({ ev: "flushed", ts: us(), ...w }));
      cb?.(e);
    });
  };
  return { write: () => writeFileSync(file, lines.join("\n") + "\n") };
}
