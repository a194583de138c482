// The flat facts (tree-table.ts, view-facts.ts) against the lazy view they summarise: what a
// filter keeps and how many rows all-open folders hold must be what walking the view gives.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { flattenRows } from '../../src/model/row-list.js';
import { buildTable, pathsHolding } from '../../src/model/tree-table.js';
import { ALL_FOLDERS, NO_FOLDERS, foldersOf, keptNodes, type RowFilter, type RowOptions } from '../../src/model/tree-rows.js';
import { createTreeView, indexTree, type TreeView, type ViewKind, type ViewNode } from '../../src/model/tree-view.js';
import { FLAGGED, HAS_CHILDREN, IN_VIEW, kindOf, viewFacts } from '../../src/model/view-facts.js';
import { PATHS, layerArb, treeFrom } from '../helpers/random-trees.js';

/** Every node of the view below the root, a folder before what it holds. */
function viewNodes(view: TreeView, from: ViewNode = view.root): ViewNode[] {
  return view.children(from).flatMap((child) => [child, ...viewNodes(view, child)]);
}

/** What a filter keeps, by walking the view (the definition in tree-rows.ts): bytes by path. */
function keptByWalk(view: TreeView, filter: RowFilter): Map<string, number> {
  const kept = new Map<string, number>();
  const visit = (node: ViewNode): number | undefined => {
    const children = view.children(node);
    if (children.length === 0) {
      const passes = !filter.hidden.has(node.kind) && (!filter.onlyFlagged || node.flagged) && node.path.toLowerCase().includes(filter.filter.toLowerCase());
      return passes ? (node.kind === 'removed' ? 0 : node.size) : undefined;
    }
    const shown = children.map(visit).filter((bytes): bytes is number => bytes !== undefined);
    return shown.length > 0 ? shown.reduce((a, b) => a + b, 0) : undefined;
  };
  for (const node of viewNodes(view)) {
    const bytes = visit(node);
    if (bytes !== undefined) kept.set(node.path, bytes);
  }
  return kept;
}

describe('the tree as flat arrays', () => {
  it('finds the paths holding a text, whatever its case, across names when it holds a slash', () => {
    const tree = treeFrom([
      {
        entries: [
          { path: 'Usr/Lib/x.so', type: 'file', size: 1 },
          { path: 'etc/libc.conf', type: 'file', size: 2 },
          { path: 'etc/hosts', type: 'file', size: 3 },
        ],
        whiteouts: [],
        opaqueDirs: [],
      },
    ]);
    const table = buildTable(tree);
    expect(table.nodes.map((node) => node.path)).toEqual(['', 'Usr', 'Usr/Lib', 'Usr/Lib/x.so', 'etc', 'etc/hosts', 'etc/libc.conf']);
    expect([...table.end]).toEqual([7, 4, 4, 4, 7, 6, 7]);
    const holding = (needle: string) => table.nodes.filter((_, i) => pathsHolding(table, needle)[i]).map((node) => node.path);
    expect(holding('lib')).toEqual(['Usr/Lib', 'Usr/Lib/x.so', 'etc/libc.conf']);
    expect(holding('r/l')).toEqual(['Usr/Lib', 'Usr/Lib/x.so']);
    expect(holding('s')).toEqual(['Usr', 'Usr/Lib', 'Usr/Lib/x.so', 'etc/hosts']);
  });
});

describe("a view's facts", () => {
  it('agree with the lazy view, and a filter keeps what walking the view keeps, on random layer stacks', () => {
    const filterArb = fc.record({
      hidden: fc.subarray<ViewKind>(['unchanged', 'added', 'modified', 'removed'], { maxLength: 2 }),
      onlyFlagged: fc.boolean(),
      filter: fc.constantFrom('', 'a', 'B', 'b/', '/a', 'c/a', 'x'),
    });
    fc.assert(
      fc.property(fc.array(layerArb, { minLength: 1, maxLength: 4 }), fc.subarray(PATHS, { maxLength: 3 }), filterArb, (layers, flagged, picked) => {
        const tree = treeFrom(layers);
        const index = indexTree(tree, new Set(flagged));
        const filter: RowFilter = { ...picked, hidden: new Set(picked.hidden) };
        for (let layer = 0; layer < tree.layerCount; layer++) {
          for (const mode of ['aggregated', 'changes'] as const) {
            const view = createTreeView(index, layer, mode);
            const facts = viewFacts(view);
            const nodes = viewNodes(view);
            for (const node of nodes) {
              const bits = facts.flags[view.ordinal(node)] as number;
              expect(view.table.nodes[view.ordinal(node)]?.path).toBe(node.path);
              expect({ path: node.path, inView: bits & IN_VIEW, children: (bits & HAS_CHILDREN) > 0, flagged: (bits & FLAGGED) > 0, kind: kindOf(bits), size: facts.size[view.ordinal(node)] }).toEqual({
                path: node.path, inView: IN_VIEW, children: view.children(node).length > 0, flagged: node.flagged, kind: node.kind, size: node.size,
              });
            }
            expect(facts.flags.filter((bits) => bits & IN_VIEW).length).toBe(nodes.length + 1);
            expect(facts.below[0]).toBe(nodes.length);
            const kept = keptNodes(view, filter, () => facts);
            const expected = keptByWalk(view, filter);
            if (!kept) continue;
            const keptPaths = new Map(nodes.filter((node) => kept.has(node)).map((node) => [node.path, kept.bytes(node)]));
            expect(keptPaths).toEqual(expected);
            expect(kept.rowsBelow(view.root)).toBe(expected.size);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('count the rows of all-open folders as listing every folder would, with some closed', () => {
    fc.assert(
      fc.property(fc.array(layerArb, { minLength: 1, maxLength: 3 }), fc.subarray(PATHS, { maxLength: 2 }), fc.constantFrom('', 'a'), (layers, closed, filter) => {
        const index = indexTree(treeFrom(layers), new Set());
        const view = createTreeView(index, layers.length - 1, 'aggregated');
        const folders = viewNodes(view).filter((node) => view.children(node).length > 0).map((node) => node.path);
        const base: RowOptions = { expanded: NO_FOLDERS, closedInFilter: NO_FOLDERS, sort: 'name', hidden: new Set(), onlyFlagged: false, filter };
        const lines = (options: RowOptions) => flattenRows(view, options).map((row) => `${row.node.path} ${row.depth} ${row.size}${row.expanded ? ' open' : ''}`);
        const allBut = { all: true, except: new Set(closed) };
        const listed = foldersOf(folders.filter((path) => !closed.includes(path)));
        if (filter === '') {
          expect(lines({ ...base, expanded: allBut })).toEqual(lines({ ...base, expanded: listed }));
          expect(lines({ ...base, expanded: ALL_FOLDERS }).length).toBe(viewNodes(view).length);
        } else expect(lines({ ...base, closedInFilter: foldersOf(closed) })).toEqual(lines({ ...base, closedInFilter: { all: true, except: new Set(folders.filter((path) => !closed.includes(path))) } }));
      }),
      { numRuns: 300 },
    );
  });
});
