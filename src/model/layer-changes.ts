// What one layer changed, path by path, against the merged tree below it.

import { visibleVersion, walk, type FileTree, type PathNode } from './file-tree.js';

export type ChangeKind = 'added' | 'modified' | 'removed';

/**
 * Each path layer `layer` changed: `added` (written, not visible before), `modified` (written over
 * a visible path), `removed` (visible before, hidden now — by a whiteout, an opaque directory, or a
 * directory replaced by a file; every path of a removed subtree counts).
 */
export function layerChanges(tree: FileTree, layer: number): ReadonlyMap<PathNode, ChangeKind> {
  const changes = new Map<PathNode, ChangeKind>();
  for (const node of tree.touched[layer] ?? []) {
    const version = node.versions.find((v) => v.layer === layer);
    if (version?.entry) {
      changes.set(node, visibleVersion(node, layer - 1) ? 'modified' : 'added');
    }
    const hides = version && (version.whiteout || version.opaque || (version.entry && version.entry.type !== 'dir'));
    if (!hides) continue;
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
