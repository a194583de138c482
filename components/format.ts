// Text for the screen, cut in one place: sizes, untrusted text made safe for one line, and lines
// cut or wrapped to a width in terminal columns (wide and combining characters counted as the
// terminal draws them), so no line is ever wider than its pane.

import stringWidth from 'string-width';
import wrapAnsi from 'wrap-ansi';
import { formatSize } from '../src/report/format-size.js';
import { sanitizeText } from '../src/sanitize.js';

export function formatBytes(bytes: number | undefined, ellipsis = '…'): string {
  return bytes === undefined ? ellipsis : formatSize(bytes);
}

/** Text from the image, on one line, with nothing in it that could drive the terminal. */
export function safe(text: string): string {
  return sanitizeText(text, { singleLine: true });
}

/** "1 file", "2 files". */
export function plural(count: number, noun: string, nouns = `${noun}s`): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? noun : nouns}`;
}

const segmenter = new Intl.Segmenter();

/** The text cut to `width` columns, ending with `ellipsis` when something was cut. */
export function cut(text: string, width: number, ellipsis = '…'): string {
  if (width <= 0) return '';
  if (stringWidth(text) <= width) return text;
  const room = width - stringWidth(ellipsis);
  if (room < 0) return ellipsis.slice(0, width);
  let out = '';
  let used = 0;
  for (const { segment } of segmenter.segment(text)) {
    const w = stringWidth(segment);
    if (used + w > room) break;
    out += segment;
    used += w;
  }
  return out + ellipsis;
}

/** The text padded with spaces (or cut) to exactly `width` columns. */
export function fit(text: string, width: number, ellipsis = '…'): string {
  const line = cut(text, width, ellipsis);
  return line + ' '.repeat(Math.max(0, width - stringWidth(line)));
}

/** The text cut from the left, keeping its end (a path's last names). */
export function cutStart(text: string, width: number, ellipsis = '…'): string {
  if (stringWidth(text) <= width) return text;
  const parts = [...segmenter.segment(text)].map((s) => s.segment);
  let out = '';
  let used = stringWidth(ellipsis);
  for (let i = parts.length - 1; i >= 0; i--) {
    const w = stringWidth(parts[i] as string);
    if (used + w > width) break;
    out = (parts[i] as string) + out;
    used += w;
  }
  return ellipsis + out;
}

/** The text wrapped at spaces into lines of at most `width` columns (long words broken). */
export function wrap(text: string, width: number): string[] {
  if (width <= 0) return [];
  return wrapAnsi(text, width, { hard: true, trim: true, wordWrap: true })
    .split('\n')
    .map((line) => cut(line, width));
}

/** At most `count` lines of the wrapped text; when more would follow, the last one says so. */
export function wrapInto(text: string, width: number, count: number, more: string, ellipsis = '…'): string[] {
  const lines = wrap(text, width);
  if (lines.length <= count) return lines;
  const kept = lines.slice(0, Math.max(0, count));
  const last = kept.pop() ?? '';
  const tail = `${ellipsis} ${more}`;
  return [...kept, `${cut(last, Math.max(0, width - stringWidth(tail)), '')}${tail}`].map((line) => cut(line, width, ellipsis));
}

export { stringWidth };

/**
 * An instruction on one line, with content hashes shortened so what follows them stays in view:
 * `COPY dir:95ee1d5e8a7b…(64 hex) in /opt/venv` → `COPY dir:95ee1d5e8a7b… in /opt/venv`.
 */
export function shortHashes(instruction: string, ellipsis = '…'): string {
  return instruction.replace(/\b((?:dir|file|multi|sha256):)([0-9a-f]{12})[0-9a-f]{20,}/g, `$1$2${ellipsis}`);
}

/** Items joined with `separator`, packed into as few lines of `width` columns as they fit (an item too wide is cut). */
export function pack(items: readonly string[], width: number, separator: string): string[] {
  const lines: string[] = [];
  for (const item of items) {
    const last = lines[lines.length - 1];
    if (last !== undefined && stringWidth(last) + stringWidth(separator) + stringWidth(item) <= width) lines[lines.length - 1] = `${last}${separator}${item}`;
    else lines.push(cut(item, width));
  }
  return lines;
}
