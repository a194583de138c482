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

export { indexTree, warmTreeIndex, type TreeIndex } from './tree-index.js';
import { writtenKind, type ChangeKind } from './layer-changes.js';
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
  /** The node's children in name order, worked out on first ask and kept. */
  children(node: ViewNode): readonly ViewNode[];
}

/** A view node with what its children need: the source node and the thresholds at and before the layer. */
interface Node extends ViewNode {
  readonly source: PathNode;
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

export function createTreeView(index: TreeIndex, layer: number, mode: ViewMode): TreeView {
  const before = layer - 1;
  const childrenOf = new Map<ViewNode, readonly ViewNode[]>();
  const changedMemo = new Map<PathNode, boolean>();

  /** Whether the layer changed the node or anything below it (thresholds: the node's own). */
  const changed = (source: PathNode, threshold: number, thresholdBefore: number): boolean => {
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
    let result = start(source, threshold, thresholdBefore);
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
    result = changedMemo.get(source) as boolean;
    return result;
  };

  // One object shape for every node, written out: view nodes are made by the hundred thousand.
  const node = (
    source: PathNode,
    type: EntryType,
    kind: ViewKind,
    size: number,
    entry: Entry | undefined,
    shownLayer: number,
    changedBelow: boolean,
    below: number,
    belowBefore: number,
    gone: boolean,
  ): Node => ({
    name: source.name,
    path: source.path,
    type,
    kind,
    size,
    linkTarget: entry?.linkTarget,
    entry,
    layer: shownLayer,
    changedBelow,
    flaggedBelow: index.flaggedBelow.has(source),
    flagged: index.flaggedPaths.has(source.path),
    source,
    below,
    belowBefore,
    gone,
  });

  /** A child present after the layer (its own entry, or an implicit directory holding visible paths). */
  const present = (source: PathNode, shown: Version | undefined, threshold: number, thresholdBefore: number): Node => {
    const entry = shown?.entry;
    const then = shownVersion(source, before, thresholdBefore);
    const written = versionIn(source, layer)?.entry !== undefined;
    // Not written, and its own entry gone while paths below stay visible (now implicit): modified.
    const kind: ViewKind = written ? writtenKind(then !== undefined) : entry === undefined && then ? 'modified' : 'unchanged';
    const leaf = source.children.size === 0;
    const ownBytes = entry?.type === 'file' ? entry.size : 0;
    const size = mode === 'changes' ? (leaf ? (written ? ownBytes : 0) : writtenBytes(index, source, layer)) : leaf ? ownBytes : visibleTotals(index, source, layer, threshold).bytes;
    // A leaf that is present changed exactly when the layer wrote it.
    const changedBelow = kind !== 'unchanged' || (!leaf && changed(source, threshold, thresholdBefore));
    const below = leaf ? threshold : childThreshold(source, layer, threshold);
    const belowBefore = leaf ? thresholdBefore : childThreshold(source, before, thresholdBefore);
    return node(source, entry?.type ?? 'dir', kind, size, entry, shown?.layer ?? layer, changedBelow, below, belowBefore, false);
  };

  /** A child visible before the layer and not after it, or a directory that held only such paths. */
  const removed = (source: PathNode, thresholdBefore: number): Node | undefined => {
    const then = shownVersion(source, before, thresholdBefore);
    const held = visibleTotals(index, source, before, thresholdBefore);
    if (!then && held.count === 0) return undefined;
    const belowBefore = childThreshold(source, before, thresholdBefore);
    return node(source, then?.entry?.type ?? 'dir', then ? 'removed' : 'unchanged', then ? held.bytes : 0, then?.entry, then?.layer ?? before, true, Number.POSITIVE_INFINITY, belowBefore, true);
  };

  const listChildren = (parent: Node): ViewNode[] => {
    const out: ViewNode[] = [];
    const source = parent.source;
    if (source.children.size === 0) return out;
    if (parent.gone) {
      for (const child of source.children.values()) {
        const shown = removed(child, parent.belowBefore);
        if (shown) out.push(shown);
      }
      return out;
    }
    // Only a layer that touched this subtree, or hid something above it, can have removed in it.
    const removals = touches(index, source, layer) || parent.below !== parent.belowBefore;
    for (const child of source.children.values()) {
      if (mode === 'changes' && !changed(child, parent.below, parent.belowBefore)) continue;
      const shown = shownVersion(child, layer, parent.below);
      if (shown || (child.children.size > 0 && visibleTotals(index, child, layer, parent.below).count > 0)) {
        out.push(present(child, shown, parent.below, parent.belowBefore));
      } else if (removals) {
        const gone = removed(child, parent.belowBefore);
        if (gone) out.push(gone);
      }
    }
    return out;
  };

  const rootSource = index.tree.root;
  const rootBelow = childThreshold(rootSource, layer, -1);
  const rootBelowBefore = childThreshold(rootSource, before, -1);
  const rootSize = mode === 'changes' ? writtenBytes(index, rootSource, layer) : visibleTotals(index, rootSource, layer, -1).bytes;
  const root = node(rootSource, 'dir', 'unchanged', rootSize, undefined, layer, changed(rootSource, -1, -1), rootBelow, rootBelowBefore, false);

  return {
    layer,
    mode,
    root,
    children(of: ViewNode): readonly ViewNode[] {
      let list = childrenOf.get(of);
      if (!list) childrenOf.set(of, (list = listChildren(of as Node)));
      return list;
    },
  };
}
