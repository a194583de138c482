// Untrusted text made inert for GitHub-flavoured Markdown, on one line, safe inside a table
// cell: plain text (`inline`), code spans (`code`), and prose that quotes code in backticks
// (`prose`, for advice that names instructions). Shared by every Markdown section.
//
// What an image's names must not do here: start a link, an image or an autolink, mention or
// reference someone, break a table cell, close a <details>, emit HTML, or drive a terminal.

import { sanitizeText } from '../sanitize.js';

/**
 * Plain text: control characters made visible; emphasis, code, link brackets, headings, lists and
 * the table pipe backslash-escaped; HTML entity-encoded; mentions, issue references and autolinks
 * (`@name`, `#12`, `http://`, `www.`) broken with a zero-width space.
 */
export function inline(text: string): string {
  return sanitizeText(text, { singleLine: true })
    .replace(/[\\`*_[\]|~!]/g, '\\$&')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/@/g, '@\u200b')
    .replace(/#/g, '#\u200b')
    .replace(/:\/\//g, ':\u200b//')
    .replace(/\bwww\./gi, (match) => `${match.slice(0, 3)}\u200b.`);
}

/**
 * A code span that holds any text: fenced with one backtick more than the longest run inside,
 * padded when the text starts or ends with a backtick or space, pipes escaped in table cells
 * (GFM splits cells before it parses code spans; elsewhere `\|` would show its backslash).
 * Inside a code span nothing else is live.
 */
export function code(text: string, maxLength = 300, inTable = true): string {
  let body = sanitizeText(text, { singleLine: true });
  if (body.length > maxLength) body = `${body.slice(0, maxLength - 1)}…`;
  const longestRun = Math.max(0, ...(body.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  const pad = /^[` ]|[` ]$/.test(body) ? ' ' : '';
  return `${fence}${pad}${inTable ? body.replace(/\|/g, '\\|') : body}${pad}${fence}`;
}

/** Prose in which `backticked` parts are code: each part made inert by its kind. */
export function prose(text: string): string {
  const parts = text.split('`');
  // An odd part count means balanced backticks; otherwise the last, unclosed part is plain text.
  const balanced = parts.length % 2 === 1;
  return parts
    .map((part, i) => {
      if (i % 2 === 0) return inline(part);
      if (!balanced && i === parts.length - 1) return inline(`\`${part}`);
      return part === '' ? '' : code(part);
    })
    .join('');
}

/** A collapsed block: the blank lines around the Markdown inside are what GitHub needs to render it. */
export function details(summary: string, body: readonly string[]): string[] {
  return ['<details>', `<summary>${summary}</summary>`, '', ...body, '', '</details>', ''];
}
