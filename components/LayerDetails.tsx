import { Box, Text } from 'ink';
import type { LayerSummary } from '../src/analysis/analyse.js';
import type { LayerInfo } from '../src/explore-session.js';
import { formatBytes, safe } from './format.js';
import type { Theme } from './theme.js';

export type LayerDetailsProps = {
  /** The selected layer as the list knows it. */
  readonly layer: LayerInfo | undefined;
  /** Its full summary, once the whole image is read. */
  readonly summary: LayerSummary | undefined;
  readonly width: number;
  readonly theme: Theme;
};

/** The selected layer: digest, full instruction (wrapped, at most three lines), sizes and counts. */
export function LayerDetails({ layer, summary, width, theme }: LayerDetailsProps) {
  if (!layer) return <Text {...theme.muted}>No layer selected.</Text>;
  const instruction = safe(layer.instruction || (summary ? '(no instruction recorded: an imported or squashed layer)' : '(instruction not known yet)'));
  const lines = Math.max(1, Math.min(3, Math.ceil(instruction.length / Math.max(10, width))));
  return (
    <Box flexDirection="column" width={width}>
      <Text bold>Layer {layer.index}</Text>
      <Text wrap="truncate-end" {...theme.muted}>{layer.diffId}</Text>
      <Box height={lines}>
        <Text wrap="wrap">{instruction}</Text>
      </Box>
      <Text wrap="truncate-end">
        {summary
          ? `${formatBytes(summary.bytes)} · ${summary.entries.file} files · +${summary.changes.added} ~${summary.changes.modified} -${summary.changes.removed} · unreachable ${formatBytes(summary.unreachableBytes)}`
          : layer.ready
            ? `${formatBytes(layer.bytes)} · read`
            : 'reading…'}
      </Text>
    </Box>
  );
}
