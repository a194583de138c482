// What the explorer shows for one layer: either the merged tree after it ("aggregated"), or only
// what it changed ("changes"), each path marked added / modified / removed / unchanged against
// the layer below. Views are lazy: a directory's children are worked out when first asked for
// (when it is opened or drawn), so a key press costs what the screen shows, not what the image
// holds. Sizes come from per-subtree totals in a TreeIndex, built once per tree and shared by
// every view of it; a subtree no layer touched between two layers keeps its totals.
//
// Definitions (each view node):
// - kind: `added` / `modified` — the layer wrote the path, which was not / was visible before;
//   `removed` — visible before the layer, not after it; `unchanged` — otherwise, including
//   directories shown only because they hold changes.
// - size: a file's size; a directory's, what it holds after the layer (aggregated) or what the
//   layer wrote below it (changes); a removed path's, what it held before the layer.
// - changedBelow: the path or one below it was changed by the layer (exact, not "touched").

import { hidingLayer, latestOwnEvent, type FileTree, type PathNode, type Version } from './file-tree.js';
import type { ChangeKind } from './layer-changes.js';
import type { EntryType } from './types.js';

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

/** Per-tree facts every view of the tree shares: which layers touched each subtree, totals, flags. */
export interface TreeIndex {
  readonly tree: FileTree;
  /** Layers with a version at or below the node, ascending. */
  readonly touchedBy: ReadonlyMap<PathNode, readonly number[]>;
  readonly flaggedPaths: ReadonlySet<string>;
  readonly flaggedBelow: ReadonlySet<PathNode>;
  /** Cached visible totals of directories, by (last touching layer, threshold). */
  readonly totals: Map<PathNode, Totals[]>;
  /** Cached bytes each layer wrote below directories. */
  readonly written: Map<number, Map<PathNode, number>>;
}

interface Totals {
  readonly epoch: number;
  readonly threshold: number;
  readonly bytes: number;
  readonly count: number;
}

export function indexTree(tree: FileTree, flaggedPaths: ReadonlySet<string>): TreeIndex {
  const touchedBy = new Map<PathNode, readonly number[]>();
  const collect = (node: PathNode): readonly number[] => {
    let layers: number[] = node.versions.map((version) => version.layer);
    for (const child of node.children.values()) layers = mergeSorted(layers, collect(child));
    touchedBy.set(node, layers);
    return layers;
  };
  collect(tree.root);
  const flaggedBelow = new Set<PathNode>();
  for (const path of flaggedPaths) {
    let node: PathNode | undefined = tree.root;
    const trail: PathNode[] = [tree.root];
    for (const name of path === '' ? [] : path.split('/')) {
      node = node.children.get(name);
      if (!node) break;
      trail.push(node);
    }
    if (node) for (const on of trail) flaggedBelow.add(on);
  }
  return { tree, touchedBy, flaggedPaths, flaggedBelow, totals: new Map(), written: new Map() };
}

/**
 * Works out every layer's totals at the top of the tree, so the first look at each layer costs
 * only what its screen shows. Done once, while loading: its cost grows with the paths each layer
 * touched, not with layers × paths.
 */
export function warmTreeIndex(index: TreeIndex): TreeIndex {
  for (let layer = 0; layer < index.tree.layerCount; layer++) {
    visibleTotals(index, index.tree.root, layer, -1);
    writtenBytes(index, index.tree.root, layer);
  }
  return index;
}

function mergeSorted(a: readonly number[], b: readonly number[]): number[] {
  if (b.length === 0) return a as number[];
  if (a.length === 0) return b as number[];
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const next = j >= b.length || (i < a.length && (a[i] as number) <= (b[j] as number)) ? (a[i++] as number) : (b[j++] as number);
    if (out[out.length - 1] !== next) out.push(next);
  }
  return out;
}

/** The latest layer up to `layer` with a version at or below the node, or -1. */
function lastTouch(index: TreeIndex, node: PathNode, layer: number): number {
  const layers = index.touchedBy.get(node) ?? [];
  for (let i = layers.length - 1; i >= 0; i--) if ((layers[i] as number) <= layer) return layers[i] as number;
  return -1;
}

const touches = (index: TreeIndex, node: PathNode, layer: number): boolean => index.touchedBy.get(node)?.includes(layer) ?? false;

/** The node's own version shown after `layer`, given the threshold its ancestors' hiding events set. */
function shownVersion(node: PathNode, layer: number, threshold: number): Version | undefined {
  if (layer < 0) return undefined;
  const own = latestOwnEvent(node, layer);
  return own?.entry && own.layer >= threshold ? own : undefined;
}

/** The threshold a node sets for its children after `layer`. */
const childThreshold = (node: PathNode, layer: number, threshold: number): number => (layer < 0 ? threshold : Math.max(threshold, hidingLayer(node, layer)));

const NOTHING: Totals = { epoch: -1, threshold: -1, bytes: 0, count: 0 };

/** Bytes of visible files and count of visible entries at and below the node after `layer`. */
function visibleTotals(index: TreeIndex, node: PathNode, layer: number, threshold: number): Totals {
  if (layer < 0) return NOTHING;
  const epoch = lastTouch(index, node, layer);
  // Every version below is from `epoch` or earlier; a threshold above it hides them all.
  if (epoch < 0 || epoch < threshold) return NOTHING;
  const shown = shownVersion(node, layer, threshold);
  const own = shown?.entry;
  if (node.children.size === 0) return { epoch, threshold, bytes: own?.type === 'file' ? own.size : 0, count: own ? 1 : 0 };
  const cached = index.totals.get(node)?.find((t) => t.epoch === epoch && t.threshold === threshold);
  if (cached) return cached;
  let bytes = own?.type === 'file' ? own.size : 0;
  let count = own ? 1 : 0;
  const below = childThreshold(node, layer, threshold);
  for (const child of node.children.values()) {
    const totals = visibleTotals(index, child, layer, below);
    bytes += totals.bytes;
    count += totals.count;
  }
  const totals = { epoch, threshold, bytes, count };
  const list = index.totals.get(node);
  if (list) list.push(totals);
  else index.totals.set(node, [totals]);
  return totals;
}

/** Bytes of the files `layer` wrote at and below the node. */
function writtenBytes(index: TreeIndex, node: PathNode, layer: number): number {
  let memo = index.written.get(layer);
  if (!memo) index.written.set(layer, (memo = new Map()));
  const cached = memo.get(node);
  if (cached !== undefined) return cached;
  const own = versionIn(node, layer)?.entry;
  let bytes = own?.type === 'file' ? own.size : 0;
  for (const child of node.children.values()) if (touches(index, child, layer)) bytes += writtenBytes(index, child, layer);
  if (node.children.size > 0) memo.set(node, bytes);
  return bytes;
}

function versionIn(node: PathNode, layer: number): Version | undefined {
  for (let i = node.versions.length - 1; i >= 0; i--) {
    const version = node.versions[i] as Version;
    if (version.layer === layer) return version;
    if (version.layer < layer) return undefined;
  }
  return undefined;
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

export function createTreeView(index: TreeIndex, layer: number, mode: ViewMode): TreeView {
  const before = layer - 1;
  const childrenOf = new Map<ViewNode, readonly ViewNode[]>();
  const changedMemo = new Map<PathNode, boolean>();

  /** Whether the layer changed the node or anything below it (thresholds: the node's own). */
  const changed = (source: PathNode, threshold: number, thresholdBefore: number): boolean => {
    const memo = changedMemo.get(source);
    if (memo !== undefined) return memo;
    const now = shownVersion(source, layer, threshold);
    const then = shownVersion(source, before, thresholdBefore);
    let result = versionIn(source, layer)?.entry !== undefined || (then !== undefined && now === undefined);
    if (!result && (touches(index, source, layer) || threshold !== thresholdBefore)) {
      const below = childThreshold(source, layer, threshold);
      const belowBefore = childThreshold(source, before, thresholdBefore);
      for (const child of source.children.values()) {
        if (changed(child, below, belowBefore)) {
          result = true;
          break;
        }
      }
    }
    changedMemo.set(source, result);
    return result;
  };

  // One object shape for every node, written out: view nodes are made by the hundred thousand.
  const node = (
    source: PathNode,
    type: EntryType,
    kind: ViewKind,
    size: number,
    linkTarget: string | undefined,
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
    linkTarget,
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
    const kind: ViewKind = written ? (then ? 'modified' : 'added') : entry === undefined && then ? 'modified' : 'unchanged';
    const leaf = source.children.size === 0;
    const ownBytes = entry?.type === 'file' ? entry.size : 0;
    const size = mode === 'changes' ? (leaf ? (written ? ownBytes : 0) : writtenBytes(index, source, layer)) : leaf ? ownBytes : visibleTotals(index, source, layer, threshold).bytes;
    // A leaf that is present changed exactly when the layer wrote it.
    const changedBelow = kind !== 'unchanged' || (!leaf && changed(source, threshold, thresholdBefore));
    const below = leaf ? threshold : childThreshold(source, layer, threshold);
    const belowBefore = leaf ? thresholdBefore : childThreshold(source, before, thresholdBefore);
    return node(source, entry?.type ?? 'dir', kind, size, entry?.linkTarget, shown?.layer ?? layer, changedBelow, below, belowBefore, false);
  };

  /** A child visible before the layer and not after it, or a directory that held only such paths. */
  const removed = (source: PathNode, thresholdBefore: number): Node | undefined => {
    const then = shownVersion(source, before, thresholdBefore);
    const held = visibleTotals(index, source, before, thresholdBefore);
    if (!then && held.count === 0) return undefined;
    const belowBefore = childThreshold(source, before, thresholdBefore);
    return node(source, then?.entry?.type ?? 'dir', then ? 'removed' : 'unchanged', then ? held.bytes : 0, then?.entry?.linkTarget, then?.layer ?? before, true, Number.POSITIVE_INFINITY, belowBefore, true);
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
