import { describe, expect, it } from 'vitest';
import { flattenRows } from '../../src/model/row-list.js';
import { NO_FOLDERS, createRowMemo, foldersOf, keptNodes, type RowOptions } from '../../src/model/tree-rows.js';
import { createTreeView, indexTree, type ViewKind } from '../../src/model/tree-view.js';
import { analyseLayers, dir, file } from '../helpers/archives.js';

const none: RowOptions = { expanded: NO_FOLDERS, closedInFilter: NO_FOLDERS, sort: 'name', hidden: new Set(), onlyFlagged: false, filter: '' };

// Layer 0: var/cache/apt (a flagged .deb, 3000 B), var/log/x.log (100 B), etc/passwd (20 B).
// Layer 1: etc/passwd rewritten (30 B), var/new.txt (7 B).
async function view(layer: number) {
  const analysis = await analyseLayers([
    [dir('var'), dir('var/cache'), dir('var/cache/apt'), dir('var/cache/apt/archives'), file('var/cache/apt/archives/a.deb', 3000), dir('var/log'), file('var/log/x.log', 100), dir('etc'), file('etc/passwd', 20)],
    [dir('etc'), file('etc/passwd', 30), dir('var'), file('var/new.txt', 7)],
  ]);
  return createTreeView(indexTree(analysis.tree, analysis.flaggedPaths), layer, 'aggregated');
}

const names = (rows: ReturnType<typeof flattenRows>) => rows.map((row) => `${'  '.repeat(row.depth)}${row.node.name} ${row.size}`);

describe('the tree rows under filters and toggles', () => {
  it('shows only folders holding a flagged file with w, sized by what they show', async () => {
    const rows = flattenRows(await view(1), { ...none, onlyFlagged: true, expanded: foldersOf(['var', 'var/cache', 'var/cache/apt', 'var/cache/apt/archives']) });
    // var/log holds nothing flagged: gone; var weighs the .deb alone, not 3107 B. (etc/passwd is
    // flagged as overwritten: layer 1 rewrote it.)
    expect(names(rows)).toEqual(['etc 30', 'var 3000', '  cache 3000', '    apt 3000', '      archives 3000', '        a.deb 3000']);
  });

  it('sizes folders by the changes shown when unchanged files are hidden', async () => {
    const hidden = new Set<ViewKind>(['unchanged']);
    const rows = flattenRows(await view(1), { ...none, hidden, expanded: foldersOf(['etc', 'var']) });
    expect(names(rows)).toEqual(['etc 30', '  passwd 30', 'var 7', '  new.txt 7']);
  });

  it('keeps navigation with a filter: folders open, and each can be closed and opened again', async () => {
    const tree = await view(1);
    const open = flattenRows(tree, { ...none, filter: 'log' });
    expect(names(open)).toEqual(['var 100', '  log 100', '    x.log 100']);
    const closed = flattenRows(tree, { ...none, filter: 'log', closedInFilter: foldersOf(['var/log']) });
    expect(names(closed)).toEqual(['var 100', '  log 100']);
    expect(closed[1]?.expanded).toBe(false);
  });

  it('keeps nothing aside when no filter or toggle is on', async () => {
    expect(keptNodes(await view(0), none)).toBeUndefined();
  });
});

describe('the size order, kept in the memo the caller passes', () => {
  it('sorts a folder once per memo, and reads it back on the next flattening', async () => {
    const shown = await view(1);
    const memo = createRowMemo();
    const options: RowOptions = { ...none, sort: 'size', expanded: foldersOf(['var']) };
    flattenRows(shown, options, undefined, memo);
    const sorted = memo.bySize.get(shown.root);
    // var holds 3000 + 100 + 7 bytes, etc 30.
    expect(sorted?.map((node) => node.name)).toEqual(['var', 'etc']);
    flattenRows(shown, options, undefined, memo);
    expect(memo.bySize.get(shown.root)).toBe(sorted);
    expect(createRowMemo().bySize.get(shown.root)).toBeUndefined();
  });
});
