// The file tree's rows: what they are, the user's sort, filter and show/hide toggles, and which
// paths a filter keeps (row-list.ts lists the rows through the open folders). A filter or toggle
// walks the view once (kept per view and toggles by the caller) to learn which folders still hold
// something shown, and what it weighs: a folder shows only when something below it does, and its
// size is the bytes shown below it.

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
  readonly expanded: Folders;
  /** With a filter, folders are open unless closed here. */
  readonly closedInFilter: Folders;
  readonly sort: SortOrder;
}

/**
 * Folders by path: those named, or (`all`) every folder but those named. `]` opens every folder
 * of a 200,000-file view by saying so, not by listing each one (which walks the whole view).
 */
export interface Folders {
  readonly all: boolean;
  readonly except: ReadonlySet<string>;
}

export const NO_FOLDERS: Folders = { all: false, except: new Set() };
export const ALL_FOLDERS: Folders = { all: true, except: new Set() };
/** The folders named, and no others. */
export const foldersOf = (paths: Iterable<string>): Folders => ({ all: false, except: new Set(paths) });
export const holdsFolder = (folders: Folders, path: string): boolean => folders.all !== folders.except.has(path);

/** The folders with `path` in (or out, if it was in). */
export function toggleFolder(folders: Folders, path: string): Folders {
  const except = new Set(folders.except);
  if (!except.delete(path)) except.add(path);
  return { all: folders.all, except };
}

/** The folders with every one of `paths` in. */
export function withFolders(folders: Folders, paths: Iterable<string>): Folders {
  const except = new Set(folders.except);
  for (const path of paths) {
    if (folders.all) except.delete(path);
    else except.add(path);
  }
  return { all: folders.all, except };
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
  // Folders being summed, innermost last: a stack, not recursion (an image decides the depth).
  const frames: { node: ViewNode; children: readonly ViewNode[]; next: number; bytes: number; any: boolean }[] = [
    { node: view.root, children: view.children(view.root), next: 0, bytes: 0, any: false },
  ];
  for (;;) {
    const frame = frames[frames.length - 1] as (typeof frames)[number];
    const child = frame.children[frame.next++];
    if (child) {
      const below = view.children(child);
      if (below.length > 0) frames.push({ node: child, children: below, next: 0, bytes: 0, any: false });
      else if (passes(child)) {
        const bytes = child.kind === 'removed' ? 0 : child.size;
        kept.set(child, bytes);
        frame.bytes += bytes;
        frame.any = true;
      }
      continue;
    }
    frames.pop();
    if (frame.any) kept.set(frame.node, frame.bytes);
    const parent = frames[frames.length - 1];
    if (!parent) break;
    if (frame.any) {
      parent.bytes += frame.bytes;
      parent.any = true;
    }
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

/** The paths of the folders above `path`, outermost first (`a/b/c` → `a`, `a/b`). */
export function ancestorsOf(path: string): string[] {
  const out: string[] = [];
  for (let at = path.indexOf('/'); at > 0; at = path.indexOf('/', at + 1)) out.push(path.slice(0, at));
  return out;
}
