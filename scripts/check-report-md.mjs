#!/usr/bin/env node
// Renders a Markdown report as GitHub would (markdown-it with raw HTML and linkify on) and says
// what a reader gets: its length against GitHub's limit, the tables and their rows, any tag
// beyond the report's own, and any link or image. Exit 1 if the report breaks a rule.
//
//   node scripts/check-report-md.mjs REPORT.md [--html OUT.html]

import { readFileSync, writeFileSync } from 'node:fs';
import MarkdownIt from 'markdown-it';

const [file, ...rest] = process.argv.slice(2);
if (!file) {
  console.error('usage: node scripts/check-report-md.mjs REPORT.md [--html OUT.html]');
  process.exit(2);
}
const text = readFileSync(file, 'utf8');
const html = new MarkdownIt({ html: true, linkify: true }).render(text);
const htmlAt = rest.indexOf('--html');
if (htmlAt >= 0 && rest[htmlAt + 1]) writeFileSync(rest[htmlAt + 1], html);

const OWN_TAGS = new Set(['h1', 'h2', 'p', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'code', 'details', 'summary', 'ul', 'li', 'strong', 'em', 'blockquote', 'sub']);
const tags = new Set([...html.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9-]*)/g)].map((match) => match[1].toLowerCase()));
const foreign = [...tags].filter((tag) => !OWN_TAGS.has(tag));
const tables = [...html.matchAll(/<table>([\s\S]*?)<\/table>/g)].map((match) => (match[1].match(/<tr>/g) ?? []).length);
const links = (html.match(/<a /g) ?? []).length;
const images = (html.match(/<img/g) ?? []).length;

console.log(`${file}: ${text.length} characters (GitHub's limit 65,536)`);
console.log(`tables: ${tables.length} (rows with header: ${tables.join(', ')})`);
console.log(`details blocks: ${(html.match(/<details>/g) ?? []).length}; tags beyond the report's own: ${foreign.join(', ') || 'none'}; links: ${links}; images: ${images}`);
process.exit(text.length > 65_000 || foreign.length > 0 || links > 0 || images > 0 ? 1 : 0);
