// The Markdown report, for a GitHub issue or PR comment: a summary table, the findings with the
// layer, instruction and fix, and the layer table. Everything from the image is escaped so that
// no name can inject a link, an image, a mention, a table break or HTML. (First version: the
// full report, its size budget and the stage comparison come with the reports issue.)

import prettyBytes from 'pretty-bytes';
import type { ImageAnalysis } from '../analysis/analyse.js';
import type { Finding } from '../analysis/findings.js';
import type { StageComparison } from '../analysis/compare.js';
import { comparisonMarkdown } from './comparison.js';
import { code, inline } from './markdown-text.js';

export { code, inline } from './markdown-text.js';

export interface MarkdownReportOptions {
  readonly reference: string;
  readonly top: number;
  readonly comparison?: StageComparison;
}

export function markdownReport(analysis: ImageAnalysis, options: MarkdownReportOptions): string {
  const { image, figures, dive, findings } = analysis;
  const lines: string[] = [];
  lines.push(`# layerscope: ${inline(options.reference)}`, '');
  lines.push(`Image \`${image.id.slice(0, 19)}\`, ${inline(image.config.os)}/${inline(image.config.architecture)}, ${image.layers.length} layers.`, '');
  lines.push('| | |', '|---|---|');
  lines.push(`| Image size (all layers) | ${bytes(figures.imageBytes)} |`);
  lines.push(`| Final tree | ${bytes(figures.finalBytes)} in ${figures.finalFiles} files |`);
  lines.push(`| Unreachable (deleted or overwritten later) | ${bytes(figures.unreachableBytes)} |`);
  lines.push(`| Removable (flagged files in the final tree) | ${bytes(figures.removableBytes)} |`);
  lines.push(`| dive's efficiency / wasted bytes | ${(dive.efficiency * 100).toFixed(1)} % / ${bytes(dive.wastedBytes)} |`);
  lines.push('');
  if (options.comparison) lines.push(...comparisonMarkdown(options.comparison, options.top));
  lines.push('## Findings', '');
  if (findings.length === 0) lines.push('No findings.', '');
  else {
    lines.push('| Bytes | Category | What | Layer | Fix |', '|---:|---|---|---|---|');
    for (const finding of findings.slice(0, options.top)) lines.push(findingRow(finding));
    if (findings.length > options.top) lines.push('', `…and ${findings.length - options.top} smaller findings (see --report json).`);
    lines.push('');
  }
  lines.push('## Layers', '');
  lines.push('| # | Size | Unreachable | Instruction |', '|---:|---:|---:|---|');
  for (const layer of analysis.layers) {
    lines.push(`| ${layer.index} | ${bytes(layer.bytes)} | ${bytes(layer.unreachableBytes)} | ${code(shorten(layer.instruction || '(unknown)', 100))} |`);
  }
  lines.push('');
  return `${lines.join('\n')}\n`;
}

function findingRow(finding: Finding): string {
  const paths = finding.paths.slice(0, 3).map((item) => code(`/${item.path}`)).join(', ');
  const more = finding.files > 3 ? ` and ${finding.files - 3} more` : '';
  const layer = finding.hiddenBy ? `${finding.layer.index} → ${finding.hiddenBy.index}` : `${finding.layer.index}`;
  return `| ${bytes(finding.bytes)} | ${finding.category} | ${inline(finding.title)}: ${paths}${more} | ${layer} | ${inline(finding.advice)} |`;
}

function bytes(value: number): string {
  return prettyBytes(value);
}

function shorten(text: string, width: number): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > width ? `${oneLine.slice(0, width - 1)}…` : oneLine;
}
