// What one frame of the explorer shows, worked out from the snapshot, the state and the terminal
// size: the layout, the selected layer, its tree rows, how the findings pane spends its rows, and
// the cursors as drawn. Rendering and the keys read the same value.
import { useMemo } from 'react';
import type { ExploreSnapshot } from '../src/explore-session.js';
import type { RowList } from '../src/model/row-list.js';
import type { TreeView } from '../src/model/tree-view.js';
import { widestOwner } from './FileTree.js';
import { findingsLayout, type FindingsLayout } from './FindingsPanel.js';
import { computeLayout, type Layout } from './layout.js';
import { detailsLines } from './LayerDetails.js';
import { leftWidthWanted } from './screen-text.js';
import { statusRows } from './StatusBar.js';
import type { Theme } from './theme.js';
import { moveCursor, type Cursor, type ExplorerState, type Pane } from './use-explorer-state.js';
import { useTreeRows } from './use-tree-rows.js';

export interface ExplorerFrame {
  readonly layout: Layout;
  /** The selected layer, clamped to the layers known so far. */
  readonly layer: number;
  readonly view: TreeView | undefined;
  readonly rows: RowList;
  readonly findings: FindingsLayout;
  /** List rows each pane shows. */
  readonly heights: Readonly<Record<Pane, number>>;
  /** The cursors as drawn: re-clamped to this frame's sizes, so a resize never leaves a stale window. */
  readonly cursors: Readonly<Record<Pane, Cursor>>;
}

export function useExplorerFrame(data: ExploreSnapshot, state: ExplorerState, columns: number, rows: number, theme: Theme): ExplorerFrame {
  const { analysis } = data;
  const leftWant = useMemo(() => leftWidthWanted(data.layers, analysis, theme), [data.layers, analysis, theme]);
  const layer = Math.min(state.layers.index, Math.max(0, data.layers.length - 1));
  const tree = useTreeRows(layer < data.readyLayers ? data.index : undefined, layer, state);
  const attributes = state.attributes && !state.view && !state.compare;
  const ownerWidth = useMemo(() => (attributes ? widestOwner(tree.rows) : 0), [attributes, tree.rows]);
  const layout = computeLayout(columns, rows, {
    layerCount: data.layers.length,
    leftWant,
    detailsWant: (width, cap) => detailsLines(data.layers[layer], analysis?.layers[layer], cap, width, theme).length,
    attributes,
    ownerWidth,
    statusRows: statusRows(state.prompt),
  });
  const findings = findingsLayout(analysis, state.findings.index, layout.findings, layout.left.width, state.focus === 'findings', theme);
  const heights = { layers: layout.layers - 1, tree: layout.tree, findings: findings.listRows };
  const cursors = {
    layers: moveCursor(state.layers, 0, data.layers.length, heights.layers),
    tree: moveCursor(state.tree, 0, tree.rows.length, heights.tree),
    findings: moveCursor(state.findings, 0, analysis?.findings.length ?? 0, heights.findings),
  };
  return { layout, layer, view: tree.view, rows: tree.rows, findings, heights, cursors };
}
