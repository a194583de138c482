// Short texts the explorer's frame is made of, worked out from the state and the snapshot.
import type { ImageAnalysis } from '../src/analysis/analyse.js';
import type { ExploreSnapshot, LayerInfo } from '../src/explore-session.js';
import { formatBytes, safe, stringWidth } from './format.js';
import { layerLine } from './LayerList.js';
import type { Theme } from './theme.js';
import type { ExplorerState } from './use-explorer-state.js';

/** Columns the left pane's widest line wants: a layer row with its whole instruction, or a finding with its title. */
export function leftWidthWanted(layers: readonly LayerInfo[], analysis: ImageAnalysis | undefined, theme: Theme): number {
  let widest = 0;
  for (const layer of layers) widest = Math.max(widest, stringWidth(layerLine(layer, false, false, theme)));
  for (const finding of analysis?.findings ?? []) widest = Math.max(widest, 20 + stringWidth(safe(finding.title)));
  return widest;
}

/** The tree's title after the layer: mode, hidden kinds, toggles, sort, filter. */
export function treeTitle(state: ExplorerState, theme: Theme): string {
  const hidden = ['unchanged', 'added', 'modified', 'removed'].filter((kind) => state.hidden.has(kind as 'added'));
  // Most telling first: a narrow pane cuts the end.
  return [
    state.filter ? `filter "${safe(state.filter)}"` : '',
    state.onlyFlagged ? 'flagged only' : '',
    hidden.length > 0 ? `hiding ${hidden.join(', ')}` : '',
    state.mode === 'aggregated' ? 'all files' : 'changes only',
    `by ${state.sort}`,
  ]
    .filter(Boolean)
    .join(` ${theme.glyphs.dot} `);
}

/** How far loading is: bytes read of the expected, layers ready. */
export function progressText(data: ExploreSnapshot, theme: Theme): string {
  const { progress } = data;
  const of = progress.expectedBytes ? ` of ~${formatBytes(progress.expectedBytes)}` : '';
  return `reading ${safe(data.reference)}: ${formatBytes(progress.archiveBytes)}${of}, ${data.readyLayers}/${data.layers.length || '?'} layers ready${theme.glyphs.ellipsis}`;
}
