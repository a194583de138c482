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
  const visit = (node: ViewNode, depth: number): void => {
    for (const child of ordered(view, node, options.sort, memo)) {
      if (options.hideUnchanged && !child.changedBelow) continue;
      if (options.onlyFlagged && !child.flaggedBelow) continue;
      if (keep && !keep.has(child)) continue;
      const open = (keep !== undefined || options.expanded.has(child.path)) && view.children(child).length > 0;
      rows.push({ node: child, depth, expanded: open });
      if (open) visit(child, depth + 1);
    }
  };
  visit(view.root, 0);
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
  const visit = (node: ViewNode): boolean => {
    let any = node.path.toLowerCase().includes(needle) && node !== view.root;
    for (const child of view.children(node)) if (visit(child)) any = true;
    if (any) keep.add(node);
    return any;
  };
  visit(view.root);
  return keep;
}

/** Every directory path of the view, for "expand all". */
export function allDirectories(view: TreeView): Set<string> {
  const paths = new Set<string>();
  const visit = (node: ViewNode): void => {
    for (const child of view.children(node)) {
      if (view.children(child).length > 0) {
        paths.add(child.path);
        visit(child);
      }
    }
  };
  visit(view.root);
  return paths;
}
