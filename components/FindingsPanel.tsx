import { Box, Text } from 'ink';
import type { ImageAnalysis } from '../src/analysis/analyse.js';
import { FLAGGED_BASE, REMOVABLE_OWN } from '../src/report/figure-labels.js';
import { cut, fit, formatBytes, pack, safe, wrapInto } from './format.js';
import type { Theme } from './theme.js';
import type { Cursor } from './use-explorer-state.js';

export type FindingsPanelProps = {
  /** The whole analysis; undefined while the image is still being read. */
  readonly analysis: ImageAnalysis | undefined;
  readonly cursor: Cursor;
  /** How its rows are spent (findingsLayout). */
  readonly layout: FindingsLayout;
  readonly height: number;
  readonly width: number;
  readonly focused: boolean;
  readonly theme: Theme;
};

/** How the panel's rows are spent: the summary lines, the list's rows, the advice lines. */
export interface FindingsLayout {
  readonly summary: readonly string[];
  readonly listRows: number;
  readonly advice: readonly string[];
}

/** The image summary (sizes, unreachable, removable, efficiency) and the findings list. */
export function FindingsPanel({ analysis, cursor, layout, height, width, focused, theme }: FindingsPanelProps) {
  const { glyphs } = theme;
  if (!analysis) return <Box height={height} width={width}><Text {...theme.muted}>{cut('Findings appear when the whole image is read.', width, glyphs.ellipsis)}</Text></Box>;
  const { findings } = analysis;
  const title = `${focused ? `${glyphs.focus} ` : '  '}Findings (${findings.length})${findings.length === 0 ? ': nothing matched a rule' : ''}`;
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      {layout.summary.map((line, i) => (
        <Text key={`s${i}`}>{line}</Text>
      ))}
      <Text bold {...(focused ? theme.accent : {})}>{cut(title, width, glyphs.ellipsis)}</Text>
      {findings.slice(cursor.top, cursor.top + layout.listRows).map((finding, i) => {
        const here = cursor.top + i === cursor.index;
        const where = finding.hiddenBy ? `${finding.layer.index}${glyphs.arrow}${finding.hiddenBy.index}` : `${finding.layer.index}`;
        const line = `${here && focused ? glyphs.cursor : ' '}${formatBytes(finding.bytes).padStart(8)} L${where.padEnd(5)} ${safe(finding.title)}`;
        return (
          <Text key={`${finding.ruleId}:${where}`} inverse={here && focused} bold={here} {...(finding.severity === 'low' ? theme.muted : {})}>
            {fit(line, width, glyphs.ellipsis)}
          </Text>
        );
      })}
      {layout.advice.map((line, i) => (
        <Text key={`a${i}`} {...theme.muted}>{line}</Text>
      ))}
    </Box>
  );
}

/** The summary packed into the width, the advice of the chosen finding when focused and there is room, the list in between. */
export function findingsLayout(analysis: ImageAnalysis | undefined, cursorIndex: number, height: number, width: number, focused: boolean, theme: Theme): FindingsLayout {
  if (!analysis) return { summary: [], listRows: 1, advice: [] };
  const { findings } = analysis;
  // The title and at least one finding keep their rows; the summary gets what is left, up to all of it.
  const summary = summaryLines(analysis, width, Math.max(0, height - 2), theme);
  const selected = findings[cursorIndex];
  const free = height - summary.length - 1;
  const advice = focused && selected && free >= 4 ? wrapInto(safe(`fix: ${selected.advice}`), width, Math.min(3, free - 2), '', theme.glyphs.ellipsis) : [];
  return { summary, listRows: Math.max(1, free - advice.length), advice };
}

/**
 * The image's figures in at most `rows` lines, the headline first: removable by editing your
 * Dockerfile with the base layers' flagged bytes beside it, worded as the Markdown report words
 * them (figure-labels.ts). The headline wraps; the rest are packed, and whole ones are left out
 * when they do not fit.
 */
export function summaryLines(analysis: ImageAnalysis, width: number, rows: number, theme: Theme): string[] {
  const { figures, dive, split } = analysis;
  const { dot, ellipsis } = theme.glyphs;
  const hasBase = split.boundary.layers > 0;
  const headline = `${REMOVABLE_OWN} ${formatBytes(split.own.removableBytes)}${hasBase ? ` (${FLAGGED_BASE.toLowerCase()} ${formatBytes(split.base.removableBytes)})` : ''}`;
  const lines = wrapInto(headline, width, rows, '', ellipsis);
  const rest = pack(
    [
      `Image ${formatBytes(figures.imageBytes)}${hasBase ? ` (base ${formatBytes(split.base.bytes)})` : ''}`,
      `final ${formatBytes(figures.finalBytes)}`,
      `unreachable ${formatBytes(figures.unreachableBytes)}`,
      `dive efficiency ${(dive.efficiency * 100).toFixed(1)} %`,
    ],
    width,
    ` ${dot} `,
  );
  return [...lines, ...rest].slice(0, rows);
}
