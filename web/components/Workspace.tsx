// `/labs/<slug>`: the lab's steps and checkpoints on one side, the terminal on the other, the cluster's picture
// below the terminal (on a phone: steps, then terminal, then picture).
import { useEffect, useMemo } from "preact/hooks";
import { useModel, useSignal } from "@preact/signals";
import { useServices } from "../context.ts";
import { WorkspaceModel, type LabDetail, type WorkspaceModelType } from "../models/workspace.ts";
import { TerminalModel } from "../models/terminal.ts";
import { CheckpointsModel } from "../models/checkpoints.ts";
import { createGraphQLTransport } from "../terminal/transport.ts";
import { createSocketClient, socketUrl } from "../api/socket-client.ts";
import { Terminal } from "../terminal/Terminal.tsx";
import { ErrorNote } from "./ErrorNote.tsx";
import { Steps } from "./Steps.tsx";
import { Checkpoints } from "./Checkpoints.tsx";
import { ClusterPictureSlot } from "./ClusterPictureSlot.tsx";
import { ResetCluster } from "./ResetCluster.tsx";

export function Workspace({ slug }: { slug: string }) {
  const { client } = useServices();
  const ws = useModel(() => new WorkspaceModel(client, slug));
  useEffect(() => void ws.open(), [ws]);
  const lab = ws.lab.value;
  const clusterId = ws.clusterId.value;
  return (
    <>
      {ws.error.value && <ErrorNote error={ws.error.value} retry={ws.open} />}
      {!lab || !clusterId ? (
        <section aria-labelledby="lab-title">
          <h1 id="lab-title">{lab?.title ?? "Opening the lab…"}</h1>
          {!ws.error.value && <p aria-live="polite">Opening your lab cluster…</p>}
        </section>
      ) : (
        <LabSession key={clusterId} lab={lab} clusterId={clusterId} ws={ws} />
      )}
    </>
  );
}

function LabSession({ lab, clusterId, ws }: { lab: LabDetail; clusterId: string; ws: WorkspaceModelType }) {
  const { client, session } = useServices();
  // the terminal's lines go over a WebSocket while it is up (socket-client.ts), over HTTP otherwise
  const lines = useMemo(
    () =>
      typeof WebSocket === "undefined"
        ? null
        : createSocketClient({ url: socketUrl(window.location), token: () => session.token.peek(), http: client, onAuthError: (m) => session.refused(m) }),
    [client, session],
  );
  useEffect(() => () => lines?.dispose(), [lines]);
  const terminal = useModel(
    () =>
      new TerminalModel({
        client,
        clusterId,
        transport: createGraphQLTransport(lines ?? client, clusterId),
        onGone: (m) => (ws.gone.value = m),
      }),
  );
  const checkpoints = useModel(() => new CheckpointsModel(client, clusterId, lab.slug, lab.checkpoints));
  const resets = useSignal(ws.resets.peek());
  useEffect(() => {
    void terminal.start();
    void checkpoints.load();
  }, [terminal, checkpoints]);
  useEffect(() => {
    if (ws.resets.value !== resets.peek()) {
      resets.value = ws.resets.value;
      terminal.wasReset();
      void checkpoints.load();
    }
  }, [ws.resets.value]);
  return (
    <div class="workspace">
      <section class="ws-steps" aria-labelledby="lab-title">
        <h1 id="lab-title">{lab.title}</h1>
        <a class="jump" href="#term-title">
          Go to the terminal
        </a>
        {lab.summary && <p>{lab.summary}</p>}
        <Steps steps={lab.steps} onType={(text) => terminal.type(text)} />
        <Checkpoints defs={lab.checkpoints} model={checkpoints} />
      </section>
      <section class="ws-terminal" aria-labelledby="term-title">
        <div class="term-head">
          <h2 id="term-title">Terminal</h2>
          <ResetCluster busy={ws.resetting.value} onReset={ws.reset} />
        </div>
        {ws.gone.value && (
          <div class="error" role="alert">
            <p>Your cluster for this lab no longer exists ({ws.gone.value}).</p>
            <button type="button" onClick={() => ws.startOver()}>
              Start a new cluster
            </button>
          </div>
        )}
        <Terminal model={terminal} />
      </section>
      <ClusterPictureSlot clusterId={clusterId} />
    </div>
  );
}
