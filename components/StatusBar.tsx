import { Box, Text } from 'ink';
import { cut, cutStart, safe } from './format.js';
import { statusHints } from './keymap.js';
import type { Theme } from './theme.js';

export type StatusBarProps = {
  /** A one-off message (export done, errors) shown instead of the hints, until the next key. */
  readonly message: string | undefined;
  /** The filter being typed, when the filter line is active. */
  readonly filtering: string | undefined;
  /** The export prompt: the path being typed, and why the default is what it is. */
  readonly prompt: { readonly text: string; readonly note?: string } | undefined;
  readonly width: number;
  readonly theme: Theme;
};

/** Rows the status bar takes: two for a prompt with a note, else one. */
export const statusRows = (prompt: StatusBarProps['prompt']): number => (prompt?.note ? 2 : 1);

/** The bottom line: the export prompt, the filter being typed, a message, or key hints from the keymap. */
export function StatusBar({ message, filtering, prompt, width, theme }: StatusBarProps) {
  const { glyphs } = theme;
  if (prompt !== undefined) {
    // Why this default, and the keys, on a line of their own; the end of the path being typed stays in view.
    const keys = '(Enter writes, Esc cancels)';
    const line = `write the report to: ${safe(prompt.text)}${glyphs.caret}${prompt.note ? '' : `  ${keys}`}`;
    return (
      <Box flexDirection="column">
        {prompt.note ? <Text {...theme.accent}>{cut(`${safe(prompt.note)}: proposing the temporary directory ${keys}`, width, glyphs.ellipsis)}</Text> : null}
        <Text {...theme.accent}>{cutStart(line, width, glyphs.ellipsis)}</Text>
      </Box>
    );
  }
  if (filtering !== undefined) return <Text>{cutStart(`filter: ${safe(filtering)}${glyphs.caret}  (Enter keeps, Esc clears)`, width, glyphs.ellipsis)}</Text>;
  if (message !== undefined) return <Text {...theme.accent}>{cut(safe(message), width, glyphs.ellipsis)}</Text>;
  return <Text {...theme.muted}>{cut(statusHints(width), width, glyphs.ellipsis)}</Text>;
}
