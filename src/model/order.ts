// Every ordering, once (as dive keeps order_strategy.go). Each comparator returns 0 exactly when
// its keys are equal, as Array.prototype.sort requires, so sorting is deterministic: ties are
// broken by a later key, never by the order the input happened to arrive in.

export type Comparator<T> = (a: T, b: T) => number;

/**
 * Names and paths in code-unit order: locale-free, the same on every machine. It equals the byte
 * order of their UTF-8 (what Go's sort and C's strcmp use) except between characters above
 * U+FFFF and those from U+E000 to U+FFFF, which no layer order depends on.
 */
export function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Strings by their UTF-8 bytes, for output that must match Go's byte order exactly (a build context's tar). */
export function byUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

export function byNumber(a: number, b: number): number {
  return a - b;
}

/** The first comparator that tells a and b apart decides. */
function thenBy<T>(...comparators: readonly Comparator<T>[]): Comparator<T> {
  return (a, b) => {
    for (const compare of comparators) {
      const order = compare(a, b);
      if (order !== 0) return order;
    }
    return 0;
  };
}

function byBytesDesc(a: { readonly bytes: number }, b: { readonly bytes: number }): number {
  return b.bytes - a.bytes;
}

export function byPath(a: { readonly path: string }, b: { readonly path: string }): number {
  return byText(a.path, b.path);
}

/** Largest first, then by path: every list of files with their bytes. */
export const byBytesDescThenPath: Comparator<{ readonly bytes: number; readonly path: string }> = thenBy<{ readonly bytes: number; readonly path: string }>(byBytesDesc, byPath);

/** Largest first, then by name: the explorer's size order. */
export const bySizeDescThenName: Comparator<{ readonly size: number; readonly name: string }> = (a, b) => b.size - a.size || byText(a.name, b.name);
