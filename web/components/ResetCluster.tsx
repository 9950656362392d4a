import { useSignal } from "@preact/signals";

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
    <div class="notice" role="group" aria-labelledby="reset-q">
      <p id="reset-q">Reset the cluster to the lab's start? Everything you created is gone; your command history stays.</p>
      <button
        type="button"
        class="danger"
        onClick={async () => {
          confirming.value = false;
          await onReset();
        }}
      >
        Yes, reset
      </button>{" "}
      <button type="button" onClick={() => (confirming.value = false)}>
        Cancel
      </button>
    </div>
  );
}
