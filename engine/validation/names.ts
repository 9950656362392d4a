// Name / label validation with the exact messages of Kubernetes v1.19 (apimachinery v0.19
// pkg/util/validation and pkg/apis/meta/v1/validation). Every `is*` function returns [] when the value is valid,
// else the upstream message strings in upstream order. Lengths are counted in UTF-8 bytes, as Go's len() does.

import { type FieldError, goQuote } from "../errors.ts";

// ---- message building blocks (validation.go EmptyError / MaxLenError / RegexError / InclusiveRangeError) ----

export function emptyError(): string {
  return "must be non-empty";
}

export function maxLenError(length: number): string {
  return `must be no more than ${length} characters`;
}

export function inclusiveRangeError(lo: number, hi: number): string {
  return `must be between ${lo} and ${hi}, inclusive`;
}

/** Upstream joins examples with `", " + " or "`, which leaves a double space before "or"; kept on purpose. */
export function regexError(msg: string, fmt: string, ...examples: string[]): string {
  if (examples.length === 0) return `${msg} (regex used for validation is '${fmt}')`;
  let s = msg + " (e.g. ";
  examples.forEach((e, i) => {
    if (i > 0) s += ",  or ";
    s += `'${e}'`;
  });
  return s + `, regex used for validation is '${fmt}')`;
}

/** Byte length of the UTF-8 encoding of `s` (Go's len(string)). */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 4;
        i++;
      } else n += 3;
    } else n += 3;
  }
  return n;
}

// ---- qualified names (label keys) and label values ----

const QUALIFIED_NAME_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
const QUALIFIED_NAME_ERR_MSG = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
export const QUALIFIED_NAME_MAX_LENGTH = 63;
const qualifiedNameRe = new RegExp(`^${QUALIFIED_NAME_FMT}$`);

const LABEL_VALUE_FMT = `(${QUALIFIED_NAME_FMT})?`;
const LABEL_VALUE_ERR_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
export const LABEL_VALUE_MAX_LENGTH = 63;
const labelValueRe = new RegExp(`^${LABEL_VALUE_FMT}$`);

const qualifiedNameRegexMessage = regexError(QUALIFIED_NAME_ERR_MSG, QUALIFIED_NAME_FMT, "MyName", "my.name", "123-abc");

/** validation.IsQualifiedName: `[prefix/]name`, prefix a DNS-1123 subdomain, name at most 63 characters. */
export function isQualifiedName(value: string): string[] {
  const errs: string[] = [];
  const parts = value.split("/");
  let name: string;
  if (parts.length === 1) {
    name = parts[0];
  } else if (parts.length === 2) {
    const prefix = parts[0];
    name = parts[1];
    if (prefix.length === 0) errs.push("prefix part " + emptyError());
    else for (const m of isDNS1123Subdomain(prefix)) errs.push("prefix part " + m);
  } else {
    return [
      "a qualified name " + qualifiedNameRegexMessage + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ];
  }
  if (name.length === 0) errs.push("name part " + emptyError());
  else if (utf8Length(name) > QUALIFIED_NAME_MAX_LENGTH) errs.push("name part " + maxLenError(QUALIFIED_NAME_MAX_LENGTH));
  if (!qualifiedNameRe.test(name)) errs.push("name part " + qualifiedNameRegexMessage);
  return errs;
}

/** validation.IsValidLabelValue: empty, or a qualified-name-shaped string of at most 63 characters. */
export function isValidLabelValue(value: string): string[] {
  const errs: string[] = [];
  if (utf8Length(value) > LABEL_VALUE_MAX_LENGTH) errs.push(maxLenError(LABEL_VALUE_MAX_LENGTH));
  if (!labelValueRe.test(value)) errs.push(regexError(LABEL_VALUE_ERR_MSG, LABEL_VALUE_FMT, "MyValue", "my_value", "12345"));
  return errs;
}

/** Public names used by the rest of the engine (same as isQualifiedName / isValidLabelValue). */
export const validateLabelKey = isQualifiedName;
export const validateLabelValue = isValidLabelValue;

// ---- DNS names ----

const DNS1123_LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
const DNS1123_LABEL_ERR_MSG = "a DNS-1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
export const DNS1123_LABEL_MAX_LENGTH = 63;
const dns1123LabelRe = new RegExp(`^${DNS1123_LABEL_FMT}$`);

const DNS1123_SUBDOMAIN_FMT = `${DNS1123_LABEL_FMT}(\\.${DNS1123_LABEL_FMT})*`;
const DNS1123_SUBDOMAIN_ERR_MSG =
  "a DNS-1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
export const DNS1123_SUBDOMAIN_MAX_LENGTH = 253;
const dns1123SubdomainRe = new RegExp(`^${DNS1123_SUBDOMAIN_FMT}$`);

const DNS1035_LABEL_FMT = "[a-z]([-a-z0-9]*[a-z0-9])?";
const DNS1035_LABEL_ERR_MSG =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character";
export const DNS1035_LABEL_MAX_LENGTH = 63;
const dns1035LabelRe = new RegExp(`^${DNS1035_LABEL_FMT}$`);

export function isDNS1123Label(value: string): string[] {
  const errs: string[] = [];
  if (utf8Length(value) > DNS1123_LABEL_MAX_LENGTH) errs.push(maxLenError(DNS1123_LABEL_MAX_LENGTH));
  if (!dns1123LabelRe.test(value)) errs.push(regexError(DNS1123_LABEL_ERR_MSG, DNS1123_LABEL_FMT, "my-name", "123-abc"));
  return errs;
}

export function isDNS1123Subdomain(value: string): string[] {
  const errs: string[] = [];
  if (utf8Length(value) > DNS1123_SUBDOMAIN_MAX_LENGTH) errs.push(maxLenError(DNS1123_SUBDOMAIN_MAX_LENGTH));
  if (!dns1123SubdomainRe.test(value)) errs.push(regexError(DNS1123_SUBDOMAIN_ERR_MSG, DNS1123_SUBDOMAIN_FMT, "example.com"));
  return errs;
}

export function isDNS1035Label(value: string): string[] {
  const errs: string[] = [];
  if (utf8Length(value) > DNS1035_LABEL_MAX_LENGTH) errs.push(maxLenError(DNS1035_LABEL_MAX_LENGTH));
  if (!dns1035LabelRe.test(value)) errs.push(regexError(DNS1035_LABEL_ERR_MSG, DNS1035_LABEL_FMT, "my-name", "abc-123"));
  return errs;
}

// ---- ports ----

const portNameCharsetRe = /^[-a-z0-9]+$/;
const portNameOneLetterRe = /[a-z]/;

/** validation.IsValidPortName (IANA_SVC_NAME, RFC 6335). */
export function isValidPortName(port: string): string[] {
  const errs: string[] = [];
  if (utf8Length(port) > 15) errs.push(maxLenError(15));
  if (!portNameCharsetRe.test(port)) errs.push("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
  if (!portNameOneLetterRe.test(port)) errs.push("must contain at least one letter or number (a-z, 0-9)");
  if (port.includes("--")) errs.push("must not contain consecutive hyphens");
  if (port.length > 0 && (port[0] === "-" || port[port.length - 1] === "-")) errs.push("must not begin or end with a hyphen");
  return errs;
}

export function isInRange(value: number, lo: number, hi: number): boolean {
  return value >= lo && value <= hi;
}

/** validation.IsValidPortNum: 1..65535. */
export function isValidPortNum(port: number): string[] {
  if (Number.isInteger(port) && isInRange(port, 1, 65535)) return [];
  return [inclusiveRangeError(1, 65535)];
}

// ---- IP addresses (Go net.ParseIP) ----

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function hexVal(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/**
 * Dotted-quad IPv4 as Go's net.ParseIP accepts it: exactly four decimal octets 0-255. Leading zeros ("1.1.1.01") are
 * rejected, as by the Go toolchain the conformance tables were computed with (Go >= 1.17); see tests for the note.
 */
export function isValidIPv4(s: string): boolean {
  return parseIPv4Prefix(s, 0) === s.length;
}

/** Parses an IPv4 address at s[start:]; returns the index after it or -1. */
function parseIPv4Prefix(s: string, start: number): number {
  let i = start;
  for (let octet = 0; octet < 4; octet++) {
    if (octet > 0) {
      if (s.charCodeAt(i) !== 46 /* . */) return -1;
      i++;
    }
    const b = i;
    let n = 0;
    while (i < s.length && isDigit(s.charCodeAt(i)) && i - b < 3) {
      n = n * 10 + (s.charCodeAt(i) - 48);
      i++;
    }
    const len = i - b;
    if (len === 0 || n > 255 || (len > 1 && s.charCodeAt(b) === 48)) return -1;
    if (i < s.length && isDigit(s.charCodeAt(i))) return -1; // more than 3 digits
  }
  return i;
}

/** IPv6 textual form as Go's net.ParseIP accepts it (no zone, no brackets; optional trailing dotted IPv4). */
export function isValidIPv6(s: string): boolean {
  let groups = 0; // 16-bit groups seen
  let ellipsis = false;
  let i = 0;
  if (s.startsWith("::")) {
    ellipsis = true;
    i = 2;
    if (i === s.length) return true;
  }
  while (i < s.length) {
    // a hex group, or an embedded IPv4 at the end
    const b = i;
    while (i < s.length && hexVal(s.charCodeAt(i)) >= 0) i++;
    const len = i - b;
    if (len === 0) return false;
    if (i < s.length && s.charCodeAt(i) === 46 /* . */) {
      // embedded IPv4 must be last and needs room for two groups
      if (!ellipsis && groups !== 6) return false;
      if (groups > 6) return false;
      if (parseIPv4Prefix(s, b) !== s.length) return false;
      groups += 2;
      break;
    }
    if (len > 4) return false;
    groups++;
    if (i === s.length) break;
    if (s.charCodeAt(i) !== 58 /* : */) return false;
    i++;
    if (s.charCodeAt(i) === 58) {
      if (ellipsis) return false;
      ellipsis = true;
      i++;
      if (i === s.length) break;
    } else if (i === s.length) {
      return false; // trailing single colon
    }
    if (groups > 8) return false;
  }
  if (ellipsis) return groups < 8;
  return groups === 8;
}

/** validation.IsValidIP (v1.19 message). */
export function isValidIP(value: string): string[] {
  let ok = false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 46) {
      ok = isValidIPv4(value);
      break;
    }
    if (c === 58) {
      ok = isValidIPv6(value);
      break;
    }
  }
  return ok ? [] : ["must be a valid IP address, (e.g. 10.9.8.7)"];
}

// ---- metav1validation.ValidateLabels ----

/** One Invalid-value field error per message, all on `fieldPath`; the key is the bad value for key errors. */
export function validateLabels(labels: Record<string, string> | undefined, fieldPath: string): FieldError[] {
  const out: FieldError[] = [];
  if (!labels) return out;
  for (const [k, v] of Object.entries(labels)) {
    for (const msg of isQualifiedName(k)) out.push({ field: fieldPath, type: "Invalid value", value: goQuote(k), detail: msg });
    for (const msg of isValidLabelValue(v)) out.push({ field: fieldPath, type: "Invalid value", value: goQuote(v), detail: msg });
  }
  return out;
}
