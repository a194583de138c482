// Small text helpers for views: sizes, and untrusted text made safe for one screen line.

import { formatSize } from '../src/report/format-size.js';
import { sanitizeText } from '../src/sanitize.js';

export function formatBytes(bytes: number | undefined): string {
  return bytes === undefined ? '…' : formatSize(bytes);
}

/** Text from the image, on one line, with nothing in it that could drive the terminal. */
export function safe(text: string): string {
  return sanitizeText(text, { singleLine: true });
}
