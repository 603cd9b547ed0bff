/**
 * numpy 1.24's default `argsort` (introsort: median-of-3 quicksort, insertion sort below 16
 * elements, heapsort past the depth limit). Ties are not kept in input order, and the order in
 * which tied events are summed changes float32 sums in the last bit — so the compat histogram
 * (numpy's cumulative-sum histogram, §6.5) must visit events in exactly numpy's order.
 */

const SMALL_QUICKSORT = 15;

/** numpy's float `<`: NaNs sort last. */
function less(a: number, b: number): boolean {
  return a < b || (b !== b && a === a);
}

function msb(n: number): number {
  let d = 0;
  while ((n >>= 1) > 0) d++;
  return d;
}

function aheapsort(v: ArrayLike<number>, tosort: Int32Array, offset: number, n: number): void {
  // 1-based heap over tosort[offset .. offset+n-1]
  const a = (i: number): number => tosort[offset + i - 1];
  const set = (i: number, x: number): void => {
    tosort[offset + i - 1] = x;
  };
  // Put `tmp` at heap slot `i` of a heap of `size`, moving larger children up (numpy's sift-down).
  const siftDown = (tmp: number, i: number, size: number): void => {
    let j = i << 1;
    while (j <= size) {
      if (j < size && less(v[a(j)], v[a(j + 1)])) j += 1;
      if (!less(v[tmp], v[a(j)])) break;
      set(i, a(j));
      i = j;
      j += j;
    }
    set(i, tmp);
  };
  for (let l = n >> 1; l > 0; --l) siftDown(a(l), l, n);
  for (; n > 1; ) {
    const tmp = a(n);
    set(n, a(1));
    n -= 1;
    siftDown(tmp, 1, n);
  }
}

/** Indices that sort `v`, in the order numpy 1.24 `np.argsort(v)` (kind 'quicksort') returns them. */
export function npArgsort(v: ArrayLike<number>): Int32Array {
  const tosort = new Int32Array(v.length);
  npArgsortInto(v, v.length, tosort);
  return tosort;
}

/**
 * `npArgsort` of the first `num` values of `v`, into `tosort` (≥ num long): the histogram sorts one
 * block after another into the same buffer instead of allocating one per block.
 */
export function npArgsortInto(v: ArrayLike<number>, num: number, tosort: Int32Array): void {
  for (let i = 0; i < num; i++) tosort[i] = i;
  if (num < 2) return;
  let pl = 0;
  let pr = num - 1;
  const stack: number[] = [];
  const depthStack: number[] = [];
  let cdepth = msb(num) * 2;
  for (;;) {
    if (cdepth < 0) {
      // introsort depth limit: heapsort this partition, then pop the next one
      aheapsort(v, tosort, pl, pr - pl + 1);
    } else {
      while (pr - pl > SMALL_QUICKSORT) {
        const pm = pl + ((pr - pl) >> 1);
        let t: number;
        if (less(v[tosort[pm]], v[tosort[pl]])) {
          t = tosort[pm]; tosort[pm] = tosort[pl]; tosort[pl] = t;
        }
        if (less(v[tosort[pr]], v[tosort[pm]])) {
          t = tosort[pr]; tosort[pr] = tosort[pm]; tosort[pm] = t;
        }
        if (less(v[tosort[pm]], v[tosort[pl]])) {
          t = tosort[pm]; tosort[pm] = tosort[pl]; tosort[pl] = t;
        }
        const vp = v[tosort[pm]];
        let pi = pl;
        let pj = pr - 1;
        t = tosort[pm]; tosort[pm] = tosort[pj]; tosort[pj] = t;
        for (;;) {
          do ++pi; while (less(v[tosort[pi]], vp));
          do --pj; while (less(vp, v[tosort[pj]]));
          if (pi >= pj) break;
          t = tosort[pi]; tosort[pi] = tosort[pj]; tosort[pj] = t;
        }
        const pk = pr - 1;
        t = tosort[pi]; tosort[pi] = tosort[pk]; tosort[pk] = t;
        // push the larger partition, loop on the smaller
        if (pi - pl < pr - pi) {
          stack.push(pi + 1, pr);
          pr = pi - 1;
        } else {
          stack.push(pl, pi - 1);
          pl = pi + 1;
        }
        depthStack.push(--cdepth);
      }
      for (let pi = pl + 1; pi <= pr; ++pi) {
        const vi = tosort[pi];
        const vp = v[vi];
        let pj = pi;
        let pk = pi - 1;
        while (pj > pl && less(vp, v[tosort[pk]])) tosort[pj--] = tosort[pk--];
        tosort[pj] = vi;
      }
    }
    if (stack.length === 0) break;
    pr = stack.pop() as number;
    pl = stack.pop() as number;
    cdepth = depthStack.pop() as number;
  }
}
