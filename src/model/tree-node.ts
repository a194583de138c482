// The file tree's storage (file-tree.ts builds it and says what it means): a node per path, and a
// version per layer that touched the path.

import type { Entry } from './types.js';
import { SortedChildren } from './sorted-children.js';

// Memory per path is most of the model's, so nodes and versions are class instances (one hidden
// class each, fields in the object), a leaf shares one empty children list, a directory's
// children are one sorted array, and a node is its own first version: most paths are written by
// one layer, and a list and an object for that one version cost 96 B a path (200k entries: 18 MB).

/**
 * What one layer did to one path, while the tree is built and after. Layer and both flags share
 * one small integer (16 B a version less than three fields).
 */
export class VersionFields {
  entry: Entry | undefined = undefined;
  /** layer × 4 | WHITEOUT_BIT | OPAQUE_BIT; NO_VERSION on a node that has no version yet. */
  protected bits = NO_VERSION;

  get layer(): number {
    return this.bits >>> 2;
  }

  get whiteout(): boolean {
    return (this.bits & WHITEOUT_BIT) !== 0;
  }

  set whiteout(on: boolean) {
    this.bits = on ? this.bits | WHITEOUT_BIT : this.bits & ~WHITEOUT_BIT;
  }

  get opaque(): boolean {
    return (this.bits & OPAQUE_BIT) !== 0;
  }

  set opaque(on: boolean) {
    this.bits = on ? this.bits | OPAQUE_BIT : this.bits & ~OPAQUE_BIT;
  }
}

const WHITEOUT_BIT = 1;
const OPAQUE_BIT = 2;
const NO_VERSION = -1;

/** A version after a path's first. */
class TreeVersion extends VersionFields {
  constructor(layer: number) {
    super();
    this.bits = layer * 4;
  }
}

/** A path, and its first version (entry, layer and flags) in its own fields. */
export class TreeNode extends VersionFields {
  /** A Map while the tree is built; SortedChildren once it is done. */
  children: Map<string, TreeNode> | SortedChildren<TreeNode> = NO_CHILDREN;
  /** The versions after the first, when there are. */
  later: TreeVersion[] | undefined = undefined;
  constructor(
    readonly name: string,
    /** The path of the entry that first named it, or its slice: no string of its own. */
    readonly path: string,
    readonly parent: TreeNode | undefined,
  ) {
    super();
  }

  get versionCount(): number {
    return this.bits === NO_VERSION ? 0 : this.later === undefined ? 1 : 1 + this.later.length;
  }

  version(i: number): VersionFields {
    return i === 0 ? this : (this.later?.[i - 1] as TreeVersion);
  }

  get versions(): readonly VersionFields[] {
    if (this.bits === NO_VERSION) return [];
    return this.later === undefined ? [this] : [this, ...this.later];
  }

  /** The version `layer` is making while the tree is built: the last one, or a new one after it. */
  versionFor(layer: number): VersionFields {
    if (this.bits === NO_VERSION) {
      this.bits = layer * 4;
      return this;
    }
    const last = this.later === undefined ? this : (this.later[this.later.length - 1] as TreeVersion);
    if (last.layer === layer) return last;
    const version = new TreeVersion(layer);
    if (this.later === undefined) this.later = [version];
    else this.later.push(version);
    return version;
  }
}

/** The children of every leaf; never written to (nodeAt swaps in a map of its own first). */
const NO_CHILDREN = new SortedChildren<TreeNode>([]);
