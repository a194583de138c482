// What one layer changed, path by path, against the merged tree below it.

import { hidesBelow, versionIn, visibleVersion, walk, type FileTree, type PathNode } from './file-tree.js';

export type ChangeKind = 'added' | 'modified' | 'removed';

/** A path a layer writes is `modified` when something was visible there below it, else `added`. */
export function writtenKind(visibleBefore: boolean): 'added' | 'modified' {
  return visibleBefore ? 'modified' : 'added';
}

/**
 * Each path layer `layer` changed: `added` (written, not visible before), `modified` (written over
 * a visible path), `removed` (visible before, hidden now — by a whiteout, an opaque directory, or a
 * directory replaced by a file; every path of a removed subtree counts).
 */
export function layerChanges(tree: FileTree, layer: number): ReadonlyMap<PathNode, ChangeKind> {
  const changes = new Map<PathNode, ChangeKind>();
  visitLayerChanges(tree, layer, (node, kind) => changes.set(node, kind));
  return changes;
}

export interface ChangeCounts {
  readonly added: number;
  readonly modified: number;
  readonly removed: number;
}

/** How many paths of each kind layerChanges lists, without a map of them (one entry per path the layer touched). */
export function countChanges(tree: FileTree, layer: number): ChangeCounts {
  const counts = { added: 0, modified: 0, removed: 0 };
  visitLayerChanges(tree, layer, (_node, kind) => counts[kind]++);
  return counts;
}

/**
 * Each change of layerChanges once: a written path with its kind, in name order; a removed one as
 * a removal walk reaches it. Only removed paths are remembered (a path below two of the layer's
 * hiding events is removed once); a path the layer writes is never removed by it.
 */
function visitLayerChanges(tree: FileTree, layer: number, visit: (node: PathNode, kind: ChangeKind) => void): void {
  const removed = new Set<PathNode>();
  for (const node of tree.touched[layer] ?? []) {
    const version = versionIn(node, layer);
    if (version?.entry) visit(node, writtenKind(visibleVersion(node, layer - 1) !== undefined));
    if (!version || !hidesBelow(version)) continue;
    if (version.entry && node.children.size === 0) continue; // a file over nothing: hides nothing
    for (const below of walk(node)) {
      if (removed.has(below) || versionIn(below, layer)?.entry) continue;
      if (visibleVersion(below, layer - 1) && !visibleVersion(below, layer)) {
        removed.add(below);
        visit(below, 'removed');
      }
    }
  }
}
