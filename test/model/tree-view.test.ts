// The lazy views against the definitions (tree-view.ts), worked out eagerly and naively here from
// the overlay rules alone: every path's visibility before and after the layer. fast-check makes
// random layer stacks over a small set of paths, so whiteouts, opaque directories, directories
// replaced by files and re-added paths meet each other often.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { visibleVersion, walk, type FileTree, type PathNode } from '../../src/model/file-tree.js';
import { createTreeView, indexTree, type TreeView, type ViewMode, type ViewNode } from '../../src/model/tree-view.js';
import type { Entry, EntryType } from '../../src/model/types.js';
import { PATHS, layerArb, treeFrom } from '../helpers/random-trees.js';

interface Expected {
  readonly path: string;
  readonly type: EntryType;
  readonly kind: string;
  readonly size: number;
  readonly changedBelow: boolean;
  readonly flagged: boolean;
  readonly flaggedBelow: boolean;
}

/** The view of `layer` in `mode`, eagerly, straight from the definitions. */
function expectedView(tree: FileTree, layer: number, mode: ViewMode, flagged: ReadonlySet<string>): Expected[] {
  const nodes = [...walk(tree.root)].filter((node) => node !== tree.root);
  const explicit = (node: PathNode, at: number) => (at < 0 ? undefined : visibleVersion(node, at));
  const below = (node: PathNode) => [...walk(node)];
  const present = (node: PathNode, at: number) => below(node).some((n) => explicit(n, at));
  const written = (node: PathNode) => node.versions.find((v) => v.layer === layer)?.entry;
  const changedSelf = (node: PathNode) => written(node) !== undefined || (explicit(node, layer - 1) !== undefined && !explicit(node, layer));
  const changedBelow = (node: PathNode) => below(node).some(changedSelf);
  const fileBytes = (list: PathNode[], version: (n: PathNode) => { entry?: Entry } | undefined) =>
    list.reduce((sum, n) => {
      const entry = version(n)?.entry;
      return sum + (entry?.type === 'file' ? entry.size : 0);
    }, 0);

  const shown = nodes.filter((node) => {
    const visibleSomehow = present(node, layer) || present(node, layer - 1);
    return mode === 'aggregated' ? visibleSomehow : visibleSomehow && changedBelow(node);
  });
  return shown.map((node) => {
    const now = explicit(node, layer);
    const then = explicit(node, layer - 1);
    const isPresent = present(node, layer);
    const kind = isPresent ? (written(node) ? (then ? 'modified' : 'added') : !now && then ? 'modified' : 'unchanged') : then ? 'removed' : 'unchanged';
    const size =
      mode === 'changes'
        ? isPresent
          ? fileBytes(below(node), (n) => n.versions.find((v) => v.layer === layer))
          : kind === 'removed' ? fileBytes(below(node), (n) => explicit(n, layer - 1)) : 0
        : isPresent
          ? fileBytes(below(node), (n) => explicit(n, layer))
          : kind === 'removed' ? fileBytes(below(node), (n) => explicit(n, layer - 1)) : 0;
    return {
      path: node.path,
      type: (isPresent ? now : then)?.entry?.type ?? 'dir',
      kind,
      size,
      changedBelow: isPresent ? kind !== 'unchanged' || changedBelow(node) : true,
      flagged: flagged.has(node.path),
      flaggedBelow: [...flagged].some((path) => path === node.path || path.startsWith(`${node.path}/`)),
    };
  });
}

function actualView(view: TreeView): Expected[] {
  const out: Expected[] = [];
  const visit = (node: ViewNode): void => {
    for (const child of view.children(node)) {
      const { path, type, kind, size, changedBelow, flagged, flaggedBelow } = child;
      out.push({ path, type, kind, size, changedBelow, flagged, flaggedBelow });
      visit(child);
    }
  };
  visit(view.root);
  return out;
}

describe('the lazy tree views', () => {
  it('match the definitions on random layer stacks, in both modes, for every layer', () => {
    fc.assert(
      fc.property(fc.array(layerArb, { minLength: 1, maxLength: 4 }), fc.subarray(PATHS, { maxLength: 3 }), (layers, flaggedList) => {
        const tree = treeFrom(layers);
        const flagged = new Set(flaggedList.filter((path) => [...walk(tree.root)].some((n) => n.path === path)));
        const index = indexTree(tree, flagged);
        for (let layer = 0; layer < tree.layerCount; layer++) {
          for (const mode of ['aggregated', 'changes'] as const) {
            const view = createTreeView(index, layer, mode);
            const byPath = (a: Expected, b: Expected) => (a.path < b.path ? -1 : 1);
            expect(actualView(view).sort(byPath), `layer ${layer} ${mode}`).toEqual(expectedView(tree, layer, mode, flagged).sort(byPath));
          }
        }
      }),
      { numRuns: 400 },
    );
  });

  it('sizes directories by what they hold, and the root by the whole layer', () => {
    const tree = treeFrom([
      { entries: [{ path: 'a', type: 'dir', size: 0 }, { path: 'a/b', type: 'file', size: 10 }, { path: 'c', type: 'file', size: 5 }], whiteouts: [], opaqueDirs: [] },
      { entries: [{ path: 'a/d', type: 'file', size: 7 }], whiteouts: ['c'], opaqueDirs: [] },
    ]);
    const index = indexTree(tree, new Set(['a/d']));
    const all = createTreeView(index, 1, 'aggregated');
    expect(all.root.size).toBe(17);
    expect(all.children(all.root).map((n) => `${n.path} ${n.kind} ${n.size}${n.flaggedBelow ? ' !' : ''}`)).toEqual(['a unchanged 17 !', 'c removed 5']);
    const changes = createTreeView(index, 1, 'changes');
    expect(changes.root.size).toBe(7);
    const a = changes.children(changes.root)[0] as ViewNode;
    expect(changes.children(a).map((n) => `${n.path} ${n.kind} ${n.size}`)).toEqual(['a/d added 7']);
  });
});
