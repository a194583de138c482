import { Box, Text } from 'ink';
import type { FileContent } from '../src/archive/read-file-content.js';
import { formatBytes, safe } from './format.js';
import type { Theme } from './theme.js';

export type FileViewerProps = {
  /** The file being shown, as a layer wrote it. */
  readonly path: string;
  readonly layer: number;
  /** Its content: undefined while it is read, an error message when it could not be. */
  readonly content: FileContent | undefined | { readonly error: string };
  /** Lines scrolled past. */
  readonly top: number;
  readonly height: number;
  readonly width: number;
  readonly theme: Theme;
};

/** A file's first bytes in place of the tree: text as lines (control characters made visible), anything else as hex. */
export function FileViewer({ path, layer, content, top, height, width, theme }: FileViewerProps) {
  const lines = content === undefined ? ['Reading the file from the image…'] : 'error' in content ? [safe(content.error)] : contentLines(content);
  const size = content !== undefined && !('error' in content) ? ` · ${formatBytes(content.size)}${content.size > content.bytes.length ? `, first ${formatBytes(content.bytes.length)}` : ''}` : '';
  return (
    <Box flexDirection="column" width={width} height={height + 1}>
      <Text bold {...theme.accent} wrap="truncate-end">
        {`» /${safe(path)} (layer ${layer}${size}) — v or Esc closes`}
      </Text>
      {lines.slice(top, top + height).map((line, i) => (
        <Text key={top + i} wrap="truncate-end">
          {line || ' '}
        </Text>
      ))}
    </Box>
  );
}

/** The lines to show: text when the bytes read as UTF-8 text, else a hex dump, 16 bytes a line. */
export function contentLines(content: FileContent): string[] {
  const { bytes } = content;
  if (bytes.length === 0) return ['(empty file)'];
  if (looksLikeText(bytes)) return bytes.toString('utf8').replace(/\t/g, '    ').split('\n').map((line) => safe(line));
  const lines: string[] = [];
  for (let offset = 0; offset < bytes.length; offset += 16) {
    const row = bytes.subarray(offset, offset + 16);
    const hex = [...row].map((byte) => byte.toString(16).padStart(2, '0')).join(' ');
    const ascii = [...row].map((byte) => (byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : '.')).join('');
    lines.push(`${offset.toString(16).padStart(8, '0')}  ${hex.padEnd(47)}  ${ascii}`);
  }
  return lines;
}

function looksLikeText(bytes: Buffer): boolean {
  const sample = bytes.subarray(0, 8192);
  if (sample.includes(0)) return false;
  const text = sample.toString('utf8');
  // U+FFFD marks bytes that are not UTF-8; a cut multi-byte character at the end is allowed.
  const bad = (text.match(/\uFFFD/g) ?? []).length;
  return bad <= 1;
}
