// Why each unreachable file version is unreachable, and which layer hid it: overwritten (a later
// layer wrote the same path with other content), metadata-only (the same content again, with a
// new mode, owner or time; or a later entry of the same layer's tar), or deleted-later (a whiteout, an opaque directory or a directory
// replaced by a file). Every unreachable byte gets exactly one cause.

import { hidesBelow, walk, type FileTree, type PathNode, type Version } from '../model/file-tree.js';

export type HiddenCause = 'deleted-later' | 'overwritten' | 'metadata-only';

export interface HiddenVersion {
  readonly path: string;
  /** The layer that shipped it. */
  readonly layer: number;
  readonly bytes: number;
  readonly cause: HiddenCause;
  /** The layer that hid it first. */
  readonly hiddenBy: number;
}

/** Every file version the final tree does not reach (`reachable`: reachableFileVersions of the tree), with why. */
export function hiddenVersions(tree: FileTree, reachable: ReadonlySet<Version>): HiddenVersion[] {
  const hidden: HiddenVersion[] = [];
  // A copy the same tar wrote again (or buried under a path it turned into a file): overwritten in that layer.
  tree.shadowed.forEach((entries, layer) => {
    for (const entry of entries) if (entry.type === 'file') hidden.push({ path: entry.path, layer, bytes: entry.size, cause: 'overwritten', hiddenBy: layer });
  });
  for (const node of walk(tree.root)) {
    node.versions.forEach((version, i) => {
      const entry = version.entry;
      if (entry?.type !== 'file' || reachable.has(version)) return;
      const own = node.versions.slice(i + 1).find((later) => later.entry || later.whiteout);
      const above = firstHidingAbove(node, version.layer);
      let cause: HiddenCause = 'deleted-later';
      let hiddenBy = above ?? own?.layer ?? version.layer;
      if (own && (above === undefined || own.layer <= above)) {
        hiddenBy = own.layer;
        if (own.entry) {
          const same = own.entry.type === 'file' && entry.digest !== undefined && own.entry.digest === entry.digest;
          cause = same ? 'metadata-only' : 'overwritten';
        }
      }
      hidden.push({ path: node.path, layer: version.layer, bytes: entry.size, cause, hiddenBy });
    });
  }
  return hidden;
}

/** The first layer after `layer` in which an ancestor hides what lies below it. */
function firstHidingAbove(node: PathNode, layer: number): number | undefined {
  let first: number | undefined;
  for (let up = node.parent; up; up = up.parent) {
    for (let i = 0; i < up.versionCount; i++) {
      const version = up.version(i);
      if (version.layer <= layer) continue;
      if (hidesBelow(version) && (first === undefined || version.layer < first)) first = version.layer;
    }
  }
  return first;
}
