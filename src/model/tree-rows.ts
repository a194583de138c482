// The file tree as screen rows: a view flattened through its open directories, with the user's
// sort, filter and show/hide toggles applied. Without a filter or toggle, cost grows with the rows
// shown, not the tree: closed directories are never entered. A filter or toggle walks the view
// once (kept per view and toggles by the caller) to learn which folders still hold something
// shown, and what it weighs: a folder shows only when something below it does, and its size is
// the bytes shown below it.

import type { TreeView, ViewKind, ViewNode } from './tree-view.js';

export interface Row {
  readonly node: ViewNode;
  readonly depth: number;
  /** Opened: its children are the rows that follow. */
  readonly expanded: boolean;
  /** The size shown: the node's own (a removed path's, what it held), or with a filter or toggle, the bytes shown at or below it. */
  readonly size: number;
}

export type SortOrder = 'size' | 'name';

/** What decides whether a path shows at all. */
export interface RowFilter {
  /** Kinds of change not shown (dive's Ctrl-A/R/M/U). */
  readonly hidden: ReadonlySet<ViewKind>;
  readonly onlyFlagged: boolean;
  /** Case-insensitive substring of the path; '' for none. */
  readonly filter: string;
}

export interface RowOptions extends RowFilter {
  readonly expanded: ReadonlySet<string>;
  /** With a filter, folders are open unless closed here. */
  readonly closedInFilter: ReadonlySet<string>;
  readonly sort: SortOrder;
}

/** The nodes a filter keeps, with the bytes shown at or below each; undefined when nothing filters. */
export type Kept = ReadonlyMap<ViewNode, number> | undefined;

export const filtering = (filter: RowFilter): boolean => filter.hidden.size > 0 || filter.onlyFlagged || filter.filter !== '';

/**
 * Which nodes show under the filter: a childless node when it passes (its kind is shown, it is
 * flagged when only flagged files show, its path holds the filter text); a folder when something
 * below it shows. A removed path weighs nothing in its folder (it is not there any more).
 */
export function keptNodes(view: TreeView, filter: RowFilter): Kept {
  if (!filtering(filter)) return undefined;
  const needle = filter.filter.toLowerCase();
  const kept = new Map<ViewNode, number>();
  const passes = (node: ViewNode): boolean =>
    !filter.hidden.has(node.kind) && (!filter.onlyFlagged || node.flagged) && (needle === '' || node.path.toLowerCase().includes(needle));
  // Iterative (parents before children, walked back children first), so depth cannot overflow the stack.
  const order: ViewNode[] = [];
  const parents = new Map<ViewNode, ViewNode>();
  const stack: ViewNode[] = [view.root];
  while (stack.length > 0) {
    const node = stack.pop() as ViewNode;
    order.push(node);
    for (const child of view.children(node)) {
      parents.set(child, node);
      stack.push(child);
    }
  }
  for (let i = order.length - 1; i > 0; i--) {
    const node = order[i] as ViewNode;
    const childless = view.children(node).length === 0;
    if (childless ? !passes(node) : !kept.has(node)) continue;
    if (childless) kept.set(node, node.kind === 'removed' ? 0 : node.size);
    const parent = parents.get(node) as ViewNode;
    kept.set(parent, (kept.get(parent) ?? 0) + (kept.get(node) ?? 0));
  }
  return kept;
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

/** Every directory path of the view, for "expand all". */
export function allDirectories(view: TreeView): Set<string> {
  const paths = new Set<string>();
  const stack: ViewNode[] = [view.root];
  while (stack.length > 0) {
    const node = stack.pop() as ViewNode;
    for (const child of view.children(node)) {
      if (view.children(child).length > 0) {
        paths.add(child.path);
        stack.push(child);
      }
    }
  }
  return paths;
}

/** The paths of the folders above `path`, outermost first (`a/b/c` → `a`, `a/b`). */
export function ancestorsOf(path: string): string[] {
  const out: string[] = [];
  for (let at = path.indexOf('/'); at > 0; at = path.indexOf('/', at + 1)) out.push(path.slice(0, at));
  return out;
}
