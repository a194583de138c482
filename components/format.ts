// Small text helpers for views: sizes, and untrusted text made safe for one screen line.

import prettyBytes from 'pretty-bytes';
import { sanitizeText } from '../src/sanitize.js';

export function formatBytes(bytes: number | undefined): string {
  return bytes === undefined ? '…' : prettyBytes(bytes, { maximumFractionDigits: 1 });
}

/** Text from the image, on one line, with nothing in it that could drive the terminal. */
export function safe(text: string): string {
  return sanitizeText(text, { singleLine: true });
}
