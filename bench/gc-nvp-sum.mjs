// Sums a --trace-gc-nvp log between MEASURE-START and MEASURE-END lines (bench/engine-promotion.ts): scavenges,
// bytes promoted and survived, mark-compacts, and their pauses.
import { createInterface } from "node:readline";
let on = false, lines = 0;
const t = { scav: 0, promoted: 0, survived: 0, scavMs: 0, mc: 0, mcMs: 0 };
for await (const l of createInterface({ input: process.stdin })) {
  if (l.startsWith("MEASURE-START")) { on = true; continue; }
  if (l.startsWith("MEASURE-END")) { on = false; lines = Number(/lines=(\d+)/.exec(l)[1]); console.log(l); continue; }
  if (!on) continue;
  const f = Object.fromEntries(l.split(/\s+/).map((x) => x.split("=")));
  if (f.gc === "s") { t.scav++; t.promoted += Number(f.promoted); t.survived += Number(f.allocated ?? 0); t.scavMs += Number(f.pause); }
  else if (f.gc === "mc" || f.gc === "ms") { t.mc++; t.mcMs += Number(f.pause); }
}
console.log(`scavenges ${t.scav} (${t.scavMs.toFixed(0)} ms), promoted ${(t.promoted / 1024 / 1024).toFixed(1)} MiB = ${(t.promoted / lines / 1024).toFixed(1)} KiB/line, allocated ${(t.survived / lines / 1024).toFixed(1)} KiB/line; mark-compacts ${t.mc} (${t.mcMs.toFixed(0)} ms)`);
