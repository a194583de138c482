// dive's stack of lower layers (dive.ts) as a whiteout's lookup reads it, and which of its paths
// can matter: the stack is read only there, so it need hold only what such a lookup can reach.

/**
 * Where a path stands to the whiteouts, from where its parent stands and its path (dive's spelling,
 * leading `/`): UNRELATED (nothing at or below it can matter), ON (a whiteout's path's ancestor),
 * BELOW (a whiteout's path or under one). Worked from the parent: no walk up the path's names.
 */
export type Related = (parent: Standing, divePath: string) => Standing;
export type Standing = typeof UNRELATED | typeof ON | typeof BELOW;
export const UNRELATED = 0;
export const ON = 1;
export const BELOW = 2;

/** A node of dive's trees, as far as lookups and pruning read it. */
interface ScopedNode<T> {
  readonly size: number;
  readonly children: Map<string, T> | undefined;
  sorted: readonly string[] | undefined;
}

/** Which paths of dive's stack can matter to a whiteout's lookup (see whiteoutScope). */
export interface WhiteoutScope {
  /** Where a path stands, worked from where its parent stands. */
  readonly related: Related;
  /** Whether a path (no leading `/`) stands anywhere but UNRELATED, worked from the path alone. */
  reaches(path: string): boolean;
}

/**
 * Whether a path of the stack (dive's spelling, leading `/`) can matter to a whiteout's lookup:
 * the path of a whiteout of any layer, one of its ancestors, or below one. A lookup reads the
 * node at a whiteout's path and the sizes below it, and the stack's events on any other path
 * (adds, removals, payloads) never reach those: so the stack need hold only these paths. Not
 * related to any whiteout means nothing below it is either.
 */
export function whiteoutScope(whiteouts: Iterable<readonly string[]>): WhiteoutScope {
  const targets = new Set<string>();
  const above = new Set<string>();
  for (const paths of whiteouts) {
    for (const path of paths) {
      targets.add(path);
      addAncestors(above, path);
    }
  }
  if (targets.size === 0) return { related: () => UNRELATED, reaches: () => false };
  // Per directory met, whether it is a whiteout's path or below one: each is worked out once.
  const below = new Map<string, boolean>([['', false]]);
  const dirBelow = (dir: string): boolean => {
    const unknown: string[] = [];
    let at = dir;
    let known = below.get(at);
    while (known === undefined) {
      unknown.push(at);
      if (targets.has(at)) {
        known = true;
        break;
      }
      at = parentOf(at);
      known = below.get(at);
    }
    for (const path of unknown) below.set(path, known);
    return known;
  };
  return {
    related: (parent, divePath) => {
      if (parent !== ON) return parent;
      const path = divePath.slice(1);
      return targets.has(path) ? BELOW : above.has(path) ? ON : UNRELATED;
    },
    reaches: (path) => {
      if (above.has(path) || targets.has(path)) return true;
      return dirBelow(parentOf(path));
    },
  };
}

/**
 * Adds the folders above `path` (no leading `/`) to `folders`, innermost first, stopping at one
 * already there: its own are there too, when `folders` is filled only through here.
 */
export function addAncestors(folders: Set<string>, path: string): void {
  for (let slash = path.lastIndexOf('/'); slash > 0; slash = path.lastIndexOf('/', slash - 1)) {
    const folder = path.slice(0, slash);
    if (folders.has(folder)) return;
    folders.add(folder);
  }
}

/** The folder holding `path` (no leading `/`); '' for a top-level name. */
const parentOf = (path: string): string => {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
};

/** `root` without the subtrees no whiteout's lookup can reach (see whiteoutScope), in place. */
export function prune<T extends ScopedNode<T>>(root: T, related: Related): T {
  const pending: [T, string, Standing][] = [[root, '', ON]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [node, path, standing] = next;
    for (const [name, child] of node.children ?? []) {
      const childPath = `${path}/${name}`;
      const childStanding = related(standing, childPath);
      if (childStanding !== UNRELATED) pending.push([child, childPath, childStanding]);
      else if (node.children?.delete(name)) node.sorted = undefined;
    }
  }
  return root;
}

/** The node at `path` (names split on `/`), if the tree has one. */
export function getNode<T extends ScopedNode<T>>(root: T, path: string): T | undefined {
  let node: T | undefined = root;
  for (const name of path.split('/')) {
    if (name === '') continue;
    node = node.children?.get(name);
    if (!node) return undefined;
  }
  return node;
}

/** The sizes of a node and everything below it, summed. */
export function subtreeSize<T extends ScopedNode<T>>(node: T): number {
  let total = 0;
  const pending = [node];
  for (let next = pending.pop(); next; next = pending.pop()) {
    total += next.size;
    for (const child of next.children?.values() ?? []) pending.push(child);
  }
  return total;
}
