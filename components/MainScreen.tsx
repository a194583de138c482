import { Box } from 'ink';
import { useMemo } from 'react';
import type { ExploreSnapshot } from '../src/explore-session.js';
import type { ViewNode } from '../src/model/tree-view.js';
import { ComparisonView } from './ComparisonView.js';
import { FileTree } from './FileTree.js';
import { FindingsPanel } from './FindingsPanel.js';
import { LayerDetails } from './LayerDetails.js';
import { LayerList } from './LayerList.js';
import { Pager } from './Pager.js';
import { progressText, treeTitle } from './screen-text.js';
import { StatusBar } from './StatusBar.js';
import type { Theme } from './theme.js';
import type { ExplorerFrame } from './use-explorer-frame.js';
import type { ExplorerState } from './use-explorer-state.js';
import type { PagerText } from './use-pager.js';

export type MainScreenProps = {
  /** The image as read so far. */
  readonly data: ExploreSnapshot;
  readonly state: ExplorerState;
  /** This frame's layout, rows and cursors (useExplorerFrame). */
  readonly frame: ExplorerFrame;
  /** The file viewer's or instruction's text, when one is open. */
  readonly pager: PagerText;
  readonly hasChildren: (node: ViewNode) => boolean;
  readonly theme: Theme;
};

/** The explorer's main screen: layers, details and findings on the left; the tree, a file or the comparison on the right; the status bar. */
export function MainScreen({ data, state, frame, pager, hasChildren, theme }: MainScreenProps) {
  const { layout, layer, rows, cursors, heights } = frame;
  const { analysis } = data;
  const flaggedLayers = useMemo(() => new Set(analysis?.findings.map((f) => f.layer.index)), [analysis]);
  const loading = data.status !== 'ready';
  const progress = loading ? progressText(data, theme) : '';
  const title = layer < data.readyLayers ? `Layer ${layer} files ${theme.glyphs.dot} ${treeTitle(state, theme)}` : progress || `Layer ${layer}: reading${theme.glyphs.ellipsis}`;
  const treeFocused = state.focus === 'tree';
  const { width: left } = layout.left;
  const { width: right } = layout.right;
  return (
    <Box flexDirection="column" width={layout.columns} height={layout.rows}>
      <Box flexDirection="row" height={layout.body}>
        <Box flexDirection="column" width={left} height={layout.body}>
          <LayerList layers={data.layers} flagged={flaggedLayers} cursor={cursors.layers} height={heights.layers} width={left} focused={state.focus === 'layers'} theme={theme} />
          <LayerDetails layer={data.layers[layer]} summary={analysis?.layers[layer]} height={layout.details} width={left} theme={theme} />
          <FindingsPanel analysis={analysis} cursor={cursors.findings} layout={frame.findings} height={layout.findings} width={left} focused={state.focus === 'findings'} theme={theme} />
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
      <StatusBar message={state.message ?? (loading && layer < data.readyLayers ? progress : undefined)} filtering={state.filtering ? state.filter : undefined} prompt={state.prompt} width={layout.columns} theme={theme} />
    </Box>
  );
}
