import { Box, Text, useApp } from 'ink';
import { useCallback, useMemo, useSyncExternalStore } from 'react';
import type { ExploreSession } from '../src/explore-session.js';
import type { ViewNode } from '../src/model/tree-view.js';
import { wrap } from './format.js';
import { HelpOverlay, helpLines } from './HelpOverlay.js';
import { MainScreen } from './MainScreen.js';
import { MIN_COLUMNS, MIN_ROWS, paneAt } from './layout.js';
import type { Theme } from './theme.js';
import { useExplorerFrame } from './use-explorer-frame.js';
import { useExplorerKeys } from './use-explorer-keys.js';
import { useExplorerState } from './use-explorer-state.js';
import { usePager } from './use-pager.js';
import { useReportExport, type ReportExport } from './use-report-export.js';
import { useTerminalSize } from './use-terminal-size.js';
import { useTreeCursor } from './use-tree-cursor.js';

export { MIN_COLUMNS, MIN_ROWS };
export type { ReportExport };

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
  const frame = useExplorerFrame(data, state, columns, screenRows, theme);
  const { layout, view, rows } = frame;
  const pager = usePager(session, state.view, data, layout.right.width, theme);
  // The help's lines only while it shows: wrapping them is work the first frame can do without.
  const help = useMemo(() => (state.help ? helpLines(columns, theme) : []), [state.help, columns, theme]);
  const hasChildren = useCallback((node: ViewNode) => (view ? view.children(node).length > 0 : false), [view]);
  const report = useReportExport(exportReport, data.analysis, dispatch);
  useTreeCursor({ rows, index: data.index, layer: frame.layer, state, dispatch, height: frame.heights.tree });
  useExplorerKeys(current, dispatch, {
    tooSmall: layout.tooSmall,
    rows,
    layerCount: data.layers.length,
    findings: data.analysis?.findings ?? [],
    heights: frame.heights,
    paneAt: (column, row) => paneAt(layout, column, row),
    hasChildren,
    pagerLines: pager.lines.length,
    helpLines: help.length,
    helpHeight: screenRows - 2,
    ...report,
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
  return <MainScreen data={data} state={state} frame={frame} pager={pager} hasChildren={hasChildren} theme={theme} />;
}
