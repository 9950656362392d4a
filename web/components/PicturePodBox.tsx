// One pod in its node's box: name, IP and readiness (a word and a border style, not a colour alone); focusable,
// its labels shown on hover or focus.
import type { PodBox } from "../models/clusterPicture.ts";

export function podDetail(p: PodBox, node: string): string {
  const state = p.terminating ? "Terminating (deleted, in its grace period)" : `${p.ready ? "Ready" : "not Ready"} (${p.phase})`;
  return `Pod ${p.label} on ${node}: IP ${p.ip}, ${state}; labels: ${p.labels.length ? p.labels.join(", ") : "none"}`;
}

export function PicturePodBox({ pod: p, node, onShow }: { pod: PodBox; node: string; onShow: (text: string) => void }) {
  const text = podDetail(p, node);
  const cls = `pod ${p.terminating ? "pod-terminating" : p.ready ? "pod-ready" : "pod-notready"}${p.onPath ? " on-path" : ""}`;
  return (
    <g class={cls} tabIndex={0} role="img" aria-label={text} data-pod={p.label} data-ready={String(p.ready)} data-terminating={String(p.terminating)} onFocus={() => onShow(text)} onMouseEnter={() => onShow(text)}>
      <title>{text}</title>
      <rect x={p.x} y={p.y} width={p.w} height={p.h} rx="6" />
      <text x={p.x + 8} y={p.y + 18} class="pod-name">
        {p.label.length > 30 ? `${p.label.slice(0, 29)}…` : p.label}
      </text>
      <text x={p.x + 8} y={p.y + 36} class="pod-ip">
        {p.ip}
      </text>
      <text x={p.x + p.w - 8} y={p.y + 36} class="pod-state" text-anchor="end">
        {p.terminating ? "⌛ Terminating" : p.ready ? "✓ Ready" : "✗ Not ready"}
      </text>
    </g>
  );
}
