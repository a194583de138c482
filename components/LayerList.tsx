import { Box, Text } from 'ink';
import type { LayerInfo } from '../src/explore-session.js';
import { cut, fit, formatBytes, safe, shortHashes } from './format.js';
import type { Theme } from './theme.js';
import type { Cursor } from './use-explorer-state.js';

export type LayerListProps = {
  /** Every layer known so far, in order. */
  readonly layers: readonly LayerInfo[];
  /** Layers with at least one finding, by index. */
  readonly flagged: ReadonlySet<number>;
  readonly cursor: Cursor;
  /** List rows (the title is one more). */
  readonly height: number;
  readonly width: number;
  readonly focused: boolean;
  readonly theme: Theme;
};

/** The layer list: index, size, a finding marker, the instruction. Only the visible rows render. */
export function LayerList({ layers, flagged, cursor, height, width, focused, theme }: LayerListProps) {
  const { glyphs } = theme;
  const rows = layers.slice(cursor.top, cursor.top + height);
  const title = `${focused ? `${glyphs.focus} ` : '  '}Layers${layers.length > height ? ` (${cursor.index + 1}/${layers.length})` : ''}`;
  return (
    <Box flexDirection="column" width={width} height={height + 1} overflow="hidden">
      <Text bold {...(focused ? theme.accent : {})}>
        {cut(title, width, glyphs.ellipsis)}
      </Text>
      {rows.map((layer) => {
        const selected = layer.index === cursor.index;
        return (
          <Text key={layer.index} inverse={selected && focused} bold={selected} dimColor={!layer.ready}>
            {fit(layerLine(layer, selected, flagged.has(layer.index), theme), width, glyphs.ellipsis)}
          </Text>
        );
      })}
    </Box>
  );
}

/** One layer's row, uncut: how wide the left pane would like to be is measured on it. */
export function layerLine(layer: LayerInfo, selected: boolean, flagged: boolean, theme: Theme): string {
  const { glyphs } = theme;
  const instruction = layer.instruction ? shortHashes(safe(layer.instruction.replace(/\s+/g, ' ')), glyphs.ellipsis) : layer.ready ? '(no instruction)' : glyphs.ellipsis;
  return `${selected ? glyphs.cursor : ' '}${String(layer.index).padStart(3)} ${formatBytes(layer.bytes, glyphs.ellipsis).padStart(8)} ${flagged ? theme.flagMarker : ' '} ${instruction}`;
}
