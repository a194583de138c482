import { Box, Text } from 'ink';
import type { RowList } from '../src/model/row-list.js';
import type { ViewNode } from '../src/model/tree-view.js';
import type { Entry } from '../src/model/types.js';
import { MODE_WIDTH, TIME_WIDTH, type AttributeColumn, type AttributeLayout } from './layout.js';
import { cut, cutStart, fit, formatBytes, safe, stringWidth } from './format.js';
import type { Theme } from './theme.js';
import type { Cursor } from './use-explorer-state.js';

export type FileTreeProps = {
  /** Every row of the tree, made on request; only the window from `cursor.top` is asked for. */
  readonly rows: RowList;
  /** Whether a node has children to open (asked only for the rows on screen). */
  readonly hasChildren: (node: ViewNode) => boolean;
  readonly cursor: Cursor;
  /** List rows (the title is one more). */
  readonly height: number;
  readonly width: number;
  readonly focused: boolean;
  /** Which permission, owner and time columns fit (layout.ts); none while they are off. */
  readonly attributes: AttributeLayout;
  /** The title line: layer, mode, toggles, filter. */
  readonly title: string;
  readonly theme: Theme;
};

const SIZE_WIDTH = 9;

/** The file tree window: a state marker and colour per row, indentation, attributes, flag, size. */
export function FileTree({ rows, hasChildren, cursor, height, width, focused, attributes, title, theme }: FileTreeProps) {
  const { glyphs } = theme;
  const visible = rows.slice(cursor.top, cursor.top + height);
  const deepest = visible.reduce((most, row) => Math.max(most, row.depth), 0);
  // Deep trees in narrow panes indent one column a level; past what leaves a name 14 columns (8
  // beside the attribute columns, so a shallow tree keeps its shape), the indentation is cut at
  // its start (marked), so names stay readable at any depth.
  const nameRoom = width - 2 - SIZE_WIDTH - attributes.width;
  const unit = deepest * 2 > (nameRoom - 13) / 2 ? 1 : 2;
  const indentRoom = Math.max(0, nameRoom - 6 - (attributes.width ? 8 : 14));
  const indentOf = (depth: number): string => (depth * unit <= indentRoom ? ' '.repeat(depth * unit) : cutStart(' '.repeat(depth * unit), indentRoom, glyphs.ellipsis));
  return (
    <Box flexDirection="column" width={width} height={height + 1} overflow="hidden">
      <Text bold {...(focused ? theme.accent : {})}>
        {cut(`${focused ? `${glyphs.focus} ` : '  '}${title}`, width, glyphs.ellipsis)}
      </Text>
      {visible.length === 0 ? <Text {...theme.muted}>{cut('(nothing to show)', width)}</Text> : null}
      {visible.map((row, i) => {
        const { node } = row;
        const selected = cursor.top + i === cursor.index;
        const opens = hasChildren(node);
        const folder = opens ? `${row.expanded ? glyphs.open : glyphs.closed} ` : '  ';
        const link = node.linkTarget !== undefined ? ` ${glyphs.arrow} ${safe(node.linkTarget)}` : '';
        const name = `${selected && focused ? glyphs.cursor : ' '} ${theme.marker(node.kind)} ${indentOf(row.depth)}${folder}${safe(node.name)}${node.type === 'dir' && !opens ? '/' : ''}${link}`;
        const columns = attributeText(node.entry, attributes);
        const flag = node.flagged ? ` ${theme.flagMarker}` : node.flaggedBelow ? ` ${glyphs.flaggedBelow}` : '  ';
        const size = formatBytes(row.size).padStart(SIZE_WIDTH);
        const nameWidth = Math.max(0, width - stringWidth(columns) - 2 - SIZE_WIDTH);
        return (
          <Text key={node.path}>
            <Text {...theme.kind(node.kind)} inverse={selected && focused} bold={selected} strikethrough={node.kind === 'removed'}>
              {fit(name, nameWidth, glyphs.ellipsis)}
            </Text>
            <Text {...theme.muted}>{columns}</Text>
            <Text {...theme.warning}>{flag}</Text>
            <Text {...theme.muted}>{size}</Text>
          </Text>
        );
      })}
    </Box>
  );
}

/** dive's attribute columns that fit, each after a space: ` -rwxr-xr-x 1000:1000 2024-05-01 12:30` (UTC); blank for a folder no layer wrote. */
function attributeText(entry: Entry | undefined, attributes: AttributeLayout): string {
  return attributes.columns.map((column) => ` ${attributeCell(entry, column, attributes.ownerWidth)}`).join('');
}

function attributeCell(entry: Entry | undefined, column: AttributeColumn, ownerWidth: number): string {
  switch (column) {
    case 'mode':
      return entry ? modeText(entry) : ' '.repeat(MODE_WIDTH);
    case 'owner':
      return (entry ? ownerText(entry) : '').padStart(ownerWidth);
    case 'time':
      return entry?.mtime === undefined ? ' '.repeat(TIME_WIDTH) : new Date(entry.mtime * 1000).toISOString().slice(0, 16).replace('T', ' ');
  }
}

/** `ls -l`'s mode: type letter, then rwx triples with setuid, setgid and sticky in the execute places. */
function modeText(entry: Entry): string {
  const type = entry.type === 'dir' ? 'd' : entry.type === 'symlink' ? 'l' : entry.type === 'other' ? '?' : '-';
  const bits = 'rwxrwxrwx'.split('').map((letter, i) => (entry.mode & (1 << (8 - i)) ? letter : '-'));
  if (entry.mode & 0o4000) bits[2] = bits[2] === 'x' ? 's' : 'S';
  if (entry.mode & 0o2000) bits[5] = bits[5] === 'x' ? 's' : 'S';
  if (entry.mode & 0o1000) bits[8] = bits[8] === 'x' ? 't' : 'T';
  return `${type}${bits.join('')}`;
}

const ownerText = (entry: Entry): string => `${entry.uid}:${entry.gid}`;

/** Columns the owner column needs for these rows: their widest `uid:gid` (the layout sizes the column by it). */
export function widestOwner(rows: RowList): number {
  let widest = 3;
  for (const { node } of rows.slice(0, rows.length)) if (node.entry) widest = Math.max(widest, ownerText(node.entry).length);
  return widest;
}
