// The tree as flat arrays in walk order (a folder before what it holds, children in name order):
// what a filter or "open all" reads for every path at once, with no object per path. A path's
// position in that order is its ordinal; its subtree is the ordinals [ordinal, end).

import type { FileTree, PathNode } from './file-tree.js';

export interface TreeTable {
  readonly tree: FileTree;
  /** Every path, a folder before what it holds; the root first. */
  readonly nodes: readonly PathNode[];
  /** The ordinal after the node's subtree. */
  readonly end: Int32Array;
  /** The ordinal of the folder holding the node; -1 for the root. */
  readonly parent: Int32Array;
  /** Lower-cased names by ordinal, for filters: made on the first (lowerNames). */
  names: readonly string[] | undefined;
}

export function buildTable(tree: FileTree): TreeTable {
  const nodes: PathNode[] = [];
  const parents: number[] = [];
  // Paths still to place, next last, each with the ordinal of the folder holding it: a stack, not
  // recursion (an image decides how deep it goes).
  const stack: PathNode[] = [tree.root];
  const stackParents: number[] = [-1];
  while (stack.length > 0) {
    const node = stack.pop() as PathNode;
    const ordinal = nodes.length;
    nodes.push(node);
    parents.push(stackParents.pop() as number);
    if (node.children.size === 0) continue;
    // The children go on in name order, then are turned around so the first comes off first.
    const from = stack.length;
    for (const child of node.children.values()) {
      stack.push(child);
      stackParents.push(ordinal);
    }
    for (let i = from, j = stack.length - 1; i < j; i++, j--) [stack[i], stack[j]] = [stack[j] as PathNode, stack[i] as PathNode];
  }
  const parent = Int32Array.from(parents);
  // Subtree sizes, children before parents (they come after them).
  const size = new Int32Array(nodes.length).fill(1);
  for (let i = nodes.length - 1; i > 0; i--) {
    const up = parent[i] as number;
    size[up] = (size[up] as number) + (size[i] as number);
  }
  const end = new Int32Array(nodes.length);
  for (let i = 0; i < nodes.length; i++) end[i] = i + (size[i] as number);
  return { tree, nodes, end, parent, names: undefined };
}

/** The lower-cased names, made once per table. */
export function lowerNames(table: TreeTable): readonly string[] {
  return (table.names ??= table.nodes.map((node) => node.name.toLowerCase()));
}

/**
 * Which paths hold `needle` (already lower-cased), by ordinal: 1 where the lower-cased path does.
 * A needle without `/` is inside one name, so a path holds it when its folder's path or its own
 * name does; one with `/` is looked for in the whole path.
 */
export function pathsHolding(table: TreeTable, needle: string): Uint8Array {
  const { nodes, parent } = table;
  const holds = new Uint8Array(nodes.length);
  if (needle === '') return holds.fill(1);
  if (needle.includes('/')) {
    for (let i = 1; i < nodes.length; i++) holds[i] = (nodes[i] as PathNode).path.toLowerCase().includes(needle) ? 1 : 0;
    return holds;
  }
  const names = lowerNames(table);
  for (let i = 1; i < nodes.length; i++) holds[i] = holds[parent[i] as number] || (names[i] as string).includes(needle) ? 1 : 0;
  return holds;
}
