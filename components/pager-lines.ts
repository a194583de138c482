// What the pager shows, as lines cut to its width: a file's first bytes (text as lines, control
// characters made visible; anything else as a hex dump as wide as the pane allows), or a layer's
// whole instruction wrapped.

import type { FileContent } from '../src/archive/read-file-content.js';
import { sanitizeText } from '../src/sanitize.js';
import { cut, safe, wrap } from './format.js';

/** The lines to show: text when the bytes read as UTF-8 text, else a hex dump fitting `width`. */
export function contentLines(content: FileContent, width = 80, ellipsis = '…'): string[] {
  const { bytes } = content;
  if (bytes.length === 0) return ['(empty file)'];
  if (looksLikeText(bytes)) return bytes.toString('utf8').replace(/\t/g, '    ').split('\n').map((line) => cut(safe(line), width, ellipsis));
  const perLine = hexBytesPerLine(width);
  const lines: string[] = [];
  for (let offset = 0; offset < bytes.length; offset += perLine) {
    const row = bytes.subarray(offset, offset + perLine);
    const hex = [...row].map((byte) => byte.toString(16).padStart(2, '0')).join(' ');
    const ascii = [...row].map((byte) => (byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : '.')).join('');
    lines.push(`${offset.toString(16).padStart(8, '0')}  ${hex.padEnd(perLine * 3 - 1)}  ${ascii}`);
  }
  return lines;
}

/** 16 bytes a line where they fit (offset 8 + 2, 3 columns and 1 ASCII column a byte, 2 between), else 8, else 4. */
export function hexBytesPerLine(width: number): number {
  for (const count of [16, 8, 4]) if (12 + count * 4 - 1 <= width) return count;
  return 4;
}

/** A whole instruction, its own lines kept (heredocs), each wrapped to the width. */
export function instructionLines(instruction: string, width: number): string[] {
  const text = sanitizeText(instruction).replace(/\t/g, '    ');
  return text.split('\n').flatMap((line) => (line.trim() === '' ? [''] : wrap(line, width)));
}

function looksLikeText(bytes: Buffer): boolean {
  const sample = bytes.subarray(0, 8192);
  if (sample.includes(0)) return false;
  const text = sample.toString('utf8');
  // U+FFFD marks bytes that are not UTF-8; a cut multi-byte character at the end is allowed.
  const bad = (text.match(/\uFFFD/g) ?? []).length;
  return bad <= 1;
}
