import { Box, Text } from 'ink';
import type { ImageAnalysis } from '../src/analysis/analyse.js';
import { formatBytes, safe } from './format.js';
import type { Theme } from './theme.js';
import type { Cursor } from './use-explorer-state.js';

export type FindingsPanelProps = {
  /** The whole analysis; undefined while the image is still being read. */
  readonly analysis: ImageAnalysis | undefined;
  readonly cursor: Cursor;
  readonly height: number;
  readonly width: number;
  readonly focused: boolean;
  readonly theme: Theme;
};

/** The image summary (sizes, unreachable, removable, efficiency) and the findings list. */
export function FindingsPanel({ analysis, cursor, height, width, focused, theme }: FindingsPanelProps) {
  if (!analysis) return <Text {...theme.muted}>Findings appear when the whole image is read.</Text>;
  const { figures, dive, findings, split } = analysis;
  const base = split.boundary.layers > 0 ? ` (base ${formatBytes(split.base.bytes)})` : '';
  const selected = findings[cursor.index];
  const listHeight = Math.max(1, height - 4);
  return (
    <Box flexDirection="column" width={width}>
      <Text wrap="truncate-end">
        {`Image ${formatBytes(figures.imageBytes)}${base} · final ${formatBytes(figures.finalBytes)} · unreachable ${formatBytes(figures.unreachableBytes)}`}
      </Text>
      <Text wrap="truncate-end">
        {`Removable in your layers ${formatBytes(split.own.removableBytes)}${split.boundary.layers > 0 ? ` (+${formatBytes(split.base.removableBytes)} in the base)` : ''} · dive efficiency ${(dive.efficiency * 100).toFixed(1)}%`}
      </Text>
      <Text bold {...(focused ? theme.accent : {})}>{`${focused ? '» ' : '  '}Findings (${findings.length})`}</Text>
      {findings.slice(cursor.top, cursor.top + listHeight).map((finding, i) => {
        const here = cursor.top + i === cursor.index;
        const where = finding.hiddenBy ? `${finding.layer.index}→${finding.hiddenBy.index}` : `${finding.layer.index}`;
        return (
          <Text key={`${finding.ruleId}:${where}`} inverse={here && focused} bold={here} wrap="truncate-end" {...(finding.severity === 'low' ? theme.muted : {})}>
            {`${here && focused ? '›' : ' '}${formatBytes(finding.bytes).padStart(8)} L${where.padEnd(5)} ${safe(finding.title)}`}
          </Text>
        );
      })}
      {focused && selected ? (
        <Text wrap="wrap" {...theme.muted}>
          {safe(finding(selected.advice))}
        </Text>
      ) : null}
    </Box>
  );
}

function finding(advice: string): string {
  return `fix: ${advice}`;
}
