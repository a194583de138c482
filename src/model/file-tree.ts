// Every path any layer mentions, in one tree, with what each layer did to it. The merged tree
// after any layer is a query over it (overlay rules, below), so no per-layer copy is kept:
// memory grows with paths and versions, not with layers × paths.
//
// Overlay rules, with "a later event hides an earlier version":
// - a path is visible after layer N when its latest event up to N is an entry, and no ancestor
//   has a hiding event after that entry's layer and up to N;
// - hiding events of a directory, for what lies below it: its whiteout (`.wh.name`), its opaque
//   marker (`.wh..wh..opq`), or its replacement by a non-directory;
// - entries of the same layer are never hidden by that layer's own whiteouts or opaque markers.

import type { Entry, LayerContents } from './types.js';
import { byText } from './order.js';
import { SortedChildren } from './sorted-children.js';
import { TreeNode, type VersionFields } from './tree-node.js';

/** What one layer did to one path. */
export interface Version {
  readonly layer: number;
  /** The entry the layer wrote, if it wrote one. */
  readonly entry?: Entry;
  /** The layer whited the path out (with no entry of its own for it). */
  readonly whiteout: boolean;
  /** The layer hid everything lower layers had below this directory. */
  readonly opaque: boolean;
}

export interface PathNode {
  readonly name: string;
  /** Normalised path; the root's is ''. */
  readonly path: string;
  readonly parent: PathNode | undefined;
  readonly children: ReadonlyMap<string, PathNode>;
  /** How many layers wrote, whited out or made opaque this path. */
  readonly versionCount: number;
  /** The `i`th of them, ascending by layer (0 ≤ i < versionCount). */
  version(i: number): Version;
  /** Ascending by layer, at most one per layer: a new array on each read (versionCount and version(i) make none). */
  readonly versions: readonly Version[];
}

export interface FileTree {
  readonly root: PathNode;
  readonly layerCount: number;
  /** Per layer, the nodes it wrote, whited out or made opaque, in name order. */
  readonly touched: readonly (readonly PathNode[])[];
  /** Per layer, the entries its tar holds that a later entry of the same tar replaced (never visible). */
  readonly shadowed: readonly (readonly Entry[])[];
}

export function buildFileTree(image: { readonly layers: readonly { readonly contents: LayerContents }[] }): FileTree {
  const root = new TreeNode('', '', undefined);
  image.layers.forEach((layer, index) => {
    const { entries, whiteouts, opaqueDirs } = layer.contents;
    for (const path of opaqueDirs) nodeAt(root, path).versionFor(index).opaque = true;
    for (const path of whiteouts) nodeAt(root, path).versionFor(index).whiteout = true;
    for (const entry of entries) nodeAt(root, entry.path).versionFor(index).entry = entry;
  });
  const touched = image.layers.map((): PathNode[] => []);
  for (const node of walk(root)) {
    // Children in name order, so every walk is in name order; the build's maps are dropped.
    if (node.children instanceof Map) node.children = sorted(node.children);
    for (let i = 0; i < node.versionCount; i++) {
      const version = node.version(i);
      // A whiteout and an entry for one path in one layer: the entry is what extraction leaves.
      if (version.entry) version.whiteout = false;
    }
  }
  // The same objects, read-only from here on (a version's entry is undefined where none was written).
  const done = root as unknown as PathNode;
  // Per layer in name order: a second walk, now that children are sorted.
  for (const node of walk(done)) {
    for (let i = 0; i < node.versionCount; i++) touched[node.version(i).layer]?.push(node);
  }
  return { root: done, layerCount: image.layers.length, touched, shadowed: image.layers.map((layer) => layer.contents.shadowed ?? []) };
}

/**
 * Puts layer `tree.layerCount`'s paths into a built tree's nodes as buildFileTree would (growing-tree.ts);
 * a reader of a lower layer sees no change (it reads versions up to its layer). Returns the nodes written.
 */
export function addLayerVersions(tree: FileTree, contents: LayerContents): readonly PathNode[] {
  const layer = tree.layerCount;
  const written: TreeNode[] = []; // a node twice when the layer names it twice
  const reopened: TreeNode[] = [];
  const at = (path: string): VersionFields => nodeAt(tree.root as unknown as TreeNode, path, reopened, written).versionFor(layer);
  for (const path of contents.opaqueDirs) at(path).opaque = true;
  for (const path of contents.whiteouts) at(path).whiteout = true;
  for (const entry of contents.entries) {
    const version = at(entry.path);
    version.entry = entry;
    version.whiteout = false; // an entry and a whiteout of one path in one layer: the entry is what extraction leaves
  }
  for (const node of reopened) if (node.children instanceof Map) node.children = sorted(node.children);
  return written as readonly TreeNode[] as unknown as readonly PathNode[];
}

const sorted = (children: Map<string, TreeNode>): SortedChildren<TreeNode> => new SortedChildren([...children.values()].sort((a, b) => byText(a.name, b.name)));

/** The node for a normalised path, if any layer mentions it. */
export function findNode(tree: FileTree, path: string): PathNode | undefined {
  if (path === '') return tree.root;
  let node: PathNode | undefined = tree.root;
  for (const name of path.split('/')) {
    node = node.children.get(name);
    if (!node) return undefined;
  }
  return node;
}

/** The node at `path`, made when missing (and put in `found`); directories given a map to add to go in `reopened`. */
function nodeAt(root: TreeNode, path: string, reopened?: TreeNode[], found?: TreeNode[]): TreeNode {
  let node = root;
  let start = 0;
  while (path !== '' && start <= path.length) {
    const slash = path.indexOf('/', start);
    const end = slash < 0 ? path.length : slash;
    const name = path.slice(start, end);
    if (!(node.children instanceof Map)) {
      node.children = node.children.size === 0 ? new Map() : new Map(node.children); // a built tree's, to add a layer
      reopened?.push(node);
    }
    let child = node.children.get(name);
    if (!child) {
      child = new TreeNode(name, path.slice(0, end), node);
      node.children.set(name, child);
    }
    node = child;
    start = end + 1;
  }
  found?.push(node);
  return node;
}

/**
 * Every node below (and including) `node`, depth first, children in map order. An explicit
 * stack, not recursive `yield*`, which costs a generator per level for every node.
 */
export function* walk<T extends { readonly children: ReadonlyMap<string, T> }>(node: T): Generator<T> {
  const stack: T[] = [node];
  while (stack.length > 0) {
    const next = stack.pop() as T;
    yield next;
    if (next.children.size === 0) continue;
    const children = [...next.children.values()];
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i] as T);
  }
}

/** Whether a version hides what lower layers had below its path: a whiteout, an opaque marker, or a non-directory written over it. */
export function hidesBelow(version: Version): boolean {
  return version.whiteout || version.opaque || (version.entry !== undefined && version.entry.type !== 'dir');
}

/** The layer of the latest event up to `layer` that hides what lies below `node`, or -1. */
export function hidingLayer(node: PathNode, layer: number): number {
  for (let i = node.versionCount - 1; i >= 0; i--) {
    const version = node.version(i);
    if (version.layer <= layer && hidesBelow(version)) return version.layer;
  }
  return -1;
}

/** What layer `layer` did to `node`, if anything. */
export function versionIn(node: PathNode, layer: number): Version | undefined {
  for (let i = node.versionCount - 1; i >= 0; i--) {
    const version = node.version(i);
    if (version.layer === layer) return version;
    if (version.layer < layer) return undefined;
  }
  return undefined;
}

/** The latest version up to `layer` that wrote or whited out the path itself. */
export function latestOwnEvent(node: PathNode, layer: number): Version | undefined {
  for (let i = node.versionCount - 1; i >= 0; i--) {
    const version = node.version(i);
    if (version.layer <= layer && (version.entry || version.whiteout)) return version;
  }
  return undefined;
}

/** The version of `node` visible after `layer` (its entry is defined), or undefined. */
export function visibleVersion(node: PathNode, layer: number): Version | undefined {
  const own = latestOwnEvent(node, layer);
  if (!own?.entry) return undefined;
  for (let up = node.parent; up; up = up.parent) {
    if (hidingLayer(up, layer) > own.layer) return undefined;
  }
  return own;
}

/**
 * Visits every visible node after `layer`, depth first in name order, with its visible version.
 * A directory with visible contents but no visible entry of its own (created implicitly on
 * extraction) is visited with `undefined`.
 */
export function visitMerged(
  tree: FileTree,
  layer: number,
  visit: (node: PathNode, version: Version | undefined) => void,
): void {
  // Directories with no visible entry of their own, entered but not yet visited: they are
  // visited (implicit) only once something below them turns out to be visible.
  const implicit: PathNode[] = [];
  // An explicit stack, not recursion: an image decides how deep its paths go.
  const frames: MergedFrame[] = [{ children: tree.root.children.values(), hiddenBelow: -1, anyVisible: false, implicit: false }];
  while (frames.length > 0) {
    const frame = frames[frames.length - 1] as MergedFrame;
    const next = frame.children.next();
    if (next.done) {
      frames.pop();
      if (!frame.implicit) continue;
      // Nothing visible below an implicit directory: it was never visited, and is still the last one pending.
      if (frame.anyVisible) (frames[frames.length - 1] as MergedFrame).anyVisible = true;
      else implicit.pop();
      continue;
    }
    const child = next.value;
    const own = latestOwnEvent(child, layer);
    const version = own?.entry && own.layer >= frame.hiddenBelow ? own : undefined;
    const below = (implicitDir: boolean): MergedFrame => ({
      children: child.children.values(),
      hiddenBelow: Math.max(frame.hiddenBelow, hidingLayer(child, layer)),
      anyVisible: false,
      implicit: implicitDir,
    });
    if (version) {
      for (const dir of implicit) visit(dir, undefined);
      implicit.length = 0;
      visit(child, version);
      frame.anyVisible = true;
      if (child.children.size > 0) frames.push(below(false));
    } else if (child.children.size > 0) {
      implicit.push(child);
      frames.push(below(true));
    }
  }
}

/** One directory being walked by visitMerged. */
interface MergedFrame {
  readonly children: Iterator<PathNode>;
  /** Entries from layers below this are hidden by an ancestor. */
  readonly hiddenBelow: number;
  /** Something at or below this directory's children was visited. */
  anyVisible: boolean;
  /** The directory itself has no visible entry and waits in the pending list. */
  readonly implicit: boolean;
}
