// The cluster as a picture (SVG): Services on top with their Endpoints drawn as links to the pods (not-ready links
// dashed and labelled, not only coloured), the nodes below with their pods, names outside the cluster on the right,
// and the last request's path over it all. Hover or focus a pod or a Service for its details. Plain props: the
// live page and the grade book both draw a PictureView (web/models/clusterPicture.ts).
import "./ClusterPicture.css";
import { useId } from "preact/hooks";
import { useSignal } from "@preact/signals";
import type { PictureView } from "../models/clusterPicture.ts";
import { PicturePodBox } from "./PicturePodBox.tsx";
import { PictureServiceBox } from "./PictureServiceBox.tsx";
import { PictureRequestCaption } from "./PictureRequestCaption.tsx";
import { PictureAsText } from "./PictureAsText.tsx";

export function ClusterPictureView({ view, title }: { view: PictureView; title: string }) {
  const id = useId();
  const detail = useSignal<string>("Hover over or focus a pod or a Service to see its details.");
  const show = (text: string) => (detail.value = text);
  const arrow = `${id}-arrow`;
  const reqArrow = `${id}-req`;
  return (
    <figure class="picture" data-version={view.version}>
      <p class="picture-summary" data-testid="picture-summary">
        {view.summary}
      </p>
      <div class="picture-scroll" tabIndex={0} role="region" aria-label={`${title}, drawn (scrolls when wider than the page)`}>
        <svg
          class="picture-svg"
          viewBox={`0 0 ${view.width} ${view.height}`}
          style={{ minWidth: `${Math.min(view.width, 600)}px`, maxWidth: `${view.width}px` }}
          role="group" aria-label={`${title}: ${view.summary}`}>
          <defs>
            <marker id={arrow} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
              <path d="M0,0 L10,5 L0,10 z" class="marker" />
            </marker>
            <marker id={reqArrow} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse">
              <path d="M0,0 L10,5 L0,10 z" class="marker-req" />
            </marker>
          </defs>
          {view.nodes.map((n) => (
            <g key={n.name} class={n.onPath ? "node on-path" : "node"} data-node={n.name}>
              <rect x={n.x} y={n.y} width={n.w} height={n.h} rx="8" />
              <text x={n.x + 10} y={n.y + 18} class="node-name">
                {n.name}
                {n.roles ? ` (${n.roles})` : ""}
              </text>
              <text x={n.x + 10} y={n.y + 34} class="node-ip">
                {n.ip}
              </text>
              {n.pods.map((p) => (
                <PicturePodBox key={p.key} pod={p} node={n.name} onShow={show} />
              ))}
            </g>
          ))}
          {view.off.map((o) => (
            <g key={o.key} class="off" data-off={o.label}>
              <rect x={o.x} y={o.y} width={o.w} height={o.h} rx="20" />
              <text x={o.x + 12} y={o.y + 19} class="off-name">
                {o.label}
              </text>
              <text x={o.x + 12} y={o.y + 35} class="off-note">
                {o.note}
              </text>
            </g>
          ))}
          {view.services.map((s) => (
            <PictureServiceBox key={s.key} service={s} onShow={show} />
          ))}
          {view.links.map((l) => (
            <g key={l.key} class={l.external ? "link link-external" : l.ready ? "link link-ready" : "link link-notready"} data-link={l.service} data-target={l.target} data-ready={String(l.ready)}>
              <title>
                {l.external ? `${l.service} is a DNS alias (CNAME) of ${l.ip}` : `${l.service} → ${l.ip} (${l.ready ? "ready" : "not ready"})`}
              </title>
              <path d={l.d} marker-end={`url(#${arrow})`} />
              {!l.ready && (
                <text x={l.mid.x} y={l.mid.y} class="link-label">
                  not ready
                </text>
              )}
            </g>
          ))}
          {view.request?.d && <path class="req-path" d={view.request.d} marker-end={`url(#${reqArrow})`} data-testid="request-path" />}
        </svg>
      </div>
      <p class="picture-detail" aria-live="polite" data-testid="picture-detail">
        {detail}
      </p>
      {view.request && <PictureRequestCaption request={view.request} />}
      <PictureAsText view={view} />
    </figure>
  );
}
