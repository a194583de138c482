// What the explorer shows for one layer: either the merged tree after it ("aggregated"), or only
// what it changed ("changes"), each path marked added / modified / removed / unchanged against
// the layer below. Views are lazy: a directory's children are worked out when first asked for
// (when it is opened or drawn), so a key press costs what the screen shows, not what the image
// holds. Sizes come from per-subtree totals in a TreeIndex (tree-index.ts), built once per tree
// and shared by every view of it.
//
// Definitions (each view node):
// - kind: `added` / `modified` — the layer wrote the path, which was not / was visible before;
//   `removed` — visible before the layer, not after it; `unchanged` — otherwise, including
//   directories shown only because they hold changes.
// - size: a file's size; a directory's, what it holds after the layer (aggregated) or what the
//   layer wrote below it (changes); a removed path's, what it held before the layer.
// - changedBelow: the path or one below it was changed by the layer (exact, not "touched").

import type { PathNode, Version } from './file-tree.js';
import { childThreshold, shownVersion, touches, versionIn, visibleTotals, writtenBytes, type TreeIndex } from './tree-index.js';

export { indexTree, warmTreeIndex, withFlags, type TreeIndex } from './tree-index.js';
import { writtenKind, type ChangeKind } from './layer-changes.js';
import { buildTable, type TreeTable } from './tree-table.js';
import type { Entry, EntryType } from './types.js';

export type ViewKind = ChangeKind | 'unchanged';
export type ViewMode = 'aggregated' | 'changes';

export interface ViewNode {
  readonly name: string;
  /** Normalised path; '' for the root. */
  readonly path: string;
  readonly type: EntryType;
  readonly kind: ViewKind;
  readonly size: number;
  readonly linkTarget: string | undefined;
  /** The shown version's tar entry (mode, owner, time); undefined for a folder no layer wrote. */
  readonly entry: Entry | undefined;
  /** The layer whose entry is shown. */
  readonly layer: number;
  readonly changedBelow: boolean;
  /** This node or one below it is flagged by a finding. */
  readonly flaggedBelow: boolean;
  readonly flagged: boolean;
}

export interface TreeView {
  readonly layer: number;
  readonly mode: ViewMode;
  readonly root: ViewNode;
  /** The tree as flat arrays: where each node's path sits (ordinal) and what its subtree spans. */
  readonly table: TreeTable;
  /** The node's children in name order, worked out on first ask and kept. */
  children(node: ViewNode): readonly ViewNode[];
  /** The same children worked out again, not kept: for one pass over the whole view (view-facts.ts). */
  childrenOnce(node: ViewNode): readonly ViewNode[];
  /** The node's path's position in the table. */
  ordinal(node: ViewNode): number;
}

/** A view node with what its children need: the source node and the thresholds at and before the layer. */
interface Node extends ViewNode {
  readonly source: PathNode;
  readonly ordinal: number;
  /** Threshold for the children after the layer, and after the layer below it. */
  readonly below: number;
  readonly belowBefore: number;
  /** Nothing at or below it is visible after the layer: it shows what the layer removed. */
  readonly gone: boolean;
}

/** A directory `changed` is looking through: its remaining children and their thresholds. */
interface ChangedFrame {
  readonly node: PathNode;
  readonly children: Iterator<PathNode>;
  readonly below: number;
  readonly belowBefore: number;
}

/** What every function building one view reads: the layer, the one below, the mode and the memos. */
interface ViewContext {
  readonly index: TreeIndex;
  readonly layer: number;
  readonly before: number;
  readonly mode: ViewMode;
  readonly table: TreeTable;
  /** Whether the layer changed a node or anything below it. */
  readonly changedMemo: Map<PathNode, boolean>;
}

export function createTreeView(index: TreeIndex, layer: number, mode: ViewMode): TreeView {
  const table = (index.shared.table ??= buildTable(index.tree));
  const view: ViewContext = { index, layer, before: layer - 1, mode, table, changedMemo: new Map() };
  const childrenOf = new Map<ViewNode, readonly ViewNode[]>();
  const rootSource = index.tree.root;
  const rootSize = mode === 'changes' ? writtenBytes(index, rootSource, layer) : visibleTotals(index, rootSource, layer, -1).bytes;
  const root = viewNode(view, rootSource, 0, { type: 'dir', kind: 'unchanged', size: rootSize, entry: undefined, layer }, changed(view, rootSource, -1, -1), {
    below: childThreshold(rootSource, layer, -1),
    belowBefore: childThreshold(rootSource, view.before, -1),
    gone: false,
  });
  return {
    layer,
    mode,
    root,
    table,
    children(of: ViewNode): readonly ViewNode[] {
      let list = childrenOf.get(of);
      if (!list) childrenOf.set(of, (list = listChildren(view, of as Node)));
      return list;
    },
    childrenOnce: (of: ViewNode): readonly ViewNode[] => childrenOf.get(of) ?? listChildren(view, of as Node),
    ordinal: (of: ViewNode): number => (of as Node).ordinal,
  };
}

/** Whether the layer changed the node or anything below it (thresholds: the node's own). */
function changed(view: ViewContext, source: PathNode, threshold: number, thresholdBefore: number): boolean {
  const { index, layer, before, changedMemo } = view;
  const memo = changedMemo.get(source);
  if (memo !== undefined) return memo;
  // Directories still being looked through, innermost last: a stack, not recursion.
  const frames: ChangedFrame[] = [];
  /** The answer when it needs no look below; else the node's frame goes on the stack. */
  const start = (node: PathNode, at: number, atBefore: number): boolean | undefined => {
    const now = shownVersion(node, layer, at);
    const then = shownVersion(node, before, atBefore);
    if (versionIn(node, layer)?.entry !== undefined || (then !== undefined && now === undefined)) return true;
    if (!(touches(index, node, layer) || at !== atBefore)) return false;
    frames.push({ node, children: node.children.values(), below: childThreshold(node, layer, at), belowBefore: childThreshold(node, before, atBefore) });
    return undefined;
  };
  const result = start(source, threshold, thresholdBefore);
  if (result !== undefined) {
    changedMemo.set(source, result);
    return result;
  }
  while (frames.length > 0) {
    const frame = frames[frames.length - 1] as ChangedFrame;
    const next = frame.children.next();
    if (next.done) {
      frames.pop();
      changedMemo.set(frame.node, false);
      continue;
    }
    const child = next.value;
    const known = changedMemo.get(child) ?? start(child, frame.below, frame.belowBefore);
    if (known === undefined) continue; // its frame was pushed
    changedMemo.set(child, known);
    if (known) {
      // A change below: every directory still on the stack holds it.
      for (const open of frames) changedMemo.set(open.node, true);
      frames.length = 0;
    }
  }
  return changedMemo.get(source) as boolean;
}

/** What a view node shows of its path. */
interface Shown {
  readonly type: EntryType;
  readonly kind: ViewKind;
  readonly size: number;
  readonly entry: Entry | undefined;
  /** The layer whose entry is shown. */
  readonly layer: number;
}

/** Where a view node's children start: their thresholds, and whether only removals lie below. */
interface Below {
  readonly below: number;
  readonly belowBefore: number;
  readonly gone: boolean;
}

/** One object shape for every node, written out: view nodes are made by the hundred thousand. */
function viewNode(view: ViewContext, source: PathNode, ordinal: number, shown: Shown, changedBelow: boolean, below: Below): Node {
  return {
    name: source.name,
    path: source.path,
    type: shown.type,
    kind: shown.kind,
    size: shown.size,
    linkTarget: shown.entry?.linkTarget,
    entry: shown.entry,
    layer: shown.layer,
    changedBelow,
    flaggedBelow: view.index.flaggedBelow.has(source),
    flagged: view.index.flaggedPaths.has(source.path),
    source,
    ordinal,
    below: below.below,
    belowBefore: below.belowBefore,
    gone: below.gone,
  };
}

/** A child present after the layer (its own entry, or an implicit directory holding visible paths). */
function present(view: ViewContext, source: PathNode, ordinal: number, shown: Version | undefined, threshold: number, thresholdBefore: number): Node {
  const { index, layer, before, mode } = view;
  const entry = shown?.entry;
  const then = shownVersion(source, before, thresholdBefore);
  const written = versionIn(source, layer)?.entry !== undefined;
  // Not written, and its own entry gone while paths below stay visible (now implicit): modified.
  const kind: ViewKind = written ? writtenKind(then !== undefined) : entry === undefined && then ? 'modified' : 'unchanged';
  const leaf = source.children.size === 0;
  const ownBytes = entry?.type === 'file' ? entry.size : 0;
  const size = mode === 'changes' ? (leaf ? (written ? ownBytes : 0) : writtenBytes(index, source, layer)) : leaf ? ownBytes : visibleTotals(index, source, layer, threshold).bytes;
  // A leaf that is present changed exactly when the layer wrote it.
  const changedBelow = kind !== 'unchanged' || (!leaf && changed(view, source, threshold, thresholdBefore));
  return viewNode(view, source, ordinal, { type: entry?.type ?? 'dir', kind, size, entry, layer: shown?.layer ?? layer }, changedBelow, {
    below: leaf ? threshold : childThreshold(source, layer, threshold),
    belowBefore: leaf ? thresholdBefore : childThreshold(source, before, thresholdBefore),
    gone: false,
  });
}

/** A child visible before the layer and not after it, or a directory that held only such paths. */
function removed(view: ViewContext, source: PathNode, ordinal: number, thresholdBefore: number): Node | undefined {
  const { index, before } = view;
  const then = shownVersion(source, before, thresholdBefore);
  const held = visibleTotals(index, source, before, thresholdBefore);
  if (!then && held.count === 0) return undefined;
  const shown: Shown = { type: then?.entry?.type ?? 'dir', kind: then ? 'removed' : 'unchanged', size: then ? held.bytes : 0, entry: then?.entry, layer: then?.layer ?? before };
  return viewNode(view, source, ordinal, shown, true, { below: Number.POSITIVE_INFINITY, belowBefore: childThreshold(source, before, thresholdBefore), gone: true });
}

function listChildren(view: ViewContext, parent: Node): ViewNode[] {
  const { index, layer, mode, table } = view;
  const out: ViewNode[] = [];
  const source = parent.source;
  if (source.children.size === 0) return out;
  // The children's ordinals: the first right after the folder's, each next one after the subtree before it.
  let ordinal = parent.ordinal + 1;
  if (parent.gone) {
    for (const child of source.children.values()) {
      const shown = removed(view, child, ordinal, parent.belowBefore);
      if (shown) out.push(shown);
      ordinal = table.end[ordinal] as number;
    }
    return out;
  }
  // Only a layer that touched this subtree, or hid something above it, can have removed in it.
  const removals = touches(index, source, layer) || parent.below !== parent.belowBefore;
  for (const child of source.children.values()) {
    const at = ordinal;
    ordinal = table.end[ordinal] as number;
    if (mode === 'changes' && !changed(view, child, parent.below, parent.belowBefore)) continue;
    const shown = shownVersion(child, layer, parent.below);
    if (shown || (child.children.size > 0 && visibleTotals(index, child, layer, parent.below).count > 0)) {
      out.push(present(view, child, at, shown, parent.below, parent.belowBefore));
    } else if (removals) {
      const gone = removed(view, child, at, parent.belowBefore);
      if (gone) out.push(gone);
    }
  }
  return out;
}
