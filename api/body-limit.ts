// The request body limit (limits.requestBytes), in place of graphql-yoga's own (`maxRequestBodySize: false`). Yoga
// wraps every request body in a counting TransformStream and a new Request, a cost on every request although a
// body with a Content-Length can be no longer than that: the HTTP layer delivers no more (Node's parser, the Workers
// runtime). So a valid Content-Length is checked against the limit and nothing else is done; only a body without
// one (chunked) is counted as it streams in, and cut off past the limit.
import { createGraphQLError, type Plugin } from "graphql-yoga";

const CONTENT_LENGTH = /^\d+$/;

export function bodyTooLarge(limit: number) {
  return createGraphQLError(`Request body is larger than ${limit} bytes`, { extensions: { code: "PAYLOAD_TOO_LARGE", http: { status: 413 } } });
}

/** `request` with a body that errors with bodyTooLarge once more than `limit` bytes have streamed in. */
function counted(request: Request, limit: number, fetchAPI: { Request: typeof Request; TransformStream: typeof TransformStream }): Request {
  const body = request.body!;
  // The platform's ReadableStream needs the platform's TransformStream (yoga's own limiter does the same).
  const Transform = body instanceof ReadableStream ? globalThis.TransformStream : fetchAPI.TransformStream;
  let seen = 0;
  const limited = body.pipeThrough(
    new Transform({
      transform(chunk: Uint8Array, controller) {
        seen += chunk.byteLength;
        if (seen > limit) controller.error(bodyTooLarge(limit));
        else controller.enqueue(chunk);
      },
    }),
  );
  return new fetchAPI.Request(request.url, { method: request.method, headers: request.headers, signal: request.signal, body: limited, duplex: "half" } as RequestInit);
}

export function useBodyLimit(limit: number): Plugin<Record<string, unknown>> {
  return {
    onRequestParse({ request, requestParser, setRequestParser, fetchAPI }) {
      const length = request.headers.get("content-length");
      if (length !== null) {
        if (!CONTENT_LENGTH.test(length))
          throw createGraphQLError("Content-Length header is invalid.", { extensions: { code: "BAD_REQUEST", http: { status: 400 } } });
        if (Number(length) > limit) throw bodyTooLarge(limit);
        return;
      }
      if (!requestParser || !request.body) return;
      setRequestParser((req) => requestParser(counted(req, limit, fetchAPI as never)));
    },
  };
}
