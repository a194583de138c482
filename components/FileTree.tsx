import { Box, Text } from 'ink';
import type { Row } from '../src/model/tree-rows.js';
import type { ViewNode } from '../src/model/tree-view.js';
import { formatBytes, safe } from './format.js';
import type { Theme } from './theme.js';
import type { Cursor } from './use-explorer-state.js';

export type FileTreeProps = {
  /** Every row of the flattened tree; only the window from `cursor.top` renders. */
  readonly rows: readonly Row[];
  /** Whether a node has children to open (asked only for the rows on screen). */
  readonly hasChildren: (node: ViewNode) => boolean;
  readonly cursor: Cursor;
  readonly height: number;
  readonly width: number;
  readonly focused: boolean;
  /** The title line: layer, mode, toggles, filter. */
  readonly title: string;
  readonly theme: Theme;
};

const SIZE_WIDTH = 9;

/** The file tree window: a state marker and colour per row, indentation, size, finding marker. */
export function FileTree({ rows, hasChildren, cursor, height, width, focused, title, theme }: FileTreeProps) {
  const visible = rows.slice(cursor.top, cursor.top + height);
  return (
    <Box flexDirection="column" width={width} height={height + 1}>
      <Text bold {...(focused ? theme.accent : {})} wrap="truncate-end">
        {`${focused ? '» ' : '  '}${title}`}
      </Text>
      {visible.length === 0 ? <Text {...theme.muted}>(nothing to show)</Text> : null}
      {visible.map((row, i) => {
        const { node } = row;
        const selected = cursor.top + i === cursor.index;
        const opens = hasChildren(node);
        const folder = opens ? (row.expanded ? '▾ ' : '▸ ') : '  ';
        const link = node.linkTarget !== undefined ? ` → ${safe(node.linkTarget)}` : '';
        const name = `${selected && focused ? '›' : ' '} ${theme.marker(node.kind)} ${'  '.repeat(row.depth)}${folder}${safe(node.name)}${node.type === 'dir' && !opens ? '/' : ''}${link}`;
        return (
          <Box key={node.path} width={width}>
            <Box flexGrow={1} flexShrink={1} overflow="hidden">
              <Text {...theme.kind(node.kind)} inverse={selected && focused} bold={selected} strikethrough={node.kind === 'removed'} wrap="truncate-end">
                {name}
              </Text>
            </Box>
            <Box flexShrink={0}>
              <Text {...theme.warning}>{node.flagged ? ` ${theme.flagMarker}` : node.flaggedBelow ? ' ·' : '  '}</Text>
              <Text {...theme.muted}>{formatBytes(node.size).padStart(SIZE_WIDTH)}</Text>
            </Box>
          </Box>
        );
      })}
    </Box>
  );
}
