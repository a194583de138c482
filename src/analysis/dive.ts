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
import { getNode, ON, prune, subtreeSize, UNRELATED, whiteoutScope, type Related, type Standing } from './dive-scope.js';

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
  /** The children's names in byte order, once a walk needed them (a layer's tree is walked twice: its leaves, then stacked); dropped when children change. */
  sorted: readonly string[] | undefined;
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
  const related = whiteoutScope(layers.map((layer) => diveContents(layer).whiteouts));
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
    // Layer 0's tree becomes the stack itself (stacking a tree onto a copy of itself changes
    // nothing), each later layer is stacked onto it; it keeps only what a whiteout's lookup reaches.
    if (index === 0) stacked = prune(tree, related);
    else stack(stacked as DiveNode, tree, related);
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
  return { name, key: undefined, children: undefined, sorted: undefined, size: 0, isDir: false };
}

/** The child called `name`, made (with an empty payload, as dive's AddPath makes missing parents) when missing. */
function childOf(node: DiveNode, name: string): DiveNode {
  let child = node.children?.get(name);
  if (!child) {
    child = newNode(name);
    (node.children ??= new Map()).set(name, child);
    node.sorted = undefined;
  }
  return child;
}

/** dive's AddPath: missing parents get an empty payload; the last node's payload (and `key`, when given) is replaced. */
/** dive's AddPath for a layer's own tree: missing parents get an empty payload; the last node's payload (and `key`, when given) is replaced. */
function addPath(tree: LayerTree, path: string, payload?: { size: number; isDir: boolean }, key?: string): void {
  // A tar lists a directory's entries together: start from the last entry's parent when it is this one's.
  const slash = path.lastIndexOf('/');
  const parentPath = slash < 0 ? '' : path.slice(0, slash);
  let node: DiveNode | undefined = parentPath === tree.lastParentPath ? tree.lastParent : undefined;
  if (!node) {
    node = walkDown(tree.root, parentPath);
    if (!node) return;
    tree.lastParentPath = parentPath;
    tree.lastParent = node;
  }
  node = walkDown(node, path.slice(slash + 1));
  if (!node) return;
  if (payload) {
    node.size = payload.size;
    node.isDir = payload.isDir;
  }
  if (key !== undefined) node.key = key;
}

/** Down `path`'s names from `node`, making what is missing; undefined where dive stops: at a name it will not make (`.wh..wh.…`). */
function walkDown(node: DiveNode, path: string): DiveNode | undefined {
  let at = node;
  let start = 0;
  while (start <= path.length) {
    const slash = path.indexOf('/', start);
    const end = slash < 0 ? path.length : slash;
    if (end > start) {
      const name = path.slice(start, end);
      const child = at.children?.get(name);
      if (child) at = child;
      else if (name.startsWith('.wh..wh.')) return undefined;
      else at = childOf(at, name);
    }
    start = end + 1;
  }
  return at;
}

/** A layer's tree while it is built, with the parent the last path was added under. */
type LayerTree = { readonly root: DiveNode; lastParentPath: string | undefined; lastParent: DiveNode | undefined };

function layerTree(contents: LayerContents): DiveNode {
  const tree: LayerTree = { root: newNode(''), lastParentPath: undefined, lastParent: undefined };
  // dive adds every tar entry in order: an earlier copy of a path is replaced by the later one,
  // and children stay under a path a later entry turned into a file (shadowed entries came first).
  for (const entry of contents.shadowed ?? []) addPath(tree, entry.path, { size: entry.size, isDir: entry.type === 'dir' }, entry.path);
  for (const entry of contents.entries) addPath(tree, entry.path, { size: entry.size, isDir: entry.type === 'dir' }, entry.path);
  for (const path of contents.whiteouts) {
    const slash = path.lastIndexOf('/');
    addPath(tree, `${path.slice(0, slash + 1)}${WHITEOUT}${path.slice(slash + 1)}`, { size: 0, isDir: false }, path);
  }
  for (const dir of contents.opaqueDirs) {
    addPath(tree, `${dir}/.wh..wh..opq`);
    // The marker is never a node: its directory is, and may be a leaf.
    addPath(tree, dir, undefined, dir);
  }
  return tree.root;
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

/** A node's children's names in byte order, sorted once while the children stay as they are. */
const sortedNames = (node: DiveNode): readonly string[] => (node.sorted ??= [...(node.children?.keys() ?? [])].sort(byText));

const frameOf = (node: DiveNode, path: string): DiveFrame => ({ node, names: sortedNames(node), next: 0, path });

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

/**
 * dive's Stack: each upper node, children first, removes (whiteout) or adds its path; only what
 * `related` keeps (see whiteoutScope), the rest of the upper tree is not walked. The lower
 * tree is walked alongside: each upper directory's lower node is looked up once (made when a path
 * is added, as AddPath would make it), not found again from the root for every path.
 */
function stack(lower: DiveNode, upper: DiveNode, related: Related): void {
  const frames: StackFrame[] = [{ node: upper, names: sortedNames(upper), next: 0, lower, path: '', standing: ON }];
  /** The lower node of frames[depth], made (with its missing parents) when missing; the root frame's always is. */
  const made = (depth: number): DiveNode => {
    let found = depth;
    while ((frames[found] as StackFrame).lower === undefined) found--;
    for (let at = found + 1; at <= depth; at++) (frames[at] as StackFrame).lower = childOf((frames[at - 1] as StackFrame).lower as DiveNode, (frames[at] as StackFrame).node.name);
    return (frames[depth] as StackFrame).lower as DiveNode;
  };
  while (frames.length > 0) {
    const frame = frames[frames.length - 1] as StackFrame;
    if (frame.next < frame.names.length) {
      const child = frame.node.children?.get(frame.names[frame.next++] as string) as DiveNode;
      const path = `${frame.path}/${child.name}`;
      // A whiteout's node is walked for the path it removes too (a removal elsewhere is a no-op here).
      const removes = child.name.startsWith(WHITEOUT) && related(frame.standing, `${frame.path}/${child.name.slice(WHITEOUT.length)}`) !== UNRELATED;
      const standing = related(frame.standing, path);
      if (removes || standing !== UNRELATED) frames.push({ node: child, names: sortedNames(child), next: 0, lower: frame.lower?.children?.get(child.name), path, standing });
      continue;
    }
    // The node's children are done: now the node itself.
    frames.pop();
    if (frames.length === 0) return; // the root itself is not a path
    const name = frame.node.name;
    if (name.startsWith(WHITEOUT)) {
      const parent = (frames[frames.length - 1] as StackFrame).lower;
      if (parent?.children?.delete(name.slice(WHITEOUT.length))) parent.sorted = undefined;
    } else {
      const node = frame.lower ?? childOf(made(frames.length - 1), name);
      node.size = frame.node.size;
      node.isDir = frame.node.isDir;
    }
  }
}

/** An upper directory being stacked: its lower counterpart, once found or made. */
interface StackFrame {
  readonly node: DiveNode;
  readonly names: readonly string[];
  next: number;
  lower: DiveNode | undefined;
  /** Its path as dive spells it (leading `/`), and where it stands to the whiteouts. */
  readonly path: string;
  readonly standing: Standing;
}
