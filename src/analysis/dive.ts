// dive's figures, computed the way dive computes them (dive/filetree/efficiency.go), so that a
// `.dive-ci` threshold means the same here. They are labelled as dive's everywhere: they have
// blind spots layerscope's own figures do not share (see ../../README.md, "The figures").
//
// dive builds one tree per layer from its tar, visits each layer's leaf nodes (children first,
// names in byte order) and, per path, sums the sizes of every version and keeps the smallest. A
// whiteout counts 0 when it hides a file and the whole hidden subtree when it hides a directory,
// looked up in dive's stack of the lower layers — which ignores opaque markers, keeps a directory's
// children when a file replaces it, and aborts the rest of a layer's visit when a whiteout names a
// path that stack lacks (after recording the path with a smallest size of -1). All reproduced here.

import { layerBytes } from './figures.js';
import type { LayerContents } from '../model/types.js';
import { byBytesDescThenPath, byText } from '../model/order.js';

export interface DiveFigures {
  /** Σ smallest size / Σ summed size over all paths; 1 when nothing was counted. */
  readonly efficiency: number;
  /** Σ summed size over paths seen in two or more layers (the visible copy included). */
  readonly wastedBytes: number;
  /** wastedBytes / bytes of all layers but the first, as a fraction (0.05 is 5%), as dive has it; null when those layers are empty. */
  readonly userWastedPercent: number | null;
  /** The paths behind wastedBytes, largest first. */
  readonly inefficiencies: readonly DiveInefficiency[];
}

export interface DiveInefficiency {
  readonly path: string;
  readonly count: number;
  readonly bytes: number;
}

interface DiveNode {
  readonly name: string;
  /** Its path without dive's leading `/`, where a caller's string spells it (an entry's, a whiteout's): no copy per path. */
  key: string | undefined;
  /** Undefined for a leaf: a map per file would double the cost of each layer's tree. */
  children: Map<string, DiveNode> | undefined;
  size: number;
  isDir: boolean;
}

const WHITEOUT = '.wh.';

export function diveFigures(layers: readonly DiveLayer[]): DiveFigures {
  // Per path (no leading `/`), an index into three columns: no object per path.
  const paths = new Map<string, number>();
  const cumulatives: number[] = [];
  const smallests: number[] = [];
  const counts: number[] = [];
  let stacked: DiveNode | undefined;
  layers.forEach((layer, index) => {
    const tree = layerTree(diveContents(layer));
    const lower = index === 0 ? tree : (stacked as DiveNode);
    visitLeaves(tree, (node, path) => {
      let at = paths.get(path);
      if (at === undefined) {
        at = cumulatives.length;
        paths.set(path, at);
        cumulatives.push(0);
        smallests.push(-1);
        counts.push(0);
      }
      let size = node.size;
      if (node.name.startsWith(WHITEOUT)) {
        const previous = getNode(lower, path);
        if (!previous) return false; // dive returns the lookup error: the layer's visit stops here
        size = previous.isDir ? subtreeSize(previous) : 0;
      }
      cumulatives[at] = (cumulatives[at] as number) + size;
      const smallest = smallests[at] as number;
      if (smallest < 0 || size < smallest) smallests[at] = size;
      counts[at] = (counts[at] as number) + 1;
      return true;
    });
    // Layer 0's tree is not read again: it becomes the stack itself (stacking a tree onto a copy
    // of itself changes nothing), and each later layer is stacked onto it.
    if (index === 0) stacked = tree;
    else stack(stacked as DiveNode, tree);
  });

  let smallest = 0;
  let cumulative = 0;
  let wastedBytes = 0;
  const inefficiencies: DiveInefficiency[] = [];
  for (const [path, at] of paths) {
    const summed = cumulatives[at] as number;
    smallest += smallests[at] as number;
    cumulative += summed;
    if ((counts[at] as number) >= 2) {
      wastedBytes += summed;
      inefficiencies.push({ path: `/${path}`, count: counts[at] as number, bytes: summed });
    }
  }
  inefficiencies.sort(byBytesDescThenPath);
  const userBytes = layers.slice(1).reduce((total, layer) => total + layerBytes(diveContents(layer)), 0);
  return {
    efficiency: cumulative === 0 ? 1 : smallest / cumulative,
    wastedBytes,
    userWastedPercent: userBytes === 0 ? null : wastedBytes / userBytes,
    inefficiencies,
  };
}

/** A layer as dive reads it. */
export interface DiveLayer {
  readonly contents: LayerContents;
  readonly linked?: true;
}

const EMPTY: LayerContents = { entries: [], whiteouts: [], opaqueDirs: [], tarBytes: 0, compression: 'none' };

/**
 * dive (image/docker/image_archive.go, v0.12.0 and v0.13.1) reads each `*.tar` member of a legacy
 * archive through a tar reader over the member's own content: a symlinked layer.tar has none, so
 * that layer is an empty tree of size 0 (in the efficiency and in the user-size denominator).
 */
function diveContents(layer: DiveLayer): LayerContents {
  return layer.linked ? EMPTY : layer.contents;
}

function newNode(name: string): DiveNode {
  return { name, key: undefined, children: undefined, size: 0, isDir: false };
}

/** dive's AddPath: missing parents get an empty payload; the last node's payload (and `key`, when given) is replaced. */
function addPath(root: DiveNode, path: string, payload?: { size: number; isDir: boolean }, key?: string): void {
  let node = root;
  for (const name of path.split('/')) {
    if (name === '') continue;
    let child = node.children?.get(name);
    if (!child) {
      if (name.startsWith('.wh..wh.')) return;
      child = newNode(name);
      (node.children ??= new Map()).set(name, child);
    }
    node = child;
  }
  if (payload) {
    node.size = payload.size;
    node.isDir = payload.isDir;
  }
  if (key !== undefined) node.key = key;
}

function layerTree(contents: LayerContents): DiveNode {
  const root = newNode('');
  // dive adds every tar entry in order: an earlier copy of a path is replaced by the later one,
  // and children stay under a path a later entry turned into a file (shadowed entries came first).
  for (const entry of contents.shadowed ?? []) addPath(root, entry.path, { size: entry.size, isDir: entry.type === 'dir' }, entry.path);
  for (const entry of contents.entries) addPath(root, entry.path, { size: entry.size, isDir: entry.type === 'dir' }, entry.path);
  for (const path of contents.whiteouts) {
    const slash = path.lastIndexOf('/');
    addPath(root, `${path.slice(0, slash + 1)}${WHITEOUT}${path.slice(slash + 1)}`, { size: 0, isDir: false }, path);
  }
  for (const dir of contents.opaqueDirs) {
    addPath(root, `${dir}/.wh..wh..opq`);
    // The marker is never a node: its directory is, and may be a leaf.
    addPath(root, dir, undefined, dir);
  }
  return root;
}

// The walks below keep their own stacks instead of recursing: an image decides how deep its
// paths go, and 10,000 nested directories must not overflow the call stack.

/** A directory being walked: its children's names in byte order, the next one to take. */
interface DiveFrame {
  readonly node: DiveNode;
  readonly names: readonly string[];
  next: number;
  /** The directory's path as dive spells it (leading `/`, whiteout prefixes kept). */
  readonly path: string;
}

const frameOf = (node: DiveNode, path: string): DiveFrame => ({ node, names: [...(node.children?.keys() ?? [])].sort(byText), next: 0, path });

/** Children first, names in byte order, each leaf with its path (no leading `/`); `visit` returning false stops the whole walk. */
function visitLeaves(root: DiveNode, visit: (node: DiveNode, path: string) => boolean): void {
  const frames = [frameOf(root, '')];
  while (frames.length > 0) {
    const frame = frames[frames.length - 1] as DiveFrame;
    const name = frame.names[frame.next++];
    if (name === undefined) {
      frames.pop();
      continue;
    }
    const child = frame.node.children?.get(name) as DiveNode;
    if (child.children && child.children.size > 0) {
      frames.push(frameOf(child, `${frame.path}/${child.name}`));
      continue;
    }
    const shown = child.name.startsWith(WHITEOUT) ? child.name.slice(WHITEOUT.length) : child.name;
    if (!visit(child, child.key ?? `${frame.path}/${shown}`.slice(1))) return;
  }
}

/** dive's Stack: each upper node, children first, removes (whiteout) or adds its path. */
function stack(lower: DiveNode, upper: DiveNode): void {
  const frames = [frameOf(upper, '')];
  while (frames.length > 0) {
    const frame = frames[frames.length - 1] as DiveFrame;
    if (frame.next < frame.names.length) {
      const name = frame.names[frame.next++] as string;
      frames.push(frameOf(frame.node.children?.get(name) as DiveNode, `${frame.path}/${name}`));
      continue;
    }
    // The node's children are done: now the node itself.
    frames.pop();
    if (frames.length === 0) return; // the root itself is not a path
    const name = frame.node.name;
    const parentPath = (frames[frames.length - 1] as DiveFrame).path;
    if (name.startsWith(WHITEOUT)) removePath(lower, `${parentPath}/${name.slice(WHITEOUT.length)}`);
    else addPath(lower, `${parentPath}/${name}`, { size: frame.node.size, isDir: frame.node.isDir });
  }
}

function getNode(root: DiveNode, path: string): DiveNode | undefined {
  let node: DiveNode | undefined = root;
  for (const name of path.split('/')) {
    if (name === '') continue;
    node = node.children?.get(name);
    if (!node) return undefined;
  }
  return node;
}

function removePath(root: DiveNode, path: string): void {
  const slash = path.lastIndexOf('/');
  getNode(root, path.slice(0, slash))?.children?.delete(path.slice(slash + 1));
}

function subtreeSize(node: DiveNode): number {
  let total = 0;
  const pending = [node];
  for (let next = pending.pop(); next; next = pending.pop()) {
    total += next.size;
    for (const child of next.children?.values() ?? []) pending.push(child);
  }
  return total;
}
