import { Text } from 'ink';
import { statusHints } from './keymap.js';
import { safe } from './format.js';
import type { Theme } from './theme.js';

export type StatusBarProps = {
  /** A one-off message (export done, errors) shown instead of the hints. */
  readonly message: string | undefined;
  /** The filter being typed, when the filter line is active. */
  readonly filtering: string | undefined;
  readonly width: number;
  readonly theme: Theme;
};

/** The bottom line: key hints from the keymap, or the filter being typed, or a message. */
export function StatusBar({ message, filtering, width, theme }: StatusBarProps) {
  if (filtering !== undefined) return <Text wrap="truncate-end">{`filter: ${safe(filtering)}▏ (Enter keep, Esc clear)`}</Text>;
  if (message !== undefined) return <Text {...theme.accent} wrap="truncate-end">{safe(message)}</Text>;
  return <Text {...theme.muted} wrap="truncate-end">{statusHints(width)}</Text>;
}
