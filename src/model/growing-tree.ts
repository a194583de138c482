// The explorer's tree while layers arrive, grown a layer at a time instead of built again from
// every layer so far: a layer costs its own paths and the directories it adds to, not every path
// read before it. The nodes are shared by every tree grown from them; each grown tree is a new
// object saying how many layers it holds, and a view of a lower layer reads the same answers from
// it as before (every query reads versions, and layers that touched a node, up to its layer only).

import { addLayerVersions, type PathNode } from './file-tree.js';
import type { TreeIndex } from './tree-index.js';
import type { LayerContents } from './types.js';

/**
 * The indexed tree with `contents` as its next layer on top: what indexTree(buildFileTree(…)) gives
 * for all of them. The index's map of which layers touched each node is the same map, the new layer
 * added to the nodes it wrote and their directories; totals worked out so far stay true for the
 * layers they were worked out for.
 */
export function growIndexedTree(index: TreeIndex, contents: LayerContents): TreeIndex {
  const { tree } = index;
  const layer = tree.layerCount;
  const touchedBy = index.touchedBy as Map<PathNode, readonly number[]>;
  const only = [layer];
  for (const node of addLayerVersions(tree, contents)) {
    for (let up: PathNode | undefined = node; up; up = up.parent) {
      const layers = touchedBy.get(up) ?? [];
      // Its directories were given the layer with it.
      if (layers[layers.length - 1] === layer) break;
      touchedBy.set(up, layers.length === 0 ? only : [...layers, layer]);
    }
  }
  const grown = { root: tree.root, layerCount: layer + 1, touched: [...tree.touched, touchedIn(index, layer)], shadowed: [...tree.shadowed, contents.shadowed ?? []] };
  return { ...index, tree: grown };
}

/** The nodes `layer` wrote in walk order (depth first, children in name order), entering only the directories it touched. */
function touchedIn(index: TreeIndex, layer: number): PathNode[] {
  const touchedHere = (node: PathNode): boolean => index.touchedBy.get(node)?.at(-1) === layer;
  const ordered: PathNode[] = [];
  const stack: PathNode[] = [index.tree.root];
  while (stack.length > 0) {
    const next = stack.pop() as PathNode;
    if (next.versionCount > 0 && next.version(next.versionCount - 1).layer === layer) ordered.push(next);
    const below: PathNode[] = [];
    for (const child of next.children.values()) if (touchedHere(child)) below.push(child);
    for (let i = below.length - 1; i >= 0; i--) stack.push(below[i] as PathNode);
  }
  return ordered;
}
