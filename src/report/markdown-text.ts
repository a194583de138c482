// Untrusted text made inert for Markdown: inside table cells, and as code spans. Shared by every
// Markdown section.

import { sanitizeText } from '../sanitize.js';

/**
 * Text from the image as inert Markdown inside a table cell: control characters made visible;
 * emphasis, code, link brackets and the table pipe backslash-escaped; HTML entity-encoded; and
 * mentions and autolinks (`@name`, `http://`, `www.`) broken with a zero-width space.
 */
export function inline(text: string): string {
  return sanitizeText(text, { singleLine: true })
    .replace(/[\\`*_[\]|~]/g, '\\$&')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/@/g, '@\u200b')
    .replace(/:\/\//g, ':\u200b//')
    .replace(/\bwww\./gi, (match) => `${match.slice(0, 3)}\u200b.`);
}

/** A code span that survives any content: HTML `<code>` with entities, so backticks and pipes stay inert. */
export function code(text: string): string {
  const escaped = sanitizeText(text, { singleLine: true })
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '&#124;')
    .replace(/`/g, '&#96;')
    .replace(/\\/g, '&#92;')
    .replace(/@/g, '&#64;');
  return `<code>${escaped}</code>`;
}
