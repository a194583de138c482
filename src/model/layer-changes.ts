// What one layer changed, path by path, against the merged tree below it.

import { hidesBelow, visibleVersion, walk, type FileTree, type PathNode } from './file-tree.js';

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
  for (const node of tree.touched[layer] ?? []) {
    const version = node.versions.find((v) => v.layer === layer);
    if (version?.entry) changes.set(node, writtenKind(visibleVersion(node, layer - 1) !== undefined));
    if (!version || !hidesBelow(version)) continue;
    if (version.entry && node.children.size === 0) continue; // a file over nothing: hides nothing
    for (const below of walk(node)) {
      if (below === node && version.entry) continue;
      if (changes.has(below)) continue;
      if (visibleVersion(below, layer - 1) && !visibleVersion(below, layer)) changes.set(below, 'removed');
    }
  }
  return changes;
}

export interface ChangeCounts {
  readonly added: number;
  readonly modified: number;
  readonly removed: number;
}

export function countChanges(changes: ReadonlyMap<PathNode, ChangeKind>): ChangeCounts {
  const counts = { added: 0, modified: 0, removed: 0 };
  for (const kind of changes.values()) counts[kind]++;
  return counts;
}
