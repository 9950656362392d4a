// Placeholders in request URLs, so a check can aim at addresses the cluster chose (a ClusterIP, a nodePort, a
// LoadBalancer ingress IP):
//   {{svc:NAME.clusterIP}}  {{svc:NAME.nodePort}} (first port's)  {{svc:NAME.port}}  {{svc:NAME.lbIP}}
//   {{svc:NAME.externalIP}} (first externalIP)  {{node:NAME.ip}}
// NAME may be `ns/name`; the namespace defaults to "default".
import type { Cluster } from "../cluster.ts";
import type { Service } from "../objects.ts";

export class TemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TemplateError";
  }
}

function service(c: Cluster, ref: string): Service {
  const [ns, name] = ref.includes("/") ? ref.split("/", 2) : ["default", ref];
  const svc = c.list("Service", { namespace: ns }).find((s) => s.metadata.name === name) as Service | undefined;
  if (!svc) throw new TemplateError(`Service ${name} does not exist${ns === "default" ? "" : ` in namespace ${ns}`}`);
  return svc;
}

export function expandTemplate(c: Cluster, text: string): string {
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
