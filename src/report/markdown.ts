// The Markdown report, for a GitHub issue or PR comment: a title with the image and its ID, a
// summary table, the top findings with the layer, its instruction and the fix, the stage
// comparison when there is one, the layer table, and the longer lists inside <details>.
// Everything from the image goes through markdown-text.ts, so no name can inject a link, an
// image, a mention, a table break, HTML or a closing </details>.
//
// Size: GitHub refuses comment bodies over 65,536 characters. The report is rendered with the
// requested list lengths, then the longest list is halved until the whole fits in BUDGET (the
// last halving undone as far as it still fits), and the report says what was trimmed (the JSON
// report keeps everything).

import { formatSize } from './format-size.js';
import type { ImageAnalysis } from '../analysis/analyse.js';
import type { VersionComparison } from '../analysis/compare-versions.js';
import type { StageComparison } from '../analysis/compare.js';
import type { Finding } from '../analysis/findings.js';
import type { BaseBoundary } from '../analysis/provenance.js';
import type { LayerRef } from '../model/types.js';
import { instructionOf, shortInstruction } from '../model/history.js';
import { reportPath } from './ci-text.js';
import { comparisonMarkdown, versionsMarkdown } from './comparison.js';
import { FLAGGED_BASE, REMOVABLE_OWN } from './figure-labels.js';
import { code, details, inline, prose } from './markdown-text.js';

export { code, inline, prose } from './markdown-text.js';

export interface MarkdownReportOptions {
  readonly reference: string;
  /** Length of each list (findings, layers, largest files, paths per finding…) before trimming. */
  readonly top: number;
  readonly comparison?: StageComparison;
  /** Another version of the image (--compare): the before/after section. */
  readonly versions?: VersionComparison;
  /** Characters the whole report must fit in; 65,000 by default. */
  readonly budget?: number;
}

export const BUDGET = 65_000;
/** Unplaced history steps listed by name. */
const UNPLACED_SHOWN = 20;
/** Findings shown as table rows; the rest (up to `top`) go in a <details>. */
const TABLE_FINDINGS = 10;

interface Limits {
  findings: number;
  pathsPerFinding: number;
  layers: number;
  largestFiles: number;
  comparison: number;
}

type ListName = keyof Limits;

const LIST_NAMES: Readonly<Record<ListName, string>> = {
  findings: 'findings',
  pathsPerFinding: 'paths per finding',
  layers: 'layers',
  largestFiles: 'largest files',
  comparison: 'stage comparison lists',
};

export function markdownReport(analysis: ImageAnalysis, options: MarkdownReportOptions): string {
  const budget = options.budget ?? BUDGET;
  const limits: Limits = {
    findings: options.top,
    pathsPerFinding: Math.min(options.top, 10),
    layers: Math.max(options.top, 50),
    largestFiles: options.top,
    comparison: options.top,
  };
  const trimmed = new Set<ListName>();
  let text = render(analysis, options, limits, trimmed);
  while (text.length > budget) {
    // Halve the list that takes the most room, among those that can still shrink.
    const sizes = measure(analysis, options, limits);
    const [name] = [...sizes].filter(([list]) => limits[list] > 1).sort((a, b) => b[1] - a[1])[0] ?? [];
    if (name === undefined) break;
    const before = limits[name];
    limits[name] = Math.max(1, Math.floor(before / 2));
    trimmed.add(name);
    text = render(analysis, options, limits, trimmed);
    if (text.length <= budget) {
      // Halving overshot: give that list back as much as still fits (binary search).
      let fits = limits[name];
      let over = before;
      while (over - fits > 1) {
        const middle = Math.floor((fits + over) / 2);
        if (render(analysis, options, { ...limits, [name]: middle }, trimmed).length <= budget) fits = middle;
        else over = middle;
      }
      limits[name] = fits;
      text = render(analysis, options, limits, trimmed);
    }
  }
  return text.length > budget ? `${text.slice(0, budget - 80)}\n\n…(cut at ${budget} characters; see --report json)\n` : text;
}

/** Characters each list's section takes, for choosing what to trim. */
function measure(analysis: ImageAnalysis, options: MarkdownReportOptions, limits: Limits): Map<ListName, number> {
  const sizes = new Map<ListName, number>();
  for (const name of Object.keys(limits) as ListName[]) {
    const without = { ...limits, [name]: 1 };
    sizes.set(name, render(analysis, options, limits, new Set()).length - render(analysis, options, without, new Set()).length);
  }
  return sizes;
}

function render(analysis: ImageAnalysis, options: MarkdownReportOptions, limits: Limits, trimmed: ReadonlySet<ListName>): string {
  const lines = summarySection(analysis, options.reference);
  if (trimmed.size > 0) {
    lines.push(`> Trimmed to fit GitHub's comment size: ${[...trimmed].map((name) => LIST_NAMES[name]).join(', ')}. \`--report json\` has everything.`, '');
  }
  lines.push(...findingsSection(analysis.findings, limits));
  lines.push(...dockerfileSection(analysis));
  if (options.versions) lines.push(...versionsMarkdown(options.versions, limits.comparison));
  if (options.comparison) lines.push(...comparisonMarkdown(options.comparison, limits.comparison));
  lines.push(...layersSection(analysis, limits.layers));
  const largest = analysis.largestFiles(limits.largestFiles);
  if (largest.length > 0) {
    lines.push('## Largest files', '');
    lines.push(
      ...details(`The ${count(largest.length, 'largest file')} of the final tree`, [
        '| Bytes | Path | Layer |',
        '|---:|---|---:|',
        ...largest.map((file) => `| ${bytes(file.bytes)} | ${code(`/${file.path}`)} | ${file.layer} |`),
      ]),
    );
  }
  lines.push('<sub>Generated by layerscope. Sizes are decimal (1 MB = 1,000,000 bytes).</sub>', '');
  return `${lines.join('\n')}\n`;
}

/** The title, the image's identity and the summary table (split into base and yours where the base is known). */
function summarySection(analysis: ImageAnalysis, reference: string): string[] {
  const { image, figures, dive } = analysis;
  const lines: string[] = [];
  const tag = image.tags[0];
  lines.push(`# layerscope: ${inline(reference)}`, '');
  lines.push(
    [
      `Image ID ${code(image.id)}`,
      tag !== undefined && tag !== reference ? `tagged ${inline(tag)}` : '',
      `${inline(image.config.os)}/${inline(image.config.architecture)}${image.config.variant ? `/${inline(image.config.variant)}` : ''}`,
    ]
      .filter(Boolean)
      .join(' · '),
    '',
  );
  const { base, own, boundary } = analysis.split;
  const parts = (baseValue: number, ownValue: number): string => (boundary.layers > 0 ? ` (base ${bytes(baseValue)} · yours ${bytes(ownValue)})` : '');
  lines.push('| | |', '|---|---:|');
  lines.push(`| Total size (all layers) | ${bytes(figures.imageBytes)}${parts(base.bytes, own.bytes)} |`);
  lines.push(`| Layers | ${image.layers.length}${boundary.layers > 0 ? ` (base ${base.layers} · yours ${own.layers})` : ''} |`);
  lines.push(`| Base image | ${baseLine(analysis)} |`);
  lines.push(`| Final tree | ${bytes(figures.finalBytes)} in ${count(figures.finalFiles, 'file')} |`);
  lines.push(`| Unreachable (deleted or overwritten later) | ${bytes(figures.unreachableBytes)}${parts(base.unreachableBytes, own.unreachableBytes)} |`);
  lines.push(`| ${REMOVABLE_OWN} (flagged files your layers added) | ${bytes(own.removableBytes)} |`);
  if (boundary.layers > 0) lines.push(`| ${FLAGGED_BASE} (only another base removes them) | ${bytes(base.removableBytes)} |`);
  lines.push(`| Efficiency, as dive computes it | ${(dive.efficiency * 100).toFixed(1)} % (wasted ${bytes(dive.wastedBytes)}) |`);
  lines.push('');
  return lines;
}

function findingsSection(findings: readonly Finding[], limits: Limits): string[] {
  const lines = ['## Top findings', ''];
  const shown = findings.slice(0, limits.findings);
  if (findings.length === 0) return [...lines, 'No findings.', ''];
  lines.push('| Bytes | Category | What | Layer | Fix |', '|---:|---|---|---|---|');
  for (const finding of shown.slice(0, TABLE_FINDINGS)) lines.push(findingRow(finding));
  lines.push('');
  if (shown.length > TABLE_FINDINGS || shown.some((finding) => finding.files > 3)) {
    lines.push(...details(`All ${count(shown.length, 'finding')} shown here, with their paths`, shown.flatMap((finding) => findingPaths(finding, limits.pathsPerFinding))));
  }
  if (findings.length > shown.length) lines.push(`…and ${count(findings.length - shown.length, 'smaller finding')} (see \`--report json\`).`, '');
  return lines;
}

function layersSection(analysis: ImageAnalysis, limit: number): string[] {
  const lines = ['## Layers', ''];
  const layerRows = analysis.layers.slice(0, limit).map(
    (layer) => `| ${layer.index}${layer.index < analysis.split.boundary.layers ? ' (base)' : ''} | ${bytes(layer.bytes)} | ${bytes(layer.unreachableBytes)} | ${layer.findings} | ${layer.instruction ? code(shortInstruction(layer.instruction, 120)) : '*(not recorded)*'} |`,
  );
  const layerTable = ['| # | Size | Unreachable | Findings | Instruction |', '|---:|---:|---:|---:|---|', ...layerRows];
  if (analysis.layers.length > limit) layerTable.push('', `…and ${count(analysis.layers.length - limit, 'more layer')}.`);
  if (analysis.layers.length > 15) lines.push(...details(`${count(analysis.layers.length, 'layer')}`, layerTable));
  else lines.push(...layerTable, '');
  return lines;
}

const METHODS: Readonly<Record<BaseBoundary['method'], string>> = {
  dockerfile: "the Dockerfile's FROM",
  annotation: 'the image\'s base-name label',
  'local-image': 'a local image whose layers are a prefix of this one\'s',
  history: "the history's shape",
};

/** The base image, where it ends and how sure that is. */
function baseLine(analysis: ImageAnalysis): string {
  const { boundary } = analysis.split;
  if (boundary.layers === 0 && boundary.method === 'history') return 'not recognised: every layer counts as yours';
  const name = boundary.name === undefined ? 'unnamed' : inline(boundary.name);
  return `${name}, ${count(boundary.layers, 'layer')} (${boundary.sure}: ${METHODS[boundary.method]})`;
}

function findingRow(finding: Finding): string {
  const paths = finding.paths.slice(0, 3).map((item) => code(`/${item.path}`, 120)).join(', ');
  const more = finding.files > 3 ? ` and ${finding.files - 3} more` : '';
  const layer = finding.hiddenBy ? `${layerCell(finding.layer)} → ${layerCell(finding.hiddenBy)}` : layerCell(finding.layer);
  return `| ${bytes(finding.bytes)} | ${finding.category} | ${inline(finding.title)}: ${paths}${more} | ${layer} | ${prose(finding.advice)} |`;
}

/** `3`, or `3 (line 12)` when the layer's step was placed on a line of the Dockerfile (the Dockerfile section names it). */
function layerCell(layer: LayerRef): string {
  return layer.location ? `${layer.index} (line ${layer.location.line})` : `${layer.index}`;
}

/** Which stage the history was placed on, and what could not be placed either way. */
function dockerfileSection(analysis: ImageAnalysis): string[] {
  const placement = analysis.dockerfile;
  if (!placement) return [];
  const { map } = placement;
  const count = (kind: string): number => map.steps.filter((step) => step.kind === kind).length;
  const stage = map.stageName === undefined ? `stage ${map.stage}` : `stage ${inline(map.stageName)}`;
  const lines = [
    '## Dockerfile',
    '',
    `History placed on ${code(reportPath(map.file), 300, false)} (${stage}): ${count('instruction')} steps on their instructions, ${count('base')} from the base image (its FROM), ${map.unplaced.length} not placed.`,
    '',
  ];
  if (map.unplaced.length > 0) {
    lines.push('Steps no instruction fits (their findings carry no line):', '');
    for (const step of map.unplaced.slice(0, UNPLACED_SHOWN)) lines.push(`- step ${step}: ${code(shortInstruction(instructionOf(analysis.image.history[step]?.createdBy ?? ''), 120), 300, false)}`);
    if (map.unplaced.length > UNPLACED_SHOWN) lines.push(`- …and ${map.unplaced.length - UNPLACED_SHOWN} more (see \`--report json\`)`);
    lines.push('');
  }
  if (map.missing.length > 0) {
    lines.push(`Instructions no step of the image fits (the Dockerfile changed since the build?): ${map.missing.map((step) => `line ${step.line} ${step.keyword}`).join(', ')}.`, '');
  }
  return lines;
}

/** A finding's heading line and its largest paths, as a list inside the details. */
function findingPaths(finding: Finding, limit: number): string[] {
  const instruction = finding.layer.instruction ? ` ${code(shortInstruction(finding.layer.instruction, 120), 300, false)}` : '';
  const hidden = finding.hiddenBy ? `, hidden by layer ${finding.hiddenBy.index}` : '';
  return [
    `- **${inline(finding.title)}** — ${bytes(finding.bytes)} in ${count(finding.files, 'file')}, layer ${finding.layer.index}${instruction}${hidden}`,
    ...finding.paths.slice(0, limit).map((item) => `  - ${bytes(item.bytes)} ${code(`/${item.path}`, 300, false)}`),
  ];
}

function bytes(value: number): string {
  return formatSize(value);
}

function count(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}
