// Paths as deep as an image likes (issue 11 item 10): no walk may recurse once per directory
// level, so 10,000 nested directories — deeper than Node's call stack allows for recursion —
// go through the parser, the figures, dive's figures, both reports and the explorer's views.

import { describe, expect, it } from 'vitest';
import { analyseImage } from '../../src/analysis/analyse.js';
import { indexTree, warmTreeIndex, createTreeView } from '../../src/model/tree-view.js';
import { flattenRows } from '../../src/model/row-list.js';
import { ALL_FOLDERS, NO_FOLDERS } from '../../src/model/tree-rows.js';
import { jsonReport } from '../../src/report/json.js';
import { markdownReport } from '../../src/report/markdown.js';
import { file, parseSpec, whiteout } from '../helpers/archives.js';

const DEPTH = 10_000;
const deepPath = (top: string, depth: number): string => `${top}${'/d'.repeat(depth - 1)}`;

describe('a tree 10,000 directories deep', () => {
  it('is read, analysed, reported and viewed without overflowing the stack', async () => {
    // Only the deepest paths are written: their parents are created as on extraction, which keeps
    // the archive small (an entry per level would be 100 MB of tar headers).
    const bottom = deepPath('a', DEPTH);
    const middle = deepPath('a', 5000);
    const image = await parseSpec({
      layout: 'docker-save',
      images: [
        {
          layers: [
            [file(`${bottom}/kept`, 10), file(`${middle}/gone`, 7)],
            [whiteout(middle), file(`${bottom.replace(/^a/, 'b')}`, 3)],
          ],
        },
      ],
    });
    const analysis = analyseImage(image);
    // Layer 1 removed everything from depth 5,000 down: `kept` (10) and `gone` (7) are unreachable;
    // the final tree holds b/d/…/d (3 bytes). Directories made on extraction are not entries, so
    // the removed paths are the two files.
    expect(analysis.figures).toMatchObject({ imageBytes: 20, finalBytes: 3, unreachableBytes: 17, finalFiles: 1 });
    expect(analysis.layers[1]?.changes.removed).toBe(2);
    expect(analysis.dive.efficiency).toBeGreaterThan(0);
    expect(jsonReport(analysis, { source: { kind: 'docker-archive', reference: 'deep.tar' }, toolVersion: '0', top: 5 })).toContain('"finalBytes": 3');
    expect(markdownReport(analysis, { reference: 'deep.tar', top: 5 })).toContain('deep.tar');

    const index = warmTreeIndex(indexTree(analysis.tree, analysis.flaggedPaths));
    for (const mode of ['aggregated', 'changes'] as const) {
      const view = createTreeView(index, 0, mode);
      const rows = flattenRows(view, { expanded: ALL_FOLDERS, closedInFilter: NO_FOLDERS, sort: 'size', hidden: new Set(), onlyFlagged: false, filter: '' });
      expect(rows.find((row) => row.node.name === 'kept')?.depth).toBe(DEPTH);
      const filtered = flattenRows(view, { expanded: NO_FOLDERS, closedInFilter: NO_FOLDERS, sort: 'name', hidden: new Set(), onlyFlagged: false, filter: 'gone' });
      expect(filtered.at(-1)?.node.name).toBe('gone');
    }
    const after = createTreeView(index, 1, 'changes');
    const changes = flattenRows(after, { expanded: ALL_FOLDERS, closedInFilter: NO_FOLDERS, sort: 'name', hidden: new Set(['unchanged' as const]), onlyFlagged: false, filter: '' });
    expect(changes.find((row) => row.node.name === 'kept')).toMatchObject({ depth: DEPTH, node: { kind: 'removed', size: 10 } });
    expect(changes.at(-1)).toMatchObject({ depth: DEPTH - 1, node: { name: 'd', kind: 'added', size: 3 } });
  }, 120_000);
});
