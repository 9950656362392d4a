// Command-line parsing the way kubectl's cobra/pflag does it: flags anywhere among the arguments, `--flag=v`,
// `--flag v`, `-n v`, `-nv`, `-n=v`, grouped bool shorthands (`-it`), `--` ending the flags, and pflag's error texts
// (`unknown flag: --foo`, `flag needs an argument: 'n' in -n`, `invalid argument "x" for "--replicas" flag: …`).

export type FlagType = "bool" | "string" | "int" | "strings";

export interface FlagSpec {
  name: string;
  short?: string;
  type: FlagType;
  /** cobra's MarkFlagRequired: a command run without the flag fails before it starts (flagsOrUsage). */
  required?: boolean;
  /**
   * pflag's NoOptDefVal: the value `--name` takes when written without `=value`; the next argument is then not its
   * value (`--dry-run client` is `--dry-run` and an argument `client`).
   */
  noOptDefault?: string;
}

export interface Parsed {
  flags: Record<string, string | boolean | number | string[]>;
  args: string[];
  /** Arguments after `--` (undefined when there was no `--`). */
  dash?: string[];
}

export class FlagError extends Error {}

/** Flags every kubectl command accepts. */
export const GLOBAL_FLAGS: FlagSpec[] = [
  { name: "namespace", short: "n", type: "string" },
  { name: "kubeconfig", type: "string" },
  { name: "context", type: "string" },
  { name: "cluster", type: "string" },
  { name: "user", type: "string" },
  { name: "v", short: "v", type: "string" },
  { name: "request-timeout", type: "string" },
  { name: "insecure-skip-tls-verify", type: "bool" },
  { name: "server", short: "s", type: "string" },
];

/** Go's strconv.ParseBool: the spellings of true and of false. */
export const GO_TRUE = ["1", "t", "T", "true", "TRUE", "True"];
export const GO_FALSE = ["0", "f", "F", "false", "FALSE", "False"];

function parseBool(v: string, flag: string): boolean {
  if (GO_TRUE.includes(v)) return true;
  if (GO_FALSE.includes(v)) return false;
  throw new FlagError(`invalid argument "${v}" for "${flag}" flag: strconv.ParseBool: parsing "${v}": invalid syntax`);
}

function setValue(out: Parsed, spec: FlagSpec, value: string, shown: string): void {
  switch (spec.type) {
    case "bool":
      out.flags[spec.name] = parseBool(value, shown);
      return;
    case "int": {
      if (!/^[+-]?\d+$/.test(value)) throw new FlagError(`invalid argument "${value}" for "${shown}" flag: strconv.ParseInt: parsing "${value}": invalid syntax`);
      out.flags[spec.name] = Number(value);
      return;
    }
    case "strings": {
      const prev = (out.flags[spec.name] as string[] | undefined) ?? [];
      out.flags[spec.name] = [...prev, ...value.split(",").filter((x) => x !== "")];
      return;
    }
    default:
      out.flags[spec.name] = value;
  }
}

export function parseFlags(argv: string[], specs: FlagSpec[]): Parsed {
  const all = [...specs, ...GLOBAL_FLAGS];
  const byName = new Map(all.map((s) => [s.name, s]));
  const byShort = new Map(all.filter((s) => s.short).map((s) => [s.short!, s]));
  const out: Parsed = { flags: {}, args: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--") {
      out.dash = argv.slice(i + 1);
      break;
    }
    if (a.startsWith("--") && a.length > 2) {
      const eq = a.indexOf("=");
      const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
      const spec = byName.get(name);
      if (!spec) throw new FlagError(`unknown flag: --${name}`);
      const shown = `--${name}`;
      if (eq >= 0) setValue(out, spec, a.slice(eq + 1), shown);
      else if (spec.type === "bool") out.flags[spec.name] = true;
      else if (spec.noOptDefault !== undefined) setValue(out, spec, spec.noOptDefault, shown);
      else {
        if (i + 1 >= argv.length) throw new FlagError(`flag needs an argument: --${name}`);
        setValue(out, spec, argv[++i], shown);
      }
      continue;
    }
    if (a.startsWith("-") && a.length > 1) {
      let j = 1;
      while (j < a.length) {
        const ch = a[j];
        const spec = byShort.get(ch);
        if (!spec) throw new FlagError(`unknown shorthand flag: '${ch}' in ${a}`);
        const shown = `-${ch}, --${spec.name}`;
        if (spec.type === "bool") {
          if (a[j + 1] === "=") {
            setValue(out, spec, a.slice(j + 2), shown);
            break;
          }
          out.flags[spec.name] = true;
          j++;
          continue;
        }
        let value = a.slice(j + 1);
        if (value.startsWith("=")) value = value.slice(1);
        else if (value === "") {
          if (i + 1 >= argv.length) throw new FlagError(`flag needs an argument: '${ch}' in -${ch}`);
          value = argv[++i];
        }
        setValue(out, spec, value, shown);
        break;
      }
      continue;
    }
    out.args.push(a);
  }
  return out;
}

export function str(p: Parsed, name: string): string | undefined {
  const v = p.flags[name];
  return typeof v === "string" ? v : undefined;
}
export function bool(p: Parsed, name: string): boolean {
  return p.flags[name] === true;
}
export function int(p: Parsed, name: string): number | undefined {
  const v = p.flags[name];
  return typeof v === "number" ? v : undefined;
}
export function strs(p: Parsed, name: string): string[] {
  const v = p.flags[name];
  return Array.isArray(v) ? v : typeof v === "string" ? [v] : [];
}

/** The namespace a command works in: -n/--namespace, else "default". */
export function namespaceOf(p: Parsed): string {
  return str(p, "namespace") ?? "default";
}

/** A `k=v,k2=v2` flag value (--labels, expose's --selector) as a map. */
export function keyValues(text: string): Record<string, string> {
  return Object.fromEntries(text.split(",").map((kv) => kv.split("=") as [string, string]));
}
