// The file tree as screen rows: a view flattened through its expanded directories, with the
// user's sort, filter and "hide unchanged" / "only flagged" toggles applied. Cost grows with the
// rows shown, not the tree: collapsed directories are never entered (a filter, and "expand all",
// do enter every directory).

import type { TreeView, ViewNode } from './tree-view.js';
import { bySizeDescThenName } from './order.js';

export interface Row {
  readonly node: ViewNode;
  readonly depth: number;
  /** Opened: its children are the rows that follow. */
  readonly expanded: boolean;
}

export type SortOrder = 'size' | 'name';

export interface RowOptions {
  readonly expanded: ReadonlySet<string>;
  readonly sort: SortOrder;
  readonly hideUnchanged: boolean;
  readonly onlyFlagged: boolean;
  /** Case-insensitive substring of the path; '' for none. Matches show with their ancestors, expanded. */
  readonly filter: string;
}

/**
 * Children in size order, sorted once per node and kept by whoever keeps the views (sorting a
 * large folder again on every key press would cost what the tree holds, not what it shows).
 */
export interface RowMemo {
  readonly bySize: WeakMap<ViewNode, readonly ViewNode[]>;
}

export function createRowMemo(): RowMemo {
  return { bySize: new WeakMap() };
}

export function flattenRows(view: TreeView, options: RowOptions, memo: RowMemo = createRowMemo()): Row[] {
  const rows: Row[] = [];
  const keep = options.filter === '' ? undefined : matchingNodes(view, options.filter.toLowerCase());
  // Opened directories whose rows are being listed, innermost last: a stack, not recursion (an
  // image decides how deep its paths go).
  const open: Iterator<ViewNode>[] = [ordered(view, view.root, options.sort, memo)[Symbol.iterator]()];
  while (open.length > 0) {
    const next = (open[open.length - 1] as Iterator<ViewNode>).next();
    if (next.done) {
      open.pop();
      continue;
    }
    const child = next.value;
    if (options.hideUnchanged && !child.changedBelow) continue;
    if (options.onlyFlagged && !child.flaggedBelow) continue;
    if (keep && !keep.has(child)) continue;
    const expanded = (keep !== undefined || options.expanded.has(child.path)) && view.children(child).length > 0;
    rows.push({ node: child, depth: open.length - 1, expanded });
    if (expanded) open.push(ordered(view, child, options.sort, memo)[Symbol.iterator]());
  }
  return rows;
}

function ordered(view: TreeView, node: ViewNode, sort: SortOrder, memo: RowMemo): readonly ViewNode[] {
  const children = view.children(node);
  if (sort === 'name') return children;
  let sorted = memo.bySize.get(node);
  if (!sorted) {
    sorted = [...children].sort(bySizeDescThenName);
    memo.bySize.set(node, sorted);
  }
  return sorted;
}

/** Nodes whose path contains the filter, and their ancestors. */
function matchingNodes(view: TreeView, needle: string): Set<ViewNode> {
  const keep = new Set<ViewNode>();
  // Children before parents: a node is kept when it matches or keeps a child.
  const nodes = allNodes(view);
  for (let i = nodes.length - 1; i >= 0; i--) {
    const node = nodes[i] as ViewNode;
    if ((node !== view.root && node.path.toLowerCase().includes(needle)) || view.children(node).some((child) => keep.has(child))) keep.add(node);
  }
  return keep;
}

/** Every directory path of the view, for "expand all". */
export function allDirectories(view: TreeView): Set<string> {
  const paths = new Set<string>();
  for (const node of allNodes(view)) if (node !== view.root && view.children(node).length > 0) paths.add(node.path);
  return paths;
}

/** Every node of the view, parents before children (no recursion: paths go as deep as an image likes). */
function allNodes(view: TreeView): ViewNode[] {
  const nodes: ViewNode[] = [];
  const pending = [view.root];
  for (let node = pending.pop(); node; node = pending.pop()) {
    nodes.push(node);
    for (const child of view.children(node)) pending.push(child);
  }
  return nodes;
}
