// Placeholders in request URLs, so a check can aim at addresses the cluster chose (a ClusterIP, a nodePort, a
// LoadBalancer ingress IP):
//   {{svc:NAME.clusterIP}}  {{svc:NAME.nodePort}} (first port's)  {{svc:NAME.port}}  {{svc:NAME.lbIP}}
//   {{svc:NAME.externalIP}} (first externalIP)  {{node:NAME.ip}}
//   {{nodeWith:SELECTOR}} / {{nodeWithout:SELECTOR}}: the IP of the first worker node that runs / does not run a
//   Ready pod matching SELECTOR (for externalTrafficPolicy: Local).
// NAME may be `ns/name`; the namespace defaults to "default".
import type { Cluster } from "../cluster.ts";
import type { Service } from "../objects.ts";
import { matchesSelector, parseSelector } from "../labels/index.ts";
import { listObjects, listPodRecords, podRecordReady } from "../store.ts";

export class TemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TemplateError";
  }
}

function service(c: Cluster, ref: string): Service {
  const [ns, name] = ref.includes("/") ? ref.split("/", 2) : ["default", ref];
  // The live objects, not copies: a placeholder only reads its Service.
  const svc = listObjects(c.state, "Service", ns).find((s) => s.metadata.name === name) as Service | undefined;
  if (!svc) throw new TemplateError(`Service ${name} does not exist${ns === "default" ? "" : ` in namespace ${ns}`}`);
  return svc;
}

/** Worker nodes (non-master) with / without a Ready pod matching `selector`, by name. */
function nodesBySelector(c: Cluster, selector: string): { with: string[]; without: string[] } {
  const sel = parseSelector(selector);
  // The pod records, not materialised Pods: a Ready pod is a scheduled one, and its spec.nodeName is its node.
  const pods = listPodRecords(c.state).filter((p) => matchesSelector(sel, p.labels ?? {}) && podRecordReady(p));
  const hosting = new Set(pods.map((p) => p.node).filter((n): n is string => !!n));
  const workers = c.hosts().filter((h) => !h.roles.includes("master"));
  return { with: workers.filter((h) => hosting.has(h.name)).map((h) => h.ip), without: workers.filter((h) => !hosting.has(h.name)).map((h) => h.ip) };
}

export function expandTemplate(c: Cluster, text: string): string {
  text = text.replace(/\{\{\s*(nodeWith|nodeWithout):([^}]+?)\s*\}\}/g, (_m, which: string, selector: string) => {
    const r = nodesBySelector(c, selector);
    const ip = which === "nodeWith" ? r.with[0] : r.without[0];
    if (!ip) throw new TemplateError(which === "nodeWith" ? `no worker node runs a Ready pod matching ${selector}` : `every worker node runs a Ready pod matching ${selector}`);
    return ip;
  });
  return text.replace(/\{\{\s*(svc|node):([^.}\s]+)\.([A-Za-z]+)\s*\}\}/g, (_m, what: string, ref: string, field: string) => {
    if (what === "node") {
      const h = c.hosts().find((n) => n.name === ref);
      if (!h) throw new TemplateError(`node ${ref} does not exist`);
      return h.ip;
    }
    const svc = service(c, ref);
    const name = svc.metadata.name;
    switch (field) {
      case "clusterIP":
        if (!svc.spec.clusterIP || svc.spec.clusterIP === "None") throw new TemplateError(`Service ${name} has no ClusterIP`);
        return svc.spec.clusterIP;
      case "port": {
        const p = svc.spec.ports?.[0];
        if (!p) throw new TemplateError(`Service ${name} has no ports`);
        return String(p.port);
      }
      case "nodePort": {
        const p = svc.spec.ports?.find((x) => x.nodePort);
        if (!p) throw new TemplateError(`Service ${name} (type ${svc.spec.type}) has no nodePort`);
        return String(p.nodePort);
      }
      case "lbIP": {
        const ip = svc.status.loadBalancer.ingress?.find((i) => i.ip)?.ip;
        if (!ip) throw new TemplateError(`Service ${name} has no LoadBalancer ingress IP (EXTERNAL-IP is <pending>)`);
        return ip;
      }
      case "externalIP": {
        const ip = svc.spec.externalIPs?.[0];
        if (!ip) throw new TemplateError(`Service ${name} has no externalIPs`);
        return ip;
      }
      default:
        throw new TemplateError(`unknown placeholder field ${field}`);
    }
  });
}
