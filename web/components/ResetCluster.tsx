import { useSignal } from "@preact/signals";
import { useFocusOnMount } from "./useFocusOnMount.ts";

function ConfirmReset({ onYes, onNo }: { onYes: () => void; onNo: () => void }) {
  const yes = useFocusOnMount<HTMLButtonElement>();
  return (
    <div class="notice" role="group" aria-labelledby="reset-q">
      <p id="reset-q">Reset the cluster to the lab's start? Everything you created is gone; your command history stays.</p>
      <button type="button" class="danger" ref={yes} onClick={onYes}>
        Yes, reset
      </button>{" "}
      <button type="button" onClick={onNo}>
        Cancel
      </button>
    </div>
  );
}

/** "Reset cluster", behind a confirmation. */
export function ResetCluster({ busy, onReset }: { busy: boolean; onReset: () => Promise<boolean> }) {
  const confirming = useSignal(false);
  if (!confirming.value)
    return (
      <button type="button" class="danger" disabled={busy} onClick={() => (confirming.value = true)}>
        {busy ? "Resetting…" : "Reset cluster…"}
      </button>
    );
  return (
    <ConfirmReset
      onYes={async () => {
        confirming.value = false;
        await onReset();
      }}
      onNo={() => (confirming.value = false)}
    />
  );
}
