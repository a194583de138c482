// dive's trees (dive.ts counts what they hold): one per layer, built from its tar as dive's
// AddPath builds it, walked leaves first in byte order, and stacked onto the layers below; and
// the plain layer, counted from its entries without a tree.

import type { Entry, LayerContents } from '../model/types.js';
import { byText } from '../model/order.js';
import { addAncestors, ON, UNRELATED, type Related, type Standing } from './dive-scope.js';

export interface DiveNode {
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

export const WHITEOUT = '.wh.';

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

/** A layer's tree as dive builds it; with `keep`, of only the entries it keeps (a plain layer's: see diveFigures). */
export function layerTree(contents: LayerContents, keep?: (entry: Entry) => boolean): DiveNode {
  const tree: LayerTree = { root: newNode(''), lastParentPath: undefined, lastParent: undefined };
  // dive adds every tar entry in order: an earlier copy of a path is replaced by the later one,
  // and children stay under a path a later entry turned into a file (shadowed entries came first).
  for (const entry of contents.shadowed ?? []) addPath(tree, entry.path, { size: entry.size, isDir: entry.type === 'dir' }, entry.path);
  for (const entry of contents.entries) {
    if (!keep || keep(entry)) addPath(tree, entry.path, { size: entry.size, isDir: entry.type === 'dir' }, entry.path);
  }
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

/**
 * A layer of entries alone: no whiteout, opaque marker or shadowed entry, and no name dive reads
 * as a whiteout (`.wh.…`). No lookup in the stack can then stop its visit, so which of its paths
 * are leaves is all that counts, not the order they are visited in (each path is visited once,
 * and the sums are of whole numbers).
 */
export function plainLayer(contents: LayerContents): boolean {
  if (contents.whiteouts.length > 0 || contents.opaqueDirs.length > 0 || (contents.shadowed?.length ?? 0) > 0) return false;
  return contents.entries.every((entry) => entry.path !== '' && !entry.path.startsWith(WHITEOUT) && !entry.path.includes(`/${WHITEOUT}`));
}

/** A plain layer's leaves, as dive's tree would have them: its entries with no entry below them. */
export function visitPlainLeaves(contents: LayerContents, visit: (path: string, size: number) => void): void {
  // Every directory some entry lies below.
  const above = new Set<string>();
  for (const { path } of contents.entries) addAncestors(above, path);
  for (const entry of contents.entries) if (!above.has(entry.path)) visit(entry.path, entry.size);
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
export function visitLeaves(root: DiveNode, visit: (node: DiveNode, path: string) => boolean): void {
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
export function stack(lower: DiveNode, upper: DiveNode, related: Related): void {
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
