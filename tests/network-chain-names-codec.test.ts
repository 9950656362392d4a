// The two codecs under kube-proxy's chain names (engine/network/chain-names.ts), against Python's hashlib and base64
// (the values below were computed with them): SHA-256 of text at each UTF-8 length boundary, and base32 prefixes of
// every length, including data that runs out before the prefix does (its last bits zero-filled, no `=` padding).
import { describe, expect, it } from "vitest";
import { base32Prefix, sha256 } from "../engine/network/chain-names.ts";

const hex = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
const bytes = (h: string) => new Uint8Array((h.match(/../g) ?? []).map((x) => parseInt(x, 16)));

describe("sha256", () => {
  it.each([
    ["\u0080", "ea0add9a514e94de9abd0ba721eed15b15aa0b3a0f09ebee5e54a9dfae943153"],
    ["\u07ff", "c57c6175c9087b0c1f7f849c840c8d1ab5b0c32163ffac03fb9f1913f222516d"],
    ["\u0800", "a36ae1af6063cc9281d4010e979a1e3fd3d9ee3e804b7093d2b00f6ee6388bec"],
    ["\uffff", "2c34e62119d9c5fc3aa11640bd7945d6bf309acc6e99d8054f54ae5110e343f6"],
    ["\u{10000}", "31237b174ba6047a15db0d343ad9550da611b7b7bce867a23522f81a05df3eda"],
    ["default/kubernetes:httpstcp", "6befcf338f9b26a8b7d84790f9b2898c2c9057796d6c2fe78bd4f4ada8f1eff6"],
  ])("%j", (text, want) => {
    expect(hex(sha256(text))).toBe(want);
  });
});

describe("base32Prefix", () => {
  const full: [string, string][] = [
    ["", ""],
    ["01", "AE"],
    ["ff00", "74AA"],
    ["6b7562656c6162", "NN2WEZLMMFRA"],
    ["00010203040506070809", "AAAQEAYEAUDAOCAJ"],
    ["000102030405060708090a", "AAAQEAYEAUDAOCAJBI"],
    ["000102030405060708090a0b", "AAAQEAYEAUDAOCAJBIFQ"],
  ];
  it.each(full)("all of %s", (data, want) => {
    expect(base32Prefix(bytes(data), 100)).toBe(want);
  });
  it.each(full.flatMap(([data, want]) => [1, 3, 7, 8, 13, 16, 17].map((n) => [data, n, want.slice(0, n)] as const)))("the first %2$i characters of %1$s", (data, n, want) => {
    expect(base32Prefix(bytes(data), n)).toBe(want);
  });
});
