import { Box, Text, useApp } from 'ink';
import { useCallback, useEffect, useMemo, useSyncExternalStore } from 'react';
import type { ExploreSession } from '../src/explore-session.js';
import { allDirectories } from '../src/model/tree-rows.js';
import type { ViewNode } from '../src/model/tree-view.js';
import { ComparisonView } from './ComparisonView.js';
import { FileTree } from './FileTree.js';
import { contentLines, FileViewer } from './FileViewer.js';
import { useFileContent } from './use-file-content.js';
import { FindingsPanel } from './FindingsPanel.js';
import { formatBytes, safe } from './format.js';
import { HelpOverlay } from './HelpOverlay.js';
import { LayerDetails } from './LayerDetails.js';
import { LayerList } from './LayerList.js';
import { StatusBar } from './StatusBar.js';
import type { Theme } from './theme.js';
import { useExplorerKeys } from './use-explorer-keys.js';
import { useExplorerState } from './use-explorer-state.js';
import { useTerminalSize } from './use-terminal-size.js';
import { useTreeRows } from './use-tree-rows.js';

export type AppProps = {
  /** The image being loaded and explored. */
  readonly session: ExploreSession;
  /** Writes the Markdown report; resolves with where it went. */
  readonly exportReport: () => Promise<string>;
  readonly theme: Theme;
};

export const MIN_COLUMNS = 70;
export const MIN_ROWS = 16;
const DETAILS_ROWS = 6;

/** The explorer: layers, details and findings on the left, the file tree on the right. */
export function App({ session, exportReport, theme }: AppProps) {
  const data = useSyncExternalStore(session.subscribe, session.getSnapshot);
  const { columns, rows: screenRows } = useTerminalSize();
  const [state, dispatch, current] = useExplorerState(0);
  const { exit } = useApp();
  const layer = state.layers.index;
  const analysis = data.analysis;
  const { view, rows } = useTreeRows(layer < data.readyLayers ? data.index : undefined, layer, state);

  const height = screenRows - 1;
  const leftWidth = Math.max(34, Math.min(70, Math.floor(columns * 0.42)));
  const rightWidth = columns - leftWidth - 1;
  const layerRows = Math.max(3, Math.min(data.layers.length, Math.floor(height * 0.35)));
  const findingsRows = Math.max(3, height - layerRows - 1 - DETAILS_ROWS);
  const heights = { layers: layerRows, tree: height - 1, findings: Math.max(1, findingsRows - 4) };
  const content = useFileContent(session, state.view);
  const viewLines = useMemo(() => (content && !('error' in content) ? contentLines(content).length : 1), [content]);
  const hasChildren = useCallback((node: ViewNode) => (view ? view.children(node).length > 0 : false), [view]);
  const flaggedLayers = useMemo(() => new Set(analysis?.findings.map((f) => f.layer.index)), [analysis]);

  useExplorerKeys(current, dispatch, {
    rows,
    layerCount: data.layers.length,
    findings: analysis?.findings ?? [],
    heights,
    // Rows from 1: the layer list's title and rows, then details and findings; the tree on the right.
    paneAt: (column, row) => (column > leftWidth ? 'tree' : row <= layerRows + 1 ? 'layers' : 'findings'),
    allDirectories: () => (view ? allDirectories(view) : new Set()),
    hasChildren,
    viewLines,
    exportReport: () => {
      if (!analysis) return dispatch({ type: 'message', text: 'the report can be exported once the whole image is read' });
      exportReport().then(
        (path) => dispatch({ type: 'message', text: `report written to ${path}` }),
        (error: unknown) => dispatch({ type: 'message', text: `export failed: ${error instanceof Error ? error.message : String(error)}` }),
      );
    },
    quit: exit,
  });

  useEffect(() => {
    if (state.reveal === undefined || !view) return;
    const index = rows.findIndex((row) => row.node.path === state.reveal);
    if (index >= 0) dispatch({ type: 'revealed', index, count: rows.length, height: heights.tree });
  }, [state.reveal, rows, view, heights.tree]);

  if (columns < MIN_COLUMNS || screenRows < MIN_ROWS) {
    return <Text>{`Terminal too small: layerscope needs ${MIN_COLUMNS}×${MIN_ROWS}, this one is ${columns}×${screenRows}. Enlarge it, or press q.`}</Text>;
  }
  const loading = data.status !== 'ready';
  const progress = data.progress;
  const progressText = loading
    ? `reading ${safe(data.reference)}: ${formatBytes(progress.archiveBytes)}${progress.expectedBytes ? ` of ~${formatBytes(progress.expectedBytes)}` : ''}, ${data.readyLayers}/${data.layers.length || '?'} layers ready`
    : '';
  const toggles = [state.mode === 'aggregated' ? 'all files' : 'changes only', state.hideUnchanged ? 'hiding unchanged' : '', state.onlyFlagged ? 'flagged only' : '', `by ${state.sort}`, state.filter ? `filter "${safe(state.filter)}"` : '']
    .filter(Boolean)
    .join(' · ');
  const title = layer < data.readyLayers ? `Layer ${layer} files — ${toggles}` : progressText || `Layer ${layer}: reading…`;

  if (state.help) {
    return (
      <Box flexDirection="column" width={columns} height={screenRows}>
        <HelpOverlay width={columns} height={screenRows} theme={theme} />
      </Box>
    );
  }
  return (
    <Box flexDirection="column" width={columns} height={screenRows}>
      <Box flexDirection="row" height={height}>
        <Box flexDirection="column" width={leftWidth}>
          <LayerList layers={data.layers} flagged={flaggedLayers} cursor={state.layers} height={layerRows} width={leftWidth} focused={state.focus === 'layers'} theme={theme} />
          <LayerDetails layer={data.layers[layer]} summary={analysis?.layers[layer]} width={leftWidth} theme={theme} />
          <FindingsPanel analysis={analysis} cursor={state.findings} height={findingsRows} width={leftWidth} focused={state.focus === 'findings'} theme={theme} />
        </Box>
        <Box width={1} />
        {state.view ? (
          <FileViewer path={state.view.path} layer={state.view.layer} content={content} top={state.view.top} height={height - 1} width={rightWidth} theme={theme} />
        ) : state.compare ? (
          <ComparisonView comparison={data.comparison} height={height - 1} width={rightWidth} theme={theme} />
        ) : (
          <FileTree rows={rows} hasChildren={hasChildren} cursor={state.tree} height={height - 1} width={rightWidth} focused={state.focus === 'tree'} title={title} theme={theme} />
        )}
      </Box>
      <StatusBar message={state.message ?? (loading && layer < data.readyLayers ? progressText : undefined)} filtering={state.filtering ? state.filter : undefined} width={columns} theme={theme} />
    </Box>
  );
}
