// The file tree's rows: what they are, the user's sort, filter and show/hide toggles, and which
// paths a filter keeps (row-list.ts lists the rows through the open folders). A filter or toggle
// walks the view once (kept per view and toggles by the caller) to learn which folders still hold
// something shown, and what it weighs: a folder shows only when something below it does, and its
// size is the bytes shown below it.

import type { TreeView, ViewKind, ViewNode } from './tree-view.js';
import { pathsHolding } from './tree-table.js';
import { FLAGGED, HAS_CHILDREN, IN_VIEW, kindOf, viewFacts, type ViewFacts } from './view-facts.js';

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
export type Kept = KeptNodes | undefined;

export interface KeptNodes {
  has(node: ViewNode): boolean;
  /** The bytes shown at or below the node (0 when it is not kept). */
  bytes(node: ViewNode): number;
  /** The kept nodes below it: its rows when every folder at and below it is open. */
  rowsBelow(node: ViewNode): number;
}

export const filtering = (filter: RowFilter): boolean => filter.hidden.size > 0 || filter.onlyFlagged || filter.filter !== '';

/**
 * Which nodes show under the filter: a childless node when it passes (its kind is shown, it is
 * flagged when only flagged files show, its path holds the filter text); a folder when something
 * below it shows. A removed path weighs nothing in its folder (it is not there any more). One
 * loop over the view's facts, children before their folders (they come after them in the table).
 */
export function keptNodes(view: TreeView, filter: RowFilter, factsOf: () => ViewFacts = () => viewFacts(view)): Kept {
  if (!filtering(filter)) return undefined;
  const facts = factsOf();
  const holds = pathsHolding(view.table, filter.filter.toLowerCase());
  const { parent } = view.table;
  const { flags, size } = facts;
  const count = flags.length;
  const kept = new Uint8Array(count);
  const bytes = new Float64Array(count);
  const rows = new Int32Array(count);
  for (let i = count - 1; i > 0; i--) {
    const bits = flags[i] as number;
    if (!(bits & IN_VIEW)) continue;
    if (bits & HAS_CHILDREN) {
      if (!kept[i]) continue;
    } else {
      const kind = kindOf(bits);
      if (filter.hidden.has(kind) || (filter.onlyFlagged && !(bits & FLAGGED)) || !holds[i]) continue;
      kept[i] = 1;
      bytes[i] = kind === 'removed' ? 0 : (size[i] as number);
    }
    const up = parent[i] as number;
    kept[up] = 1;
    bytes[up] = (bytes[up] as number) + (bytes[i] as number);
    rows[up] = (rows[up] as number) + 1 + (rows[i] as number);
  }
  return {
    has: (node) => kept[view.ordinal(node)] === 1,
    bytes: (node) => bytes[view.ordinal(node)] as number,
    rowsBelow: (node) => rows[view.ordinal(node)] as number,
  };
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
