// One Service: name, type, ClusterIP, ports (with NodePorts), external IPs, or the name an ExternalName points at.
import type { ServiceBox } from "../models/clusterPicture.ts";

export function PictureServiceBox({ service: s, onShow }: { service: ServiceBox; onShow: (text: string) => void }) {
  const text = `Service ${s.label} (${s.type}): ${s.lines.join("; ")}`;
  return (
    <g class={s.onPath ? "svc on-path" : "svc"} tabIndex={0} role="img" aria-label={text} data-service={s.label} onFocus={() => onShow(text)} onMouseEnter={() => onShow(text)}>
      <title>{text}</title>
      <rect x={s.x} y={s.y} width={s.w} height={s.h} rx="4" />
      <text x={s.x + 8} y={s.y + 18} class="svc-name">
        {s.label} <tspan class="svc-type">{s.type}</tspan>
      </text>
      {s.lines.map((l, i) => (
        <text key={i} x={s.x + 8} y={s.y + 36 + i * 16} class="svc-line">
          {l}
        </text>
      ))}
    </g>
  );
}
