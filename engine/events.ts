// core/v1 Event objects from the engine's event records, as `kubectl get events` and the API facade serve them.
// Events are not stored objects: each is named after its involved object plus its position among the cluster's
// events (`web.0000000000000003`), so a name stays the same for as long as the record is kept.
import type { KubeEvent } from "./objects.ts";
import { KubeError } from "./errors.ts";

export interface EventObject {
  kind: "Event";
  apiVersion: "v1";
  metadata: { name: string; namespace: string; creationTimestamp: string; labels?: Record<string, string> };
  involvedObject: { kind: string; namespace: string; name: string; uid?: string; fieldPath?: string };
  reason: string;
  message: string;
  source: { component: string; host?: string };
  firstTimestamp: string;
  lastTimestamp: string;
  count: number;
  type: string;
  eventTime: null;
  reportingComponent: string;
  reportingInstance: string;
}

/** `events` are all the cluster's records (oldest first); the position of each in it names it. */
export function eventObjects(events: KubeEvent[]): EventObject[] {
  return events.map((e, i) => {
    const [component, host] = e.source.split(", ");
    return {
      kind: "Event",
      apiVersion: "v1",
      metadata: { name: `${e.involvedObject.name}.${(i + 1).toString(16).padStart(16, "0")}`, namespace: e.namespace, creationTimestamp: e.firstTimestamp },
      involvedObject: { kind: e.involvedObject.kind, namespace: e.involvedObject.namespace ?? e.namespace, name: e.involvedObject.name, ...(e.involvedObject.uid ? { uid: e.involvedObject.uid } : {}) },
      reason: e.reason,
      message: e.message,
      source: { component, ...(host ? { host } : {}) },
      firstTimestamp: e.firstTimestamp,
      lastTimestamp: e.lastTimestamp,
      count: e.count,
      type: e.type,
      eventTime: null,
      reportingComponent: "",
      reportingInstance: "",
    };
  });
}

/** The fields an Event's field selector may name (v1.19's conversion for core/v1 Events), as each is read. */
export const EVENT_FIELDS: Record<string, (e: EventObject) => string | undefined> = {
  "metadata.name": (e) => e.metadata.name,
  "metadata.namespace": (e) => e.metadata.namespace,
  "involvedObject.kind": (e) => e.involvedObject.kind,
  "involvedObject.name": (e) => e.involvedObject.name,
  "involvedObject.namespace": (e) => e.involvedObject.namespace,
  // (the engine records no uid on some events, and no apiVersion or resourceVersion: such a term does not decide, so
  // kubectl describe's selector — kind, name, namespace and uid — finds an object's events)
  "involvedObject.uid": (e) => e.involvedObject.uid,
  "involvedObject.apiVersion": () => undefined,
  "involvedObject.resourceVersion": () => undefined,
  "involvedObject.fieldPath": (e) => e.involvedObject.fieldPath ?? "",
  reason: (e) => e.reason,
  type: (e) => e.type,
  source: (e) => e.source.component,
};
