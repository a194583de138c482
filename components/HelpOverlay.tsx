import { Box, Text } from 'ink';
import { cut, wrap } from './format.js';
import { KEYMAP, modeHints } from './keymap.js';
import { FLAGGED_BASE, REMOVABLE_OWN } from '../src/report/figure-labels.js';
import type { Theme } from './theme.js';

export type HelpOverlayProps = {
  /** Every line (helpLines), scrolled `top` lines. */
  readonly lines: readonly string[];
  readonly top: number;
  readonly width: number;
  /** Rows for lines: the title and the last line are two more. */
  readonly height: number;
  readonly theme: Theme;
};

/** The help, full screen and scrollable: nothing behind it takes keys. */
export function HelpOverlay({ lines, top, width, height, theme }: HelpOverlayProps) {
  const { glyphs } = theme;
  const where = lines.length > height ? ` ${Math.min(lines.length, top + height)}/${lines.length}, Up/Down PgUp/PgDn scroll` : '';
  return (
    <Box flexDirection="column" width={width} height={height + 2} overflow="hidden">
      <Text bold {...theme.accent}>{cut(`${glyphs.focus} Help (Esc or ? closes, q quits)${where}`, width, glyphs.ellipsis)}</Text>
      {lines.slice(top, top + height).map((line, i) => (
        <Text key={top + i}>{line || ' '}</Text>
      ))}
      {Array.from({ length: Math.max(0, height - lines.slice(top, top + height).length) }, (_, i) => (
        <Text key={`pad${i}`}> </Text>
      ))}
      <Text {...theme.muted}>{cut(`+ added  ~ modified  - removed  ${theme.flagMarker} flagged by a finding  ${glyphs.flaggedBelow} a folder holding some`, width, glyphs.ellipsis)}</Text>
    </Box>
  );
}

/** The help's lines at a width: the keys (from the keymap), dive's aliases, each mode's keys, and what the figures mean. */
export function helpLines(width: number, theme: Theme): string[] {
  const { glyphs } = theme;
  const main = KEYMAP.filter((binding) => binding.modes.includes('main') && !binding.dive && binding.command !== 'wheel');
  const keyWidth = Math.max(...main.map((binding) => binding.keys.length)) + 2;
  const row = (keys: string, text: string): string[] => {
    const wrapped = wrap(text, Math.max(10, width - keyWidth));
    return wrapped.map((line, i) => cut(`${(i === 0 ? `${keys} ` : '').padEnd(keyWidth)}${line}`, width, glyphs.ellipsis));
  };
  const paragraph = (text: string): string[] => [...wrap(text, width), ''];
  return [
    'Keys',
    ...main.flatMap((binding) => row(binding.keys, binding.description)),
    ...row('wheel', 'move in the pane under the pointer'),
    '',
    ...KEYMAP.filter((binding) => binding.dive).flatMap((binding) => row(`dive: ${binding.keys}`, binding.description)),
    ...row('dive: Ctrl-M', 'is Enter to a terminal: ~ hides modified files'),
    ...row('dive: Left Right h l PgUp PgDn', 'as in dive (above)'),
    '',
    ...row('filter, export', modeHints('filter', glyphs.dot)),
    ...row('file viewer', `Up Down PgUp PgDn scroll ${glyphs.dot} ${modeHints('viewer', glyphs.dot)}`),
    '',
    'What the figures mean',
    ...paragraph(`Unreachable: bytes a layer ships that the final image does not show (deleted or overwritten by a later layer). They still cost download and disk: image = final + unreachable.`),
    ...paragraph(`${REMOVABLE_OWN}: bytes of files your own layers added, still in the final image, that a finding's rule matches (caches, toolchains, build context, temp files, docs), each file counted once. Beside it, ${FLAGGED_BASE.toLowerCase()}: the same for the base image's layers, which only another base removes.`),
    ...paragraph(`dive efficiency: dive's own figure, computed as dive does (per path, the smallest copy over all copies), so a .dive-ci threshold means the same. It misses folders deleted with rm -rf and counts the copy still in use as waste; unreachable does not.`),
    ...paragraph(`L5${glyphs.arrow}8 in the findings: files layer 5 added and layer 8 deleted or overwrote (unreachable). L5 alone: files layer 5 added that are still in the final image.`),
    ...paragraph(`Files and paths: a layer's files are the regular files in its tar; paths +added ~modified -removed count every path it changed (files, folders, links).`),
  ];
}
