import { Box, Text } from 'ink';
import { KEYMAP } from './keymap.js';
import type { Theme } from './theme.js';

export type HelpOverlayProps = {
  readonly width: number;
  readonly theme: Theme;
};

/** Every key and what it does, generated from the keymap; markers and colours explained. */
export function HelpOverlay({ width, theme }: HelpOverlayProps) {
  const keyWidth = Math.max(...KEYMAP.map((binding) => binding.keys.length)) + 2;
  return (
    <Box flexDirection="column" width={width} borderStyle="round" paddingX={1}>
      <Text bold {...theme.accent}>Keys (? closes)</Text>
      {KEYMAP.map((binding) => (
        <Text key={binding.command} wrap="truncate-end">
          {`${binding.keys.padEnd(keyWidth)}${binding.description}`}
        </Text>
      ))}
      <Text> </Text>
      <Text wrap="truncate-end">
        <Text {...theme.kind('added')}>+ added</Text>  <Text {...theme.kind('modified')}>~ modified</Text>{'  '}
        <Text {...theme.kind('removed')}>- removed</Text>  {theme.flagMarker} flagged by a finding (· below)
      </Text>
    </Box>
  );
}
