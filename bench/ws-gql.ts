// GraphQL over one WebSocket as the web lab's terminal holds it (web/api/socket-client.ts: graphql-ws's
// `graphql-transport-ws` protocol, the token in the connection's parameters, each line a `subscribe` message answered
// by `next` + `complete` with its id), for the load generator: the protocol's few messages written by hand on a `ws`
// socket (graphql-ws's own client would cost the generator more per message and change nothing on the server, which
// sees the same frames). `request` resolves with the operation's `data`, rejects on its errors or the socket's end.
import { WebSocket } from "ws";

export interface GqlSocket {
  request(query: string, variables: Record<string, unknown>): Promise<Record<string, unknown>>;
  close(): void;
}

interface Waiting {
  resolve(data: Record<string, unknown>): void;
  reject(e: Error): void;
}

/** Opens the socket on `base`'s /graphql and waits for the server's acknowledgement of the token. */
export function openGqlSocket(base: string, token: string): Promise<GqlSocket> {
  const ws = new WebSocket(`${base.replace(/^http/, "ws")}/graphql`, "graphql-transport-ws", { perMessageDeflate: false });
  const waiting = new Map<string, Waiting>();
  let next = 0;
  const failAll = (why: string) => {
    for (const w of waiting.values()) w.reject(new Error(why));
    waiting.clear();
  };
  return new Promise((resolve, reject) => {
    let acked = false;
    // graphql-ws's server closes an unacknowledged socket after its own wait (3 s); this one does not wait longer
    const noAck = setTimeout(() => {
      if (acked) return;
      reject(new Error("socket: no connection_ack within 10 s"));
      ws.terminate();
    }, 10_000);
    ws.on("open", () => ws.send(JSON.stringify({ type: "connection_init", payload: { token } })));
    ws.on("error", (e) => (acked ? failAll(`socket: ${e.message}`) : reject(e)));
    ws.on("close", (code, reason) => {
      clearTimeout(noAck);
      const why = `socket closed: ${code} ${String(reason)}`;
      if (!acked) reject(new Error(why));
      failAll(why);
    });
    ws.on("message", (raw) => {
      let m: { id?: string; type: string; payload?: unknown };
      try {
        m = JSON.parse(String(raw));
      } catch {
        return void ws.close(4400, "not JSON"); // the protocol's answer to a message it cannot read; every waiter fails on the close
      }
      if (m.type === "connection_ack") {
        acked = true;
        clearTimeout(noAck);
        resolve({
          request(query, variables) {
            const id = String(++next);
            return new Promise((res, rej) => {
              if (ws.readyState !== WebSocket.OPEN) return rej(new Error("socket not open"));
              waiting.set(id, { resolve: res, reject: rej });
              ws.send(JSON.stringify({ id, type: "subscribe", payload: { query, variables } }));
            });
          },
          close: () => ws.close(1000, "done"),
        });
      } else if (m.type === "ping") ws.send(JSON.stringify({ type: "pong" }));
      else if (m.id !== undefined) {
        const w = waiting.get(m.id);
        if (!w) return; // `complete` after the `next` that settled it
        waiting.delete(m.id);
        if (m.type === "next") {
          const r = m.payload as { data?: Record<string, unknown>; errors?: { message: string }[] };
          if (r.errors?.length) w.reject(new Error(r.errors.map((e) => e.message).join("; ")));
          else w.resolve(r.data ?? {});
        } else if (m.type === "error") w.reject(new Error(JSON.stringify(m.payload).slice(0, 300)));
        else w.reject(new Error(`operation ${m.id} completed without a result`));
      }
    });
  });
}
