// The natural order kubectl's --sort-by compares strings in (vbom.ml/util/sortorder NaturalLess): digit runs compare
// as numbers ("pod-2" < "pod-10"), a digit before any other byte, other bytes compared as UTF-8 bytes, and of two
// equal numbers the one with fewer leading zeros first.

const utf8 = new TextEncoder();
const isDigit = (b: number) => b >= 0x30 && b <= 0x39;
const ZERO = 0x30;

export function naturalLess(x: string, y: string): boolean {
  const s1 = utf8.encode(x);
  const s2 = utf8.encode(y);
  let i = 0;
  let j = 0;
  while (i < s1.length && j < s2.length) {
    const d1 = isDigit(s1[i]);
    const d2 = isDigit(s2[j]);
    if (d1 !== d2) return d1;
    if (!d1) {
      if (s1[i] !== s2[j]) return s1[i] < s2[j];
      i++;
      j++;
      continue;
    }
    while (i < s1.length && s1[i] === ZERO) i++;
    while (j < s2.length && s2[j] === ZERO) j++;
    const n1 = i;
    const n2 = j;
    while (i < s1.length && isDigit(s1[i])) i++;
    while (j < s2.length && isDigit(s2[j])) j++;
    if (i - n1 !== j - n2) return i - n1 < j - n2;
    for (let k = 0; k < i - n1; k++) if (s1[n1 + k] !== s2[n2 + k]) return s1[n1 + k] < s2[n2 + k];
    // the same number: fewer leading zeros first (everything before it being equal, the start index tells)
    if (n1 !== n2) return n1 < n2;
  }
  return s1.length < s2.length;
}
