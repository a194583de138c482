import { Box, Text } from 'ink';
import { KEYMAP, type Binding } from './keymap.js';
import type { Theme } from './theme.js';

export type HelpOverlayProps = {
  readonly width: number;
  readonly height: number;
  readonly theme: Theme;
};

/** Every key and what it does, generated from the keymap (in two columns when one does not fit); markers explained. */
export function HelpOverlay({ width, height, theme }: HelpOverlayProps) {
  const keyWidth = Math.max(...KEYMAP.map((binding) => binding.keys.length)) + 2;
  // Border (2), title (1), blank and legend (2).
  const twoColumns = KEYMAP.length > height - 5;
  const columns: (readonly Binding[])[] = twoColumns ? [KEYMAP.slice(0, Math.ceil(KEYMAP.length / 2)), KEYMAP.slice(Math.ceil(KEYMAP.length / 2))] : [KEYMAP];
  return (
    <Box flexDirection="column" width={width} borderStyle="round" paddingX={1}>
      <Text bold {...theme.accent}>Keys (? closes)</Text>
      <Box flexDirection="row">
        {columns.map((bindings, i) => (
          <Box key={i} flexDirection="column" width={twoColumns ? Math.floor((width - 4) / 2) : width - 4}>
            {bindings.map((binding) => (
              <Text key={binding.command} wrap="truncate-end">
                {`${binding.keys.padEnd(keyWidth)}${binding.description}`}
              </Text>
            ))}
          </Box>
        ))}
      </Box>
      <Text> </Text>
      <Text wrap="truncate-end">
        <Text {...theme.kind('added')}>+ added</Text>  <Text {...theme.kind('modified')}>~ modified</Text>{'  '}
        <Text {...theme.kind('removed')}>- removed</Text>  {theme.flagMarker} flagged by a finding (· below)
      </Text>
    </Box>
  );
}
