// The picture as lists, for screen readers and for reading it without the drawing.
import type { PictureView } from "../models/clusterPicture.ts";

export function PictureAsText({ view }: { view: PictureView }) {
  return (
    <details class="picture-text">
      <summary>The cluster as a list</summary>
      <h3>Nodes and their pods</h3>
      <ul>
        {view.nodes.map((n) => (
          <li key={n.name}>
            {n.name} {n.ip}
            <ul>
              {n.pods.map((p) => (
                <li key={p.key}>
                  {p.label} {p.ip} — {p.ready ? "Ready" : "not Ready"} — {p.labels.join(", ")}
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
      <h3>Services and their endpoints</h3>
      <ul>
        {view.services.map((s) => (
          <li key={s.key}>
            {s.label} ({s.type}) {s.lines.join("; ")}
            <ul>
              {view.links
                .filter((l) => l.service === s.key)
                .map((l) => (
                  <li key={l.key}>{l.external ? `alias of ${l.ip}` : `${l.ip} → ${l.target} (${l.ready ? "ready" : "not ready"})`}</li>
                ))}
            </ul>
          </li>
        ))}
      </ul>
    </details>
  );
}
