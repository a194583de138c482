// Per-tree facts shared by every view of a file tree (tree-view.ts): which layers touched each
// subtree, visible totals cached by the last layer that touched a subtree, bytes each layer wrote,
// and which paths findings flag. Built once per tree; a subtree no layer touched between two
// layers keeps its totals.

import { hidingLayer, latestOwnEvent, versionIn, walk, type FileTree, type PathNode, type Version } from './file-tree.js';
import type { TreeTable } from './tree-table.js';

export { versionIn };

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
  /** The tree as flat arrays (tree-table.ts), made for the first view; shared by the index's copies. */
  readonly shared: { table?: TreeTable };
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
    const only = node.versionCount === 1 ? node.version(0).layer : undefined;
    if (only === undefined) return node.versions.map((version) => version.layer);
    let shared = single.get(only);
    if (!shared) single.set(only, (shared = [only]));
    return shared;
  };
  // Children before parents: walk's order reversed (no recursion: an image decides how deep it goes).
  const nodes = [...walk(tree.root)];
  for (let i = nodes.length - 1; i >= 0; i--) {
    const node = nodes[i] as PathNode;
    let layers: number[] = own(node);
    for (const child of node.children.values()) layers = mergeSorted(layers, touchedBy.get(child) as number[]);
    touchedBy.set(node, layers);
  }
  return withFlags({ tree, touchedBy, flaggedPaths: new Set(), flaggedBelow: new Set(), totals: new Map(), written: new Map(), shared: {} }, flaggedPaths);
}

/**
 * The index with other paths flagged: what it knows of its tree (which layers touched what, the
 * totals worked out so far) kept, not worked out again. The explorer indexes the tree while the
 * layers arrive, then flags the findings' paths once the analysis (of the same tree) is done.
 */
export function withFlags(index: TreeIndex, flaggedPaths: ReadonlySet<string>): TreeIndex {
  const { tree } = index;
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
  return { ...index, flaggedPaths, flaggedBelow };
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
  const known = knownTotals(index, node, layer, threshold);
  if (known) return known;
  // Directories whose totals are being summed, innermost last: a stack, not recursion.
  const frames = [totalsFrame(index, node, layer, threshold)];
  for (;;) {
    const frame = frames[frames.length - 1] as TotalsFrame;
    const next = frame.children.next();
    if (!next.done) {
      const child = knownTotals(index, next.value, layer, frame.below);
      if (child) {
        frame.bytes += child.bytes;
        frame.count += child.count;
      } else {
        frames.push(totalsFrame(index, next.value, layer, frame.below));
      }
      continue;
    }
    frames.pop();
    const totals = { epoch: frame.epoch, threshold: frame.threshold, bytes: frame.bytes, count: frame.count };
    const list = index.totals.get(frame.node);
    if (list) list.push(totals);
    else index.totals.set(frame.node, [totals]);
    const parent = frames[frames.length - 1];
    if (!parent) return totals;
    parent.bytes += totals.bytes;
    parent.count += totals.count;
  }
}

/** A directory's totals being summed: its own entry's, then each child's. */
interface TotalsFrame {
  readonly node: PathNode;
  readonly epoch: number;
  readonly threshold: number;
  /** The threshold for its children. */
  readonly below: number;
  readonly children: Iterator<PathNode>;
  bytes: number;
  count: number;
}

/** The totals when they need no walk below the node (nothing visible, a leaf, or cached); else undefined. */
function knownTotals(index: TreeIndex, node: PathNode, layer: number, threshold: number): Totals | undefined {
  if (layer < 0) return NOTHING;
  const epoch = lastTouch(index, node, layer);
  // Every version below is from `epoch` or earlier; a threshold above it hides them all.
  if (epoch < 0 || epoch < threshold) return NOTHING;
  if (node.children.size === 0) {
    const own = shownVersion(node, layer, threshold)?.entry;
    return { epoch, threshold, bytes: own?.type === 'file' ? own.size : 0, count: own ? 1 : 0 };
  }
  return index.totals.get(node)?.find((t) => t.epoch === epoch && t.threshold === threshold);
}

function totalsFrame(index: TreeIndex, node: PathNode, layer: number, threshold: number): TotalsFrame {
  const own = shownVersion(node, layer, threshold)?.entry;
  return {
    node,
    epoch: lastTouch(index, node, layer),
    threshold,
    below: childThreshold(node, layer, threshold),
    children: node.children.values(),
    bytes: own?.type === 'file' ? own.size : 0,
    count: own ? 1 : 0,
  };
}

/** Bytes of the files `layer` wrote at and below the node. */
export function writtenBytes(index: TreeIndex, node: PathNode, layer: number): number {
  let memo = index.written.get(layer);
  if (!memo) index.written.set(layer, (memo = new Map()));
  const known = memo.get(node);
  if (known !== undefined) return known;
  const ownBytes = (of: PathNode): number => {
    const own = versionIn(of, layer)?.entry;
    return own?.type === 'file' ? own.size : 0;
  };
  // Directories being summed, innermost last: a stack, not recursion.
  const frames = [{ node, children: node.children.values(), bytes: ownBytes(node) }];
  for (;;) {
    const frame = frames[frames.length - 1] as (typeof frames)[number];
    const next = frame.children.next();
    if (!next.done) {
      const child = next.value;
      if (!touches(index, child, layer)) continue;
      const cached = memo.get(child);
      if (cached !== undefined) frame.bytes += cached;
      else if (child.children.size === 0) frame.bytes += ownBytes(child);
      else frames.push({ node: child, children: child.children.values(), bytes: ownBytes(child) });
      continue;
    }
    frames.pop();
    if (frame.node.children.size > 0) memo.set(frame.node, frame.bytes);
    const parent = frames[frames.length - 1];
    if (!parent) return frame.bytes;
    parent.bytes += frame.bytes;
  }
}

