// Rows of a tree view: size order is worked out once per folder and kept in the memo the caller
// passes (the explorer keeps one with its views), never in a hidden module-level cache.
import { describe, expect, it } from 'vitest';
import { buildFileTree } from '../../src/model/file-tree.js';
import { createRowMemo, flattenRows, type RowOptions } from '../../src/model/tree-rows.js';
import { createTreeView, indexTree } from '../../src/model/tree-view.js';
import type { Entry } from '../../src/model/types.js';

const file = (path: string, size: number): Entry => ({ path, type: 'file', size, mode: 0o644, uid: 0, gid: 0 });
const dir = (path: string): Entry => ({ path, type: 'dir', size: 0, mode: 0o755, uid: 0, gid: 0 });
const tree = buildFileTree({
  layers: [{ contents: { entries: [dir('d'), file('d/small', 1), file('d/big', 9), file('d/mid', 5), file('a', 5), file('b', 5)], whiteouts: [], opaqueDirs: [], tarBytes: 0, compression: 'none' } }],
});
const view = createTreeView(indexTree(tree, new Set()), 0, 'aggregated');
const options: RowOptions = { expanded: new Set(['d']), sort: 'size', hideUnchanged: false, onlyFlagged: false, filter: '' };

describe('flattening a view into rows', () => {
  it('orders each folder largest first, ties by name, and keeps that order in the memo it is given', () => {
    const memo = createRowMemo();
    const rows = flattenRows(view, options, memo);
    expect(rows.map((row) => `${'  '.repeat(row.depth)}${row.node.name} ${row.node.size}`)).toEqual(['d 15', '  big 9', '  mid 5', '  small 1', 'a 5', 'b 5']);
    expect(memo.bySize.get(view.root)?.map((node) => node.name)).toEqual(['d', 'a', 'b']);
    // The second flattening reads the memo: the very same sorted list, not a new sort.
    const sorted = memo.bySize.get(view.root);
    flattenRows(view, options, memo);
    expect(memo.bySize.get(view.root)).toBe(sorted);
  });

  it('orders by name without sorting anything', () => {
    const memo = createRowMemo();
    expect(flattenRows(view, { ...options, sort: 'name' }, memo).map((row) => row.node.name)).toEqual(['a', 'b', 'd', 'big', 'mid', 'small']);
    expect(memo.bySize.get(view.root)).toBeUndefined();
  });
});
