// The file tree's rows without making them: how many rows each open folder holds below it, and
// any row by its index, found by going down from the top through those counts. A frame asks
// for the rows it shows; opening every folder of 200,000 files or sorting them again costs a
// count of what is open and the folders on the way to the rows drawn, not a Row per file.
// Counts do not depend on the sort: toggling it keeps them (a RowCounts serves both orders).

import type { TreeView, ViewNode } from './tree-view.js';
import { createRowMemo, holdsFolder, keptNodes, type Folders, type Kept, type Row, type RowMemo, type RowOptions, type SortOrder } from './tree-rows.js';
import { viewFacts, type ViewFacts } from './view-facts.js';
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

/**
 * `facts`: the view's facts (view-facts.ts), asked for only when every folder is open and no filter
 * keeps rows: the rows below a folder are then its view nodes below, counted once for the view.
 */
export function rowCounts(view: TreeView, options: Pick<RowOptions, 'expanded' | 'closedInFilter' | 'filter'>, kept: Kept, facts: () => ViewFacts = () => viewFacts(view)): RowCounts {
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
    node === view.root || ((filtered ? !holdsFolder(options.closedInFilter, node.path) : holdsFolder(options.expanded, node.path)) && view.children(node).length > 0);
  // With every folder open but a few (after ], or under a filter), the rows below a folder that
  // holds none of those few are known without a walk.
  const folders: Folders = filtered ? options.closedInFilter : options.expanded;
  const allOpen = filtered ? !folders.all : folders.all;
  const exceptionBelow = (node: ViewNode): boolean => {
    if (node === view.root) return folders.except.size > 0;
    for (const path of folders.except) if (path.startsWith(node.path) && path.charAt(node.path.length) === '/') return true;
    return false;
  };
  const allOpenBelow = (node: ViewNode): number | undefined =>
    !allOpen || exceptionBelow(node) ? undefined : kept ? kept.rowsBelow(node) : (facts().below[view.ordinal(node)] as number);
  const below = (node: ViewNode): number => {
    if (!isOpen(node)) return 0;
    const known = belowMemo.get(node) ?? allOpenBelow(node);
    if (known !== undefined) return known;
    // Folders being counted, innermost last: a stack, not recursion (an image decides the depth).
    const frames = [{ node, children: shown(node), next: 0, total: 0 }];
    for (;;) {
      const frame = frames[frames.length - 1] as (typeof frames)[number];
      if (frame.next < frame.children.length) {
        const child = frame.children[frame.next++] as ViewNode;
        frame.total += 1;
        if (!isOpen(child)) continue;
        const counted = belowMemo.get(child) ?? allOpenBelow(child);
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
  return new Rows(counts, sort, memo);
}

/** Every row of the view, made: for tests and small trees (the explorer asks a RowList for the rows it draws). */
export function flattenRows(view: TreeView, options: RowOptions, kept: Kept = keptNodes(view, options), memo: RowMemo = createRowMemo()): Row[] {
  const rows = rowList(rowCounts(view, options, kept), options.sort, memo);
  return rows.slice(0, rows.length);
}

/** A folder being listed from its `next` child, its rows at `depth`. */
interface Frame {
  readonly children: readonly ViewNode[];
  next: number;
  readonly depth: number;
}

class Rows implements RowList {
  readonly length: number;
  private readonly orderedMemo = new Map<ViewNode, readonly ViewNode[]>();
  private readonly startsMemo = new Map<ViewNode, Float64Array>();

  constructor(
    private readonly counts: RowCounts,
    private readonly sort: SortOrder,
    private readonly memo: RowMemo,
  ) {
    this.length = counts.below(counts.view.root);
  }

  at(index: number): Row | undefined {
    const found = this.find(index);
    return found && this.row(found.node, found.depth);
  }

  slice(from: number, to: number): Row[] {
    const rows: Row[] = [];
    const first = Math.max(0, from);
    if (first >= Math.min(to, this.length)) return rows;
    // Down to the first row once, then on in order: the folders entered, innermost last.
    const open: Frame[] = [];
    let node = this.counts.view.root;
    let offset = 0; // the row of the folder's first child
    for (let depth = 0; ; depth++) {
      const at = this.starts(node);
      const k = lastAtOrBefore(at, first - offset);
      const frame: Frame = { children: this.ordered(node), next: k, depth };
      open.push(frame);
      const own = offset + (at[k] as number);
      if (own === first) break;
      // The folder's own row comes before `first`: this frame goes on after it.
      frame.next = k + 1;
      offset = own + 1;
      node = frame.children[k] as ViewNode;
    }
    while (rows.length < to - first && open.length > 0) {
      const frame = open[open.length - 1] as Frame;
      const child = frame.children[frame.next++];
      if (!child) {
        open.pop();
        continue;
      }
      rows.push(this.row(child, frame.depth));
      if (this.counts.isOpen(child)) open.push({ children: this.ordered(child), next: 0, depth: frame.depth + 1 });
    }
    return rows;
  }

  indexOf(path: string): number {
    let node = this.counts.view.root;
    let offset = 0;
    for (;;) {
      const children = this.ordered(node);
      const k = children.findIndex((child) => child.path === path || path.startsWith(`${child.path}/`));
      const child = children[k];
      if (!child) return -1;
      const own = offset + (this.starts(node)[k] as number);
      if (child.path === path) return own;
      if (!this.counts.isOpen(child)) return -1;
      offset = own + 1;
      node = child;
    }
  }

  parentOf(index: number): number | undefined {
    return this.find(index)?.parent;
  }

  /** Goes down to row `index`: its node, depth and the row of its folder. */
  private find(index: number): { node: ViewNode; depth: number; parent: number | undefined } | undefined {
    if (!(index >= 0 && index < this.length)) return undefined;
    let node = this.counts.view.root;
    let offset = 0;
    let parent: number | undefined;
    for (let depth = 0; ; depth++) {
      const at = this.starts(node);
      const k = lastAtOrBefore(at, index - offset);
      const child = this.ordered(node)[k] as ViewNode;
      const own = offset + (at[k] as number);
      if (own === index) return { node: child, depth, parent };
      parent = own;
      offset = own + 1;
      node = child;
    }
  }

  private row(node: ViewNode, depth: number): Row {
    const { kept } = this.counts;
    return { node, depth, expanded: this.counts.isOpen(node), size: kept && node.kind !== 'removed' ? kept.bytes(node) : node.size };
  }

  private ordered(node: ViewNode): readonly ViewNode[] {
    const { kept, view } = this.counts;
    if (this.sort === 'name') return this.counts.shown(node);
    // With a filter or toggle, by the bytes shown (ties by name), sorted as drawn.
    if (kept) {
      let list = this.orderedMemo.get(node);
      if (!list) this.orderedMemo.set(node, (list = [...this.counts.shown(node)].sort((a, b) => kept.bytes(b) - kept.bytes(a) || bySizeDescThenName(a, b))));
      return list;
    }
    let sorted = this.memo.bySize.get(node);
    if (!sorted) this.memo.bySize.set(node, (sorted = [...view.children(node)].sort(bySizeDescThenName)));
    return sorted;
  }

  /** Where each child's row falls among its folder's rows; the last entry is the folder's total. */
  private starts(node: ViewNode): Float64Array {
    let at = this.startsMemo.get(node);
    if (at) return at;
    const children = this.ordered(node);
    at = new Float64Array(children.length + 1);
    for (let i = 0; i < children.length; i++) at[i + 1] = (at[i] as number) + 1 + this.counts.below(children[i] as ViewNode);
    this.startsMemo.set(node, at);
    return at;
  }
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
