// A GraphQL subscription over SSE as a browser's EventSource would hold it (graphql-yoga's "distinct connections"
// mode: one POST with `Accept: text/event-stream` per subscription, kept open). Each `next` event's data is handed
// to `onNext`; the stream ends on `complete`, on close, or when `close()` is called.
import http from "node:http";

export interface Subscription {
  close(): void;
  /** Resolves when the server has answered the request (headers received), rejects on a refused subscription. */
  opened: Promise<void>;
  /** Resolves when the stream ends, for whatever reason. */
  ended: Promise<void>;
}

export function subscribe(
  agent: http.Agent,
  base: string,
  token: string,
  query: string,
  variables: Record<string, unknown>,
  onNext: (data: Record<string, unknown>) => void,
  onError?: (message: string) => void,
): Subscription {
  const u = new URL("/graphql", base);
  const body = JSON.stringify({ query, variables });
  let req: http.ClientRequest | undefined;
  let resolveEnded!: () => void;
  const ended = new Promise<void>((r) => (resolveEnded = r));
  const opened = new Promise<void>((resolve, reject) => {
    req = http.request(
      {
        host: u.hostname,
        port: u.port,
        path: u.pathname,
        method: "POST",
        agent,
        headers: {
          "content-type": "application/json",
          accept: "text/event-stream",
          authorization: `Bearer ${token}`,
          "content-length": Buffer.byteLength(body),
        },
      },
      (res) => {
        if (res.statusCode !== 200 || !String(res.headers["content-type"]).startsWith("text/event-stream")) {
          let text = "";
          res.on("data", (d: Buffer) => (text += d.toString()));
          res.on("end", () => {
            reject(new Error(`subscription refused: HTTP ${res.statusCode} ${text.slice(0, 200)}`));
            resolveEnded();
          });
          return;
        }
        resolve();
        let buf = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          buf += chunk;
          for (let i = buf.indexOf("\n\n"); i >= 0; i = buf.indexOf("\n\n")) {
            const block = buf.slice(0, i);
            buf = buf.slice(i + 2);
            let event = "message";
            let data = "";
            for (const line of block.split("\n")) {
              if (line.startsWith("event:")) event = line.slice(6).trim();
              else if (line.startsWith("data:")) data += line.slice(5).trim();
            }
            if (event === "next" && data) {
              const parsed = JSON.parse(data) as { data?: Record<string, unknown>; errors?: { message: string }[] };
              if (parsed.errors?.length) onError?.(parsed.errors.map((e) => e.message).join("; "));
              else if (parsed.data) onNext(parsed.data);
            }
          }
        });
        res.on("end", resolveEnded);
        res.on("close", resolveEnded);
        res.on("error", resolveEnded);
      },
    );
    req.on("error", (e) => {
      reject(e);
      resolveEnded();
    });
    req.end(body);
  });
  opened.catch(() => {});
  return {
    opened,
    ended,
    close() {
      req?.destroy();
    },
  };
}
