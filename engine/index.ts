// kubelab's engine: the public surface the API, the grader and a browser terminal use.
export { Cluster } from "./cluster.ts";
export type { CreateOptions } from "./cluster.ts";
export { parseSelector, matchesSelector, formatSelector, SelectorParseError } from "./labels/index.ts";
export { validateLabelKey, validateLabelValue } from "./validation/names.ts";
export { KubeError, ClientError, formatFieldError } from "./errors.ts";
export type { FieldError, StatusReason } from "./errors.ts";
export { resolveResource, resourceFor, RESOURCES } from "./resources.ts";
export type { ResourceInfo } from "./resources.ts";
export { TopologyError } from "./topology.ts";
export type * from "./types.ts";
export type * from "./objects.ts";
