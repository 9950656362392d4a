// Go's sort.Sort as the Go releases of kubectl v1.19/v1.20 ship it (Go 1.15: a quicksort with Tukey's ninther, a
// guard against runs of equal keys, heapsort past a depth bound and, for twelve elements or fewer, a shell pass of
// gap 6 then insertion sort). It is not stable, and kubectl's `--sort-by` leaves equal keys wherever this algorithm
// puts them, so the order of ties is part of what kubectl prints: the same steps here give the same order.

/** Sorts `a` in place, as Go's sort.Sort would with `less` as the interface's Less. */
export function goSort<T>(a: T[], less: (x: T, y: T) => boolean): void {
  const lt = (i: number, j: number) => less(a[i], a[j]);
  const swap = (i: number, j: number) => {
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  };

  const insertion = (lo: number, hi: number) => {
    for (let i = lo + 1; i < hi; i++) for (let j = i; j > lo && lt(j, j - 1); j--) swap(j, j - 1);
  };

  // the heap's root at `first`; restores the heap property on [lo, hi) of it
  const siftDown = (lo: number, hi: number, first: number) => {
    let root = lo;
    for (;;) {
      let child = 2 * root + 1;
      if (child >= hi) return;
      if (child + 1 < hi && lt(first + child, first + child + 1)) child++;
      if (!lt(first + root, first + child)) return;
      swap(first + root, first + child);
      root = child;
    }
  };
  const heapSort = (lo: number, hi: number) => {
    const n = hi - lo;
    for (let i = Math.floor((n - 1) / 2); i >= 0; i--) siftDown(i, n, lo);
    for (let i = n - 1; i >= 0; i--) {
      swap(lo, lo + i);
      siftDown(0, i, lo);
    }
  };

  // the median of a[m0], a[m1], a[m2] moved to m1
  const median3 = (m1: number, m0: number, m2: number) => {
    if (lt(m1, m0)) swap(m1, m0);
    if (lt(m2, m1)) {
      swap(m2, m1);
      if (lt(m1, m0)) swap(m1, m0);
    }
  };

  // partitions [lo, hi) around a pivot; returns the bounds of the middle (pivot-equal) part
  const doPivot = (lo: number, hi: number): [number, number] => {
    const m = lo + ((hi - lo) >> 1);
    if (hi - lo > 40) {
      const s = Math.floor((hi - lo) / 8);
      median3(lo, lo + s, lo + 2 * s);
      median3(m, m - s, m + s);
      median3(hi - 1, hi - 1 - s, hi - 1 - 2 * s);
    }
    median3(lo, m, hi - 1);
    const pivot = lo;
    let a = lo + 1;
    let c = hi - 1;
    while (a < c && lt(a, pivot)) a++;
    let b = a;
    for (;;) {
      while (b < c && !lt(pivot, b)) b++;
      while (b < c && lt(pivot, c - 1)) c--;
      if (b >= c) break;
      swap(b, c - 1);
      b++;
      c--;
    }
    // few elements above the pivot: probably many equal to it
    let protect = hi - c < 5;
    if (!protect && hi - c < Math.floor((hi - lo) / 4)) {
      let dups = 0;
      if (!lt(pivot, hi - 1)) {
        swap(c, hi - 1);
        c++;
        dups++;
      }
      if (!lt(b - 1, pivot)) {
        b--;
        dups++;
      }
      if (!lt(m, pivot)) {
        swap(m, b - 1);
        b--;
        dups++;
      }
      protect = dups > 1;
    }
    if (protect) {
      for (;;) {
        while (a < b && !lt(b - 1, pivot)) b--;
        while (a < b && lt(a, pivot)) a++;
        if (a >= b) break;
        swap(a, b - 1);
        a++;
        b--;
      }
    }
    swap(pivot, b - 1);
    return [b - 1, c];
  };

  const quickSort = (lo: number, hi: number, depth: number) => {
    while (hi - lo > 12) {
      if (depth === 0) {
        heapSort(lo, hi);
        return;
      }
      depth--;
      const [mlo, mhi] = doPivot(lo, hi);
      if (mlo - lo < hi - mhi) {
        quickSort(lo, mlo, depth);
        lo = mhi;
      } else {
        quickSort(mhi, hi, depth);
        hi = mlo;
      }
    }
    if (hi - lo > 1) {
      for (let i = lo + 6; i < hi; i++) if (lt(i, i - 6)) swap(i, i - 6);
      insertion(lo, hi);
    }
  };

  let depth = 0;
  for (let i = a.length; i > 0; i >>= 1) depth++;
  quickSort(0, a.length, depth * 2);
}
