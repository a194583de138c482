import { Box, Text } from 'ink';
import type { LayerInfo } from '../src/explore-session.js';
import { formatBytes, safe } from './format.js';
import type { Theme } from './theme.js';
import type { Cursor } from './use-explorer-state.js';

export type LayerListProps = {
  /** Every layer known so far, in order. */
  readonly layers: readonly LayerInfo[];
  /** Layers with at least one finding, by index. */
  readonly flagged: ReadonlySet<number>;
  readonly cursor: Cursor;
  readonly height: number;
  readonly width: number;
  readonly focused: boolean;
  readonly theme: Theme;
};

/** The layer list: index, size, a finding marker, the instruction. Only the visible rows render. */
export function LayerList({ layers, flagged, cursor, height, width, focused, theme }: LayerListProps) {
  const rows = layers.slice(cursor.top, cursor.top + height);
  return (
    <Box flexDirection="column" width={width} height={height + 1}>
      <Text bold {...(focused ? theme.accent : {})}>
        {focused ? '» ' : '  '}Layers{layers.length > height ? ` (${cursor.index + 1}/${layers.length})` : ''}
      </Text>
      {rows.map((layer) => {
        const selected = layer.index === cursor.index;
        const mark = flagged.has(layer.index) ? theme.flagMarker : ' ';
        return (
          <Text key={layer.index} inverse={selected && focused} bold={selected} wrap="truncate-end" dimColor={!layer.ready}>
            {`${selected ? '›' : ' '}${String(layer.index).padStart(3)} ${formatBytes(layer.bytes).padStart(8)} ${mark} ${safe(layer.instruction || (layer.ready ? '(no instruction)' : '…'))}`}
          </Text>
        );
      })}
    </Box>
  );
}
