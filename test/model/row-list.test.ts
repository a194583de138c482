import { describe, expect, it } from 'vitest';
import { rowCounts, rowList } from '../../src/model/row-list.js';
import { ALL_FOLDERS, NO_FOLDERS, createRowMemo, foldersOf, keptNodes, type RowOptions } from '../../src/model/tree-rows.js';
import { createTreeView, indexTree } from '../../src/model/tree-view.js';
import { analyseLayers, dir, file } from '../helpers/archives.js';

// Layer 0: var/cache/apt/archives/a.deb (3000 B), var/log/x.log (100 B), etc/passwd (20 B).
// Layer 1: etc/passwd rewritten (30 B), var/new.txt (7 B).
async function view() {
  const analysis = await analyseLayers([
    [dir('var'), dir('var/cache'), dir('var/cache/apt'), dir('var/cache/apt/archives'), file('var/cache/apt/archives/a.deb', 3000), dir('var/log'), file('var/log/x.log', 100), dir('etc'), file('etc/passwd', 20)],
    [dir('etc'), file('etc/passwd', 30), dir('var'), file('var/new.txt', 7)],
  ]);
  return createTreeView(indexTree(analysis.tree, analysis.flaggedPaths), 1, 'aggregated');
}

const line = (row: { depth: number; node: { path: string }; size: number; expanded: boolean } | undefined) =>
  row && `${'  '.repeat(row.depth)}${row.node.path} ${row.size}${row.expanded ? ' open' : ''}`;

describe('the rows as a list made on request', () => {
  it('lists every open folder in size order, by index, from any row, with each row’s folder', async () => {
    const shown = await view();
    const options: RowOptions = { expanded: ALL_FOLDERS, closedInFilter: NO_FOLDERS, sort: 'size', hidden: new Set(), onlyFlagged: false, filter: '' };
    const rows = rowList(rowCounts(shown, options, undefined), 'size', createRowMemo());
    // Sizes by hand: var = 3000 + 100 + 7, its cache 3000, then log 100, then new.txt 7; etc 30.
    const all = [
      'var 3107 open',
      '  var/cache 3000 open',
      '    var/cache/apt 3000 open',
      '      var/cache/apt/archives 3000 open',
      '        var/cache/apt/archives/a.deb 3000',
      '  var/log 100 open',
      '    var/log/x.log 100',
      '  var/new.txt 7',
      'etc 30 open',
      '  etc/passwd 30',
    ];
    expect(rows.length).toBe(10);
    expect(rows.slice(0, 10).map(line)).toEqual(all);
    expect(rows.slice(4, 8).map(line)).toEqual(all.slice(4, 8));
    expect(rows.slice(9, 50).map(line)).toEqual(all.slice(9));
    expect([...all.keys()].map((i) => line(rows.at(i)))).toEqual(all);
    expect(rows.at(10)).toBeUndefined();
    expect(rows.indexOf('var/log/x.log')).toBe(6);
    expect(rows.indexOf('etc')).toBe(8);
    expect(rows.indexOf('var/missing')).toBe(-1);
    expect(rows.parentOf(4)).toBe(3);
    expect(rows.parentOf(7)).toBe(0);
    expect(rows.parentOf(8)).toBeUndefined();
  });

  it('counts closed folders as one row, and keeps the counts when only the order changes', async () => {
    const shown = await view();
    const counts = rowCounts(shown, { expanded: foldersOf(['var']), closedInFilter: NO_FOLDERS, filter: '' }, undefined);
    const byName = rowList(counts, 'name', createRowMemo());
    expect(byName.slice(0, 10).map(line)).toEqual(['etc 30', 'var 3107 open', '  var/cache 3000', '  var/log 100', '  var/new.txt 7']);
    expect(byName.indexOf('var/cache/apt')).toBe(-1); // inside a closed folder
    expect(rowList(counts, 'size', createRowMemo()).slice(0, 10).map(line)).toEqual(['var 3107 open', '  var/cache 3000', '  var/log 100', '  var/new.txt 7', 'etc 30']);
  });

  it('shows what a filter keeps, its folders open unless closed', async () => {
    const shown = await view();
    const options: RowOptions = { expanded: NO_FOLDERS, closedInFilter: foldersOf(['var/cache']), sort: 'name', hidden: new Set(), onlyFlagged: false, filter: 'a' };
    const kept = keptNodes(shown, options);
    const rows = rowList(rowCounts(shown, options, kept), 'name', createRowMemo());
    // 'a' is in var/… and in etc/passwd: everything shows; var/cache stays closed.
    expect(rows.slice(0, 10).map(line)).toEqual(['etc 30 open', '  etc/passwd 30', 'var 3107 open', '  var/cache 3000', '  var/log 100 open', '    var/log/x.log 100', '  var/new.txt 7']);
  });
});
