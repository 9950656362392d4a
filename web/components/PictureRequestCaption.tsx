// The last request's path in words, beside its drawing: client → node → the rule that matched (DNAT) → the pod, and
// the client IP the pod saw (SNAT); every hop of the trace on demand.
import type { RequestView } from "../models/clusterPicture.ts";

export function PictureRequestCaption({ request: r }: { request: RequestView }) {
  return (
    <section class="picture-request" aria-label="The last request" data-testid="request">
      <h3>
        Last request: <code>{r.command}</code> <span class="muted">({r.outcome})</span>
      </h3>
      <ol class="req-steps">
        <li>
          <strong>Client</strong> {r.client}
        </li>
        {r.node && (
          <li>
            <strong>Node</strong> {r.node}: kube-proxy's rules matched here
          </li>
        )}
        {r.dnat && (
          <li data-testid="request-dnat">
            <strong>Rule</strong> {r.service ? `Service ${r.service}, ` : ""}
            <code>{r.dnat}</code>
          </li>
        )}
        {r.backend && (
          <li>
            <strong>Backend</strong> {r.backend}
          </li>
        )}
        {r.clientIP && (
          <li data-testid="request-client-ip">
            <strong>Client IP the backend saw</strong> <code>{r.clientIP}</code> (after SNAT, when the source was rewritten)
          </li>
        )}
      </ol>
      <details>
        <summary>Every hop of the trace</summary>
        <ol class="req-hops">
          {r.hops.map((h, i) => (
            <li key={i}>
              <code>{h}</code>
            </li>
          ))}
        </ol>
      </details>
    </section>
  );
}
