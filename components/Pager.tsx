import { Box, Text } from 'ink';
import { cut } from './format.js';
import type { Theme } from './theme.js';

export type PagerProps = {
  /** The title line: what is shown, and how to close it. */
  readonly title: string;
  /** Every line, each already cut to `width`. */
  readonly lines: readonly string[];
  /** Lines scrolled past. */
  readonly top: number;
  /** Rows for lines (the title is one more). */
  readonly height: number;
  readonly width: number;
  readonly focused: boolean;
  readonly theme: Theme;
};

/** A scrolled window of lines in place of the tree: a file's contents, or a layer's whole instruction. */
export function Pager({ title, lines, top, height, width, focused, theme }: PagerProps) {
  const { glyphs } = theme;
  const more = lines.length > height ? ` (${Math.min(lines.length, top + height)}/${lines.length})` : '';
  return (
    <Box flexDirection="column" width={width} height={height + 1} overflow="hidden">
      <Text bold {...theme.accent}>
        {cut(`${focused ? `${glyphs.focus} ` : '  '}${title}${more}`, width, glyphs.ellipsis)}
      </Text>
      {lines.slice(top, top + height).map((line, i) => (
        <Text key={top + i}>{line || ' '}</Text>
      ))}
    </Box>
  );
}
