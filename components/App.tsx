import { Box, Text, useApp } from 'ink';
import { useCallback, useMemo, useSyncExternalStore } from 'react';
import type { ExploreSession } from '../src/explore-session.js';
import { allDirectories } from '../src/model/tree-rows.js';
import type { ViewNode } from '../src/model/tree-view.js';
import { ComparisonView } from './ComparisonView.js';
import { FileTree, widestOwner } from './FileTree.js';
import { FindingsPanel, findingsLayout } from './FindingsPanel.js';
import { wrap } from './format.js';
import { HelpOverlay, helpLines } from './HelpOverlay.js';
import { computeLayout, MIN_COLUMNS, MIN_ROWS, paneAt } from './layout.js';
import { detailsLines, LayerDetails } from './LayerDetails.js';
import { LayerList } from './LayerList.js';
import { Pager } from './Pager.js';
import { StatusBar, statusRows } from './StatusBar.js';
import type { Theme } from './theme.js';
import { useExplorerKeys } from './use-explorer-keys.js';
import { moveCursor, useExplorerState } from './use-explorer-state.js';
import { usePager } from './use-pager.js';
import { useTerminalSize } from './use-terminal-size.js';
import { useTreeCursor } from './use-tree-cursor.js';
import { useTreeRows } from './use-tree-rows.js';
import { leftWidthWanted, treeTitle, progressText } from './screen-text.js';

export { MIN_COLUMNS, MIN_ROWS };

/** Writing the report: where it would go (and why there), and writing it to the path the user gave. */
export interface ReportExport {
  readonly suggest: () => { readonly path: string; readonly note?: string };
  /** Resolves with the path written; rejects with an error saying why not. */
  readonly write: (path: string) => Promise<string>;
}

export type AppProps = {
  /** The image being loaded and explored. */
  readonly session: ExploreSession;
  readonly exportReport: ReportExport;
  readonly theme: Theme;
};

/** The explorer: layers, details and findings on the left, the file tree on the right, every pane sized by one layout. */
export function App({ session, exportReport, theme }: AppProps) {
  const data = useSyncExternalStore(session.subscribe, session.getSnapshot);
  const { columns, rows: screenRows } = useTerminalSize();
  const [state, dispatch, current] = useExplorerState(0);
  const { exit } = useApp();
  const analysis = data.analysis;
  const leftWant = useMemo(() => leftWidthWanted(data.layers, analysis, theme), [data.layers, analysis, theme]);
  const layer = Math.min(state.layers.index, Math.max(0, data.layers.length - 1));
  const detailsWant = (width: number, cap: number): number => detailsLines(data.layers[layer], analysis?.layers[layer], cap, width, theme).length;
  const { view, rows } = useTreeRows(layer < data.readyLayers ? data.index : undefined, layer, state);
  const attributes = state.attributes && !state.view && !state.compare;
  const ownerWidth = useMemo(() => (attributes ? widestOwner(rows) : 0), [attributes, rows]);
  const layout = computeLayout(columns, screenRows, { layerCount: data.layers.length, leftWant, detailsWant, attributes, ownerWidth, statusRows: statusRows(state.prompt) });
  const left = layout.left.width;
  const findingsView = findingsLayout(analysis, state.findings.index, layout.findings, left, state.focus === 'findings', theme);
  const heights = { layers: layout.layers - 1, tree: layout.tree, findings: findingsView.listRows };
  // The cursors as drawn: re-clamped to this frame's sizes, so a resize never leaves a stale window.
  const cursors = {
    layers: moveCursor(state.layers, 0, data.layers.length, heights.layers),
    tree: moveCursor(state.tree, 0, rows.length, heights.tree),
    findings: moveCursor(state.findings, 0, analysis?.findings.length ?? 0, heights.findings),
  };
  const pager = usePager(session, state.view, data, layout.right.width, theme);
  const help = useMemo(() => helpLines(columns, theme), [columns, theme]);
  const hasChildren = useCallback((node: ViewNode) => (view ? view.children(node).length > 0 : false), [view]);
  const flaggedLayers = useMemo(() => new Set(analysis?.findings.map((f) => f.layer.index)), [analysis]);
  useTreeCursor({ rows, index: data.index, layer, state, dispatch, height: heights.tree });

  useExplorerKeys(current, dispatch, {
    tooSmall: layout.tooSmall,
    rows,
    layerCount: data.layers.length,
    findings: analysis?.findings ?? [],
    heights,
    paneAt: (column, row) => paneAt(layout, column, row),
    allDirectories: () => (view ? allDirectories(view) : new Set()),
    hasChildren,
    pagerLines: pager.lines.length,
    helpLines: help.length,
    helpHeight: screenRows - 2,
    startExport: () => {
      if (!analysis) return dispatch({ type: 'message', text: 'the report can be exported once the whole image is read' });
      const { path, note } = exportReport.suggest();
      dispatch({ type: 'startPrompt', text: path, ...(note ? { note } : {}) });
    },
    exportTo: (path) => {
      if (path.trim() === '') return dispatch({ type: 'message', text: 'export cancelled: no path given' });
      exportReport.write(path.trim()).then(
        (written) => dispatch({ type: 'message', text: `report written to ${written}` }),
        (error: unknown) => dispatch({ type: 'message', text: `export failed: ${error instanceof Error ? error.message : String(error)} (e to try another path)` }),
      );
    },
    quit: exit,
  });

  if (layout.tooSmall) {
    const text = `Terminal too small: layerscope needs ${MIN_COLUMNS}${theme.glyphs.times}${MIN_ROWS}, this one is ${columns}${theme.glyphs.times}${screenRows}. Enlarge it, or press q.`;
    return <Text>{wrap(text, columns).slice(0, Math.max(1, screenRows)).join('\n')}</Text>;
  }
  if (state.help) {
    return (
      <Box flexDirection="column" width={columns} height={screenRows}>
        <HelpOverlay lines={help} top={Math.min(state.helpTop, Math.max(0, help.length - (screenRows - 2)))} width={columns} height={screenRows - 2} theme={theme} />
      </Box>
    );
  }
  const loading = data.status !== 'ready';
  const progress = loading ? progressText(data, theme) : '';
  const title = layer < data.readyLayers ? `Layer ${layer} files ${theme.glyphs.dot} ${treeTitle(state, theme)}` : progress || `Layer ${layer}: reading${theme.glyphs.ellipsis}`;
  const treeFocused = state.focus === 'tree';
  const right = layout.right.width;
  return (
    <Box flexDirection="column" width={columns} height={screenRows}>
      <Box flexDirection="row" height={layout.body}>
        <Box flexDirection="column" width={left} height={layout.body}>
          <LayerList layers={data.layers} flagged={flaggedLayers} cursor={cursors.layers} height={heights.layers} width={left} focused={state.focus === 'layers'} theme={theme} />
          <LayerDetails layer={data.layers[layer]} summary={analysis?.layers[layer]} height={layout.details} width={left} theme={theme} />
          <FindingsPanel analysis={analysis} cursor={cursors.findings} layout={findingsView} height={layout.findings} width={left} focused={state.focus === 'findings'} theme={theme} />
        </Box>
        <Box width={1} />
        {state.view ? (
          <Pager title={pager.title} lines={pager.lines} top={state.view.top} height={layout.tree} width={right} focused={treeFocused} theme={theme} />
        ) : state.compare ? (
          <ComparisonView comparison={data.comparison} height={layout.tree} width={right} focused={treeFocused} theme={theme} />
        ) : (
          <FileTree rows={rows} hasChildren={hasChildren} cursor={cursors.tree} height={layout.tree} width={right} focused={treeFocused} attributes={layout.attributes} title={title} theme={theme} />
        )}
      </Box>
      <StatusBar message={state.message ?? (loading && layer < data.readyLayers ? progress : undefined)} filtering={state.filtering ? state.filter : undefined} prompt={state.prompt} width={columns} theme={theme} />
    </Box>
  );
}
