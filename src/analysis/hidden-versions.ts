// Why each unreachable file version is unreachable, and which layer hid it: overwritten (a later
// layer wrote the same path with other content), metadata-only (the same content again, with a
// new mode, owner or time), or deleted-later (a whiteout, an opaque directory or a directory
// replaced by a file). Every unreachable byte gets exactly one cause.

import { hidesBelow, walk, type FileTree, type PathNode, type Version } from '../model/file-tree.js';

export type HiddenCause = 'deleted-later' | 'overwritten' | 'metadata-only';

export interface HiddenVersion {
  readonly node: PathNode;
  readonly version: Version;
  readonly bytes: number;
  readonly cause: HiddenCause;
  /** The layer that hid it first. */
  readonly hiddenBy: number;
}

/** Every file version the final tree does not reach (`reachable`: reachableFileVersions of the tree), with why. */
export function hiddenVersions(tree: FileTree, reachable: ReadonlySet<Version>): HiddenVersion[] {
  const hidden: HiddenVersion[] = [];
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
      hidden.push({ node, version, bytes: entry.size, cause, hiddenBy });
    });
  }
  return hidden;
}

/** The first layer after `layer` in which an ancestor hides what lies below it. */
function firstHidingAbove(node: PathNode, layer: number): number | undefined {
  let first: number | undefined;
  for (let up = node.parent; up; up = up.parent) {
    for (const version of up.versions) {
      if (version.layer <= layer) continue;
      if (hidesBelow(version) && (first === undefined || version.layer < first)) first = version.layer;
    }
  }
  return first;
}
