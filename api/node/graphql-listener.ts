// The API's Node request listener: the app (graphql-yoga's server adapter) with a shorter way in for the request
// every lab command is — a plain JSON POST to /graphql. The adapter turns each Node request into a fetch-API Request
// whose body is the IncomingMessage itself, read back through a web stream (normalizeNodeRequest); here such a
// request's body is read straight from the socket into one Buffer and handed to the same adapter as a Request with
// that Buffer for body. Everything after that is the app's own path, unchanged: its onRequest/onResponse hooks
// (request id, the body limit, logging, the Kubernetes door), yoga's request parser, parse/validate cache,
// graphql-armor, the token, execution, error masking, content negotiation, and the adapter's own writer of the
// Response to the Node response (sendNodeResponse). So every answer is byte for byte the one the adapter's own path
// gives (tests/api-node-listener.test.ts compares them).
// Anything else — another path or method, no or a malformed Content-Length, a body over the limit, chunked, a
// stream the client asks for (text/event-stream, multipart: the subscription loop takes those over from yoga's own
// path), GET — goes the adapter's whole way. KUBELAB_NATIVE_HTTP=0 sends everything there (A/B).
import type { IncomingMessage, ServerResponse } from "node:http";
import { createCustomAbortControllerSignal, handleErrorFromRequestHandler, sendNodeResponse } from "@whatwg-node/server";
import type { App } from "../app.ts";

const CONTENT_LENGTH = /^\d+$/;
const JSON_TYPE = /^application\/json\s*(;|$)/i;
const STREAMED = /text\/event-stream|multipart\/mixed/i;
const NO_MORE_CONTEXT = Object.freeze({});

export interface ListenerOptions {
  /** The app's graphqlEndpoint. */
  endpoint?: string;
  /** Bodies declared longer than this go the adapter's way (its onRequest answers them 413 without reading them). */
  maxBodyBytes: number;
  /** false: every request the adapter's way (default: on unless KUBELAB_NATIVE_HTTP=0). */
  native?: boolean;
}

/** Whether `req` is a plain JSON POST to the endpoint with a Content-Length within the limit. */
export function isPlainJsonPost(req: IncomingMessage, endpoint: string, maxBodyBytes: number): boolean {
  if (req.method !== "POST" || req.url !== endpoint) return false;
  const h = req.headers;
  const length = h["content-length"];
  if (length === undefined || h["transfer-encoding"] !== undefined || h.host === undefined) return false;
  if (!CONTENT_LENGTH.test(length) || Number(length) > maxBodyBytes) return false;
  if (!JSON_TYPE.test(h["content-type"] ?? "")) return false;
  return !STREAMED.test(h.accept ?? "");
}

export interface NodeListener {
  (req: IncomingMessage, res: ServerResponse): void;
  /** Requests taken the short way in, and the adapter's whole way. */
  readonly served: { native: number; adapter: number };
}

export function nodeListener(app: App, options: ListenerOptions): NodeListener {
  const endpoint = options.endpoint ?? "/graphql";
  const native = options.native ?? globalThis.process?.env?.KUBELAB_NATIVE_HTTP !== "0";
  const served = { native: 0, adapter: 0 };
  const adapter = (req: IncomingMessage, res: ServerResponse) => {
    served.adapter++;
    (app as unknown as (req: IncomingMessage, res: ServerResponse) => void)(req, res);
  };
  if (!native) return Object.assign(adapter, { served });
  const { Request } = app.fetchAPI;
  const waitUntil = app.waitUntil;
  // (typed with one context; the adapter takes any number of them)
  const handleRequest = app.handleRequest as unknown as (request: Request, ...serverContexts: object[]) => Response | Promise<Response>;

  const serve = (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
    // The adapter's URL for a Node request: scheme from the socket, host from the Host header, then the path.
    const url = `${(req.socket as { encrypted?: boolean }).encrypted ? "https" : "http"}://${req.headers.host}${req.url}`;
    // Aborted when the answer cannot be finished (the client went away), as the adapter's request signal is: a
    // stream's resolvers stop on it.
    const controller = createCustomAbortControllerSignal();
    const abort = () => {
      if (!controller.signal.aborted) controller.abort(res.errored ?? undefined);
    };
    res.once("error", abort);
    res.once("close", abort);
    res.once("finish", () => res.removeListener("close", abort));
    const request = new Request(url, { method: "POST", headers: req.headers as HeadersInit, body: body as unknown as BodyInit, signal: controller.signal });
    // The same server context the adapter gives a Node request, { req, res, waitUntil }, as a plain object: given
    // one context, handleRequest makes a new object inheriting from it (Object.create) for every request, and V8 then
    // gives every request's GraphQL context a shape of its own, which made every resolver's property reads slow
    // (+0.1 ms a request, measured); given two, it copies both onto a fresh {}.
    const serverContext = { req, res, waitUntil };
    // The adapter's own chain: an error no hook answered becomes its 500 answer; one in writing it is logged.
    let answer: Promise<Response>;
    try {
      answer = Promise.resolve(handleRequest(request, serverContext, NO_MORE_CONTEXT));
    } catch (e) {
      answer = Promise.reject(e);
    }
    answer
      .catch((err: Error) => handleErrorFromRequestHandler(err, app.fetchAPI.Response))
      .then((response) => sendNodeResponse(response, res, req, true))
      .catch((err: Error) => console.error(`Unexpected error while handling request: ${err.message || err}`));
  };

  const listener = (req: IncomingMessage, res: ServerResponse) => {
    if (!isPlainJsonPost(req, endpoint, options.maxBodyBytes)) return adapter(req, res);
    served.native++;
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.once("end", () => serve(req, res, chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
    req.once("error", () => res.destroy());
  };
  return Object.assign(listener, { served });
}
