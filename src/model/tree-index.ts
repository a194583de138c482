// Per-tree facts shared by every view of a file tree (tree-view.ts): which layers touched each
// subtree, visible totals cached by the last layer that touched a subtree, bytes each layer wrote,
// and which paths findings flag. Built once per tree; a subtree no layer touched between two
// layers keeps its totals.

import { hidingLayer, latestOwnEvent, type FileTree, type PathNode, type Version } from './file-tree.js';

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
  // Most nodes are files one layer wrote: they share one `[layer]` array per layer.
  const single = new Map<number, number[]>();
  const own = (node: PathNode): number[] => {
    const only = node.versions.length === 1 ? node.versions[0]?.layer : undefined;
    if (only === undefined) return node.versions.map((version) => version.layer);
    let shared = single.get(only);
    if (!shared) single.set(only, (shared = [only]));
    return shared;
  };
  const collect = (node: PathNode): readonly number[] => {
    let layers: number[] = own(node);
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
export function lastTouch(index: TreeIndex, node: PathNode, layer: number): number {
  const layers = index.touchedBy.get(node) ?? [];
  for (let i = layers.length - 1; i >= 0; i--) if ((layers[i] as number) <= layer) return layers[i] as number;
  return -1;
}

export const touches = (index: TreeIndex, node: PathNode, layer: number): boolean => index.touchedBy.get(node)?.includes(layer) ?? false;

/** The node's own version shown after `layer`, given the threshold its ancestors' hiding events set. */
export function shownVersion(node: PathNode, layer: number, threshold: number): Version | undefined {
  if (layer < 0) return undefined;
  const own = latestOwnEvent(node, layer);
  return own?.entry && own.layer >= threshold ? own : undefined;
}

/** The threshold a node sets for its children after `layer`. */
export const childThreshold = (node: PathNode, layer: number, threshold: number): number => (layer < 0 ? threshold : Math.max(threshold, hidingLayer(node, layer)));

const NOTHING: Totals = { epoch: -1, threshold: -1, bytes: 0, count: 0 };

/** Bytes of visible files and count of visible entries at and below the node after `layer`. */
export function visibleTotals(index: TreeIndex, node: PathNode, layer: number, threshold: number): Totals {
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
export function writtenBytes(index: TreeIndex, node: PathNode, layer: number): number {
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

export function versionIn(node: PathNode, layer: number): Version | undefined {
  for (let i = node.versions.length - 1; i >= 0; i--) {
    const version = node.versions[i] as Version;
    if (version.layer === layer) return version;
    if (version.layer < layer) return undefined;
  }
  return undefined;
}
