// `clusterChanged` over SSE (graphql-sse's client in distinct-connections mode, which is how graphql-yoga serves
// subscriptions): the cluster now, then after every change. A dropped connection (server restart, network) is
// retried with a growing delay (0.5 s … 10 s) for as long as the page watches; `state` tells the page which it is.
import { createClient, type Client as SseClient } from "graphql-sse";
import { signal, type ReadonlySignal } from "@preact/signals";

export type WatchState = "connecting" | "live" | "reconnecting" | "ended" | "failed";

export interface ClusterWatch<T> {
  state: ReadonlySignal<WatchState>;
  /** The last error message (a refused token, a cluster that is gone). */
  error: ReadonlySignal<string | null>;
  dispose(): void;
}

export interface WatchOptions<T> {
  token: () => string | null;
  clusterId: string;
  /** The selection on Cluster: `{ version pods { name } }`. */
  selection: string;
  onData: (cluster: T | null) => void;
  endpoint?: string;
  /** The fetch to use (tests pass the app's own). */
  fetchFn?: typeof fetch;
}

export function backoffMs(retries: number): number {
  return Math.min(10_000, 500 * 2 ** Math.min(retries, 5));
}

function sseClient(endpoint: string, token: () => string | null, state: { value: WatchState }, fetchFn?: typeof fetch): SseClient {
  return createClient({
    url: endpoint,
    ...(fetchFn ? { fetchFn } : {}),
    singleConnection: false,
    headers: (): Record<string, string> => {
      const t = token();
      return t ? { authorization: `Bearer ${t}` } : {};
    },
    retryAttempts: Number.MAX_SAFE_INTEGER,
    retry: (retries) => {
      state.value = "reconnecting";
      return new Promise((r) => setTimeout(r, backoffMs(retries)));
    },
    on: {
      connecting: (reconnecting) => void (state.value = reconnecting ? "reconnecting" : "connecting"),
      connected: () => void (state.value = "live"),
    },
  });
}

export function watchCluster<T>(opts: WatchOptions<T>): ClusterWatch<T> {
  const state = signal<WatchState>("connecting");
  const error = signal<string | null>(null);
  const client = sseClient(opts.endpoint ?? "/graphql", opts.token, state, opts.fetchFn);
  const unsubscribe = client.subscribe<{ clusterChanged: T | null }>(
    { query: `subscription ClusterChanged($id: ID!) { clusterChanged(id: $id) ${opts.selection} }`, variables: { id: opts.clusterId } },
    {
      next: (msg) => {
        state.value = "live";
        if (msg.errors?.length) error.value = msg.errors.map((e) => e.message).join("; ");
        if (msg.data) opts.onData(msg.data.clusterChanged);
      },
      error: (e) => {
        state.value = "failed";
        error.value = e instanceof Error ? e.message : Array.isArray(e) ? e.map((x) => x.message).join("; ") : String(e);
      },
      complete: () => void (state.value = "ended"),
    },
  );
  return {
    state,
    error,
    dispose() {
      unsubscribe();
      client.dispose();
    },
  };
}
