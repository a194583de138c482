// The file tree's rows without making them: how many rows each open folder holds below it, and
// any row by its index, found by going down from the top through those counts. A frame asks
// for the rows it shows; opening every folder of 200,000 files or sorting them again costs a
// count of what is open and the folders on the way to the rows drawn, not a Row per file.
// Counts do not depend on the sort: toggling it keeps them (a RowCounts serves both orders).

import type { TreeView, ViewNode } from './tree-view.js';
import type { Kept, Row, RowMemo, RowOptions, SortOrder } from './tree-rows.js';
import { bySizeDescThenName } from './order.js';

/** The rows as a list, made on request. */
export interface RowList {
  readonly length: number;
  at(index: number): Row | undefined;
  /** The rows from `from` up to (not including) `to`. */
  slice(from: number, to: number): Row[];
  /** The row of the path, or -1 when no row shows it (filtered out, or in a closed folder). */
  indexOf(path: string): number;
  /** The row of the folder holding the row at `index`; undefined at the top level. */
  parentOf(index: number): number | undefined;
}

/** Which folders are open and what each holds below it in rows, under one filter. */
export interface RowCounts {
  readonly view: TreeView;
  readonly kept: Kept;
  /** The children that show (the filter's), in name order. */
  shown(node: ViewNode): readonly ViewNode[];
  isOpen(node: ViewNode): boolean;
  /** Rows below an open folder (0 for a closed one). */
  below(node: ViewNode): number;
}

export function rowCounts(view: TreeView, options: Pick<RowOptions, 'expanded' | 'closedInFilter' | 'filter'>, kept: Kept): RowCounts {
  const filtered = options.filter !== '';
  const shownMemo = new Map<ViewNode, readonly ViewNode[]>();
  const belowMemo = new Map<ViewNode, number>();
  const shown = (node: ViewNode): readonly ViewNode[] => {
    if (!kept) return view.children(node);
    let list = shownMemo.get(node);
    if (!list) shownMemo.set(node, (list = view.children(node).filter((child) => kept.has(child))));
    return list;
  };
  const isOpen = (node: ViewNode): boolean =>
    node === view.root || ((filtered ? !options.closedInFilter.has(node.path) : options.expanded.has(node.path)) && view.children(node).length > 0);
  const below = (node: ViewNode): number => {
    if (!isOpen(node)) return 0;
    const known = belowMemo.get(node);
    if (known !== undefined) return known;
    // Folders being counted, innermost last: a stack, not recursion (an image decides the depth).
    const frames = [{ node, children: shown(node), next: 0, total: 0 }];
    for (;;) {
      const frame = frames[frames.length - 1] as (typeof frames)[number];
      if (frame.next < frame.children.length) {
        const child = frame.children[frame.next++] as ViewNode;
        frame.total += 1;
        if (!isOpen(child)) continue;
        const counted = belowMemo.get(child);
        if (counted !== undefined) frame.total += counted;
        else frames.push({ node: child, children: shown(child), next: 0, total: 0 });
        continue;
      }
      frames.pop();
      belowMemo.set(frame.node, frame.total);
      const parent = frames[frames.length - 1];
      if (!parent) return frame.total;
      parent.total += frame.total;
    }
  };
  return { view, kept, shown, isOpen, below };
}

/** The rows in `sort` order; `memo` keeps size-sorted folders across lists of the same views. */
export function rowList(counts: RowCounts, sort: SortOrder, memo: RowMemo): RowList {
  const { view, kept } = counts;
  const orderedMemo = new Map<ViewNode, readonly ViewNode[]>();
  const startsMemo = new Map<ViewNode, Float64Array>();
  const ordered = (node: ViewNode): readonly ViewNode[] => {
    if (sort === 'name') return counts.shown(node);
    // With a filter or toggle, by the bytes shown (ties by name), sorted as drawn.
    if (kept) {
      let list = orderedMemo.get(node);
      if (!list) orderedMemo.set(node, (list = [...counts.shown(node)].sort((a, b) => (kept.get(b) ?? 0) - (kept.get(a) ?? 0) || bySizeDescThenName(a, b))));
      return list;
    }
    let sorted = memo.bySize.get(node);
    if (!sorted) memo.bySize.set(node, (sorted = [...view.children(node)].sort(bySizeDescThenName)));
    return sorted;
  };
  /** Where each child's row falls among its folder's rows; the last entry is the folder's total. */
  const starts = (node: ViewNode): Float64Array => {
    let at = startsMemo.get(node);
    if (at) return at;
    const children = ordered(node);
    at = new Float64Array(children.length + 1);
    for (let i = 0; i < children.length; i++) at[i + 1] = (at[i] as number) + 1 + counts.below(children[i] as ViewNode);
    startsMemo.set(node, at);
    return at;
  };
  const row = (node: ViewNode, depth: number): Row => ({
    node,
    depth,
    expanded: counts.isOpen(node),
    size: kept && node.kind !== 'removed' ? (kept.get(node) ?? 0) : node.size,
  });
  const length = counts.below(view.root);
  /** Goes down to row `index`: its node, depth and the row of its folder. */
  const find = (index: number): { node: ViewNode; depth: number; parent: number | undefined } | undefined => {
    if (!(index >= 0 && index < length)) return undefined;
    let node = view.root;
    let offset = 0; // the row index of the folder's first child
    let parent: number | undefined;
    for (let depth = 0; ; depth++) {
      const at = starts(node);
      const k = lastAtOrBefore(at, index - offset);
      const child = ordered(node)[k] as ViewNode;
      const own = offset + (at[k] as number);
      if (own === index) return { node: child, depth, parent };
      parent = own;
      offset = own + 1;
      node = child;
    }
  };
  return {
    length,
    at(index) {
      const found = find(index);
      return found && row(found.node, found.depth);
    },
    slice(from, to) {
      const rows: Row[] = [];
      const first = Math.max(0, from);
      if (first >= Math.min(to, length)) return rows;
      // Down to the first row once, then on in order: the folders entered, innermost last.
      const open: { children: readonly ViewNode[]; next: number; depth: number }[] = [];
      let node = view.root;
      let offset = 0;
      for (let depth = 0; ; depth++) {
        const at = starts(node);
        const k = lastAtOrBefore(at, first - offset);
        const frame = { children: ordered(node), next: k, depth };
        open.push(frame);
        const own = offset + (at[k] as number);
        if (own === first) break;
        // The folder's own row comes before `first`: this frame goes on after it.
        frame.next = k + 1;
        offset = own + 1;
        node = frame.children[k] as ViewNode;
      }
      while (rows.length < to - first && open.length > 0) {
        const frame = open[open.length - 1] as (typeof open)[number];
        const child = frame.children[frame.next++];
        if (!child) {
          open.pop();
          continue;
        }
        rows.push(row(child, frame.depth));
        if (counts.isOpen(child)) open.push({ children: ordered(child), next: 0, depth: frame.depth + 1 });
      }
      return rows;
    },
    indexOf(path) {
      let node = view.root;
      let offset = 0;
      for (;;) {
        const children = ordered(node);
        const k = children.findIndex((child) => child.path === path || path.startsWith(`${child.path}/`));
        const child = children[k];
        if (!child) return -1;
        const own = offset + (starts(node)[k] as number);
        if (child.path === path) return own;
        if (!counts.isOpen(child)) return -1;
        offset = own + 1;
        node = child;
      }
    },
    parentOf: (index) => find(index)?.parent,
  };
}

/** The last position whose start is at or before `value` (starts ascend from 0). */
function lastAtOrBefore(starts: Float64Array, value: number): number {
  let low = 0;
  let high = starts.length - 2;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if ((starts[mid] as number) <= value) low = mid;
    else high = mid - 1;
  }
  return low;
}
