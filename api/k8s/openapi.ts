// /openapi/v2: the definitions of the kinds kubelab models. kubectl 1.20 asks for the protobuf encoding (it validates
// manifests against it before apply/create); other clients get JSON.
import { openapiDocument } from "../../engine/openapi/index.ts";
import { openapiProtobuf } from "../../engine/openapi/proto.ts";

export const OPENAPI_PROTOBUF = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf";

let jsonText: string | undefined;

export function openapiResponse(accept: string | null): Response {
  // (served as application/octet-stream, as kube-openapi does: Go's mime parser rejects the "@" of the requested type)
  if (accept?.includes(OPENAPI_PROTOBUF))
    return new Response(openapiProtobuf(), { status: 200, headers: { "content-type": "application/octet-stream" } });
  jsonText ??= JSON.stringify(openapiDocument());
  return new Response(jsonText, { status: 200, headers: { "content-type": "application/json" } });
}
