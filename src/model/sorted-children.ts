// A directory's children as one array sorted by name, behind the read-only Map interface the
// tree's readers use: a Map per directory costs its hash table, several times the 4 bytes an
// array slot does, and the tree is only read once built.

import { byText } from './order.js';

export class SortedChildren<T extends { readonly name: string }> implements ReadonlyMap<string, T> {
  /** `list` sorted by name (byText), each name once; kept, not copied. */
  constructor(private readonly list: readonly T[]) {}

  get size(): number {
    return this.list.length;
  }

  get(name: string): T | undefined {
    let low = 0;
    let high = this.list.length - 1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      const child = this.list[mid] as T;
      const order = byText(child.name, name);
      if (order === 0) return child;
      if (order < 0) low = mid + 1;
      else high = mid - 1;
    }
    return undefined;
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  values(): MapIterator<T> {
    return this.list.values();
  }

  *keys(): MapIterator<string> {
    for (const child of this.list) yield child.name;
  }

  *entries(): MapIterator<[string, T]> {
    for (const child of this.list) yield [child.name, child];
  }

  [Symbol.iterator](): MapIterator<[string, T]> {
    return this.entries();
  }

  forEach(visit: (value: T, key: string, map: ReadonlyMap<string, T>) => void, thisArg?: unknown): void {
    for (const child of this.list) visit.call(thisArg, child, child.name, this);
  }
}
