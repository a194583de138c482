// What the explorer shows for one layer: either the merged tree after it ("aggregated"), or only
// what it changed ("changes"), each path marked added / modified / removed / unchanged against
// the layer below, directories sized by what they hold. Built once per (layer, mode) and cached
// by the caller; rows for the screen are flattened from it (tree-rows.ts).

import { visibleVersion, visitMerged, type FileTree, type PathNode } from './file-tree.js';
import { layerChanges, type ChangeKind } from './layer-changes.js';
import type { EntryType } from './types.js';

export type ViewKind = ChangeKind | 'unchanged';
export type ViewMode = 'aggregated' | 'changes';

export interface ViewNode {
  readonly name: string;
  /** Normalised path; '' for the root. */
  readonly path: string;
  readonly type: EntryType;
  readonly kind: ViewKind;
  /** A file's size, or what a directory holds (removed paths not counted). */
  size: number;
  readonly linkTarget?: string;
  readonly layer: number;
  readonly children: ViewNode[];
  /** This node or one below it was changed by the layer. */
  changedBelow: boolean;
  /** This node or one below it is flagged by a finding. */
  flaggedBelow: boolean;
  readonly flagged: boolean;
}

export interface TreeView {
  readonly root: ViewNode;
  readonly layer: number;
  readonly mode: ViewMode;
  /** Nodes in the view, the root excluded. */
  readonly count: number;
}

export function buildTreeView(tree: FileTree, layer: number, mode: ViewMode, flagged: ReadonlySet<string>): TreeView {
  const changes = layerChanges(tree, layer);
  const root = makeNode(tree.root, 'dir', 'unchanged', 0, undefined, layer, false);
  const byPath = new Map<PathNode, ViewNode>([[tree.root, root]]);
  let count = 0;
  const attach = (node: PathNode, view: ViewNode): void => {
    const parent = node.parent ? ensure(node.parent) : root;
    parent.children.push(view);
    byPath.set(node, view);
    count++;
  };
  /** A directory shown only to hold changed paths below it (the "changes" mode). */
  const ensure = (node: PathNode): ViewNode => {
    const existing = byPath.get(node);
    if (existing) return existing;
    const version = visibleVersion(node, layer) ?? visibleVersion(node, layer - 1);
    const view = makeNode(node, version?.entry?.type ?? 'dir', 'unchanged', 0, undefined, version?.layer ?? layer, flagged.has(node.path));
    attach(node, view);
    return view;
  };

  if (mode === 'aggregated') {
    visitMerged(tree, layer, (node, version) => {
      const entry = version?.entry;
      const kind = changes.get(node) ?? 'unchanged';
      attach(node, makeNode(node, entry?.type ?? 'dir', kind, entry?.type === 'file' ? entry.size : 0, entry?.linkTarget, version?.layer ?? layer, flagged.has(node.path)));
    });
  }
  for (const [node, kind] of changes) {
    if (mode === 'aggregated' && kind !== 'removed') continue;
    if (byPath.has(node)) continue;
    const version = kind === 'removed' ? visibleVersion(node, layer - 1) : visibleVersion(node, layer);
    const entry = version?.entry;
    attach(node, makeNode(node, entry?.type ?? 'dir', kind, entry?.type === 'file' ? entry.size : 0, entry?.linkTarget, version?.layer ?? layer, flagged.has(node.path)));
  }
  finish(root);
  return { root, layer, mode, count };
}

function makeNode(
  node: PathNode,
  type: EntryType,
  kind: ViewKind,
  size: number,
  linkTarget: string | undefined,
  layer: number,
  flagged: boolean,
): ViewNode {
  return {
    name: node.name,
    path: node.path,
    type,
    kind,
    size,
    ...(linkTarget === undefined ? {} : { linkTarget }),
    layer,
    children: [],
    changedBelow: kind !== 'unchanged',
    flaggedBelow: flagged,
    flagged,
  };
}

/** Sorts children by name, sums directory sizes, and carries the "below" flags up. */
function finish(node: ViewNode): void {
  node.children.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const child of node.children) {
    finish(child);
    if (child.kind !== 'removed') node.size += child.size;
    if (child.changedBelow) node.changedBelow = true;
    if (child.flaggedBelow) node.flaggedBelow = true;
  }
}
