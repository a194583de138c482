// The stage comparison in the reports: as JSON (plain data, text sanitised) and as a Markdown
// section. Both read the StageComparison of src/analysis/compare.ts; nothing is computed here.

import { formatSize } from './format-size.js';
import type { VersionComparison } from '../analysis/compare-versions.js';
import type { CategoryTotals, LeftBehindCategory, MatchedTotals, StageComparison, StageResult, StageSide } from '../analysis/compare.js';
import type { LayerRef } from '../model/types.js';
import { shortInstruction } from '../model/history.js';
import { jsonText } from '../sanitize.js';
import { code, details, inline } from './markdown-text.js';

export function comparisonJson(comparison: StageComparison, top: number): unknown {
  const text = jsonText;
  const layer = (ref: LayerRef | null) => ref && { index: ref.index, instruction: text(ref.instruction) };
  const matched = (totals: MatchedTotals) => ({
    files: totals.files,
    bytes: totals.bytes,
    byPathAndSize: totals.byPathAndSize,
    list: totals.list.slice(0, top).map((file) => ({
      path: text(file.path),
      stage: text(file.stage),
      builderPath: text(file.builderPath),
      bytes: file.bytes,
      layer: file.layer,
      instruction: text(file.instruction),
      match: file.match,
    })),
  });
  const categories = (totals: CategoryTotals) => ({
    files: totals.files,
    bytes: totals.bytes,
    categories: totals.categories.map((category) => ({
      category: category.category,
      bytes: category.bytes,
      files: category.files,
      paths: category.paths.map((item) => ({ path: text(item.path), bytes: item.bytes })),
    })),
  });
  return {
    final: sideJson(comparison.final),
    builder: sideJson(comparison.builder),
    finalShareOfBuilder: comparison.finalShareOfBuilder,
    sharedLayers: comparison.sharedLayers,
    divergence: { final: layer(comparison.divergence.final), builder: layer(comparison.divergence.builder) },
    stages: comparison.stages.map((stage) => ({
      name: text(stage.name),
      ...sideJson(stage.side),
      finalShare: stage.finalShare,
      sharedLayers: stage.sharedLayers,
      divergence: { final: layer(stage.divergence.final), builder: layer(stage.divergence.builder) },
      carriedOver: matched(stage.carriedOver),
      installedInBoth: matched(stage.installedInBoth),
      leftBehind: categories(stage.leftBehind),
    })),
    carriedOver: matched(comparison.carriedOver),
    installedInBoth: matched(comparison.installedInBoth),
    leftBehind: categories(comparison.leftBehind),
    stillInFinal: comparison.stillInFinal.slice(0, top).map((item) => ({
      rule: item.finding.ruleId,
      category: item.finding.category,
      title: text(item.finding.title),
      bytes: item.finding.bytes,
      files: item.finding.files,
      layer: item.finding.layer.index,
      fromBuilderFiles: item.fromBuilderFiles,
      fromBuilderBytes: item.fromBuilderBytes,
    })),
  };
}

const sideJson = (s: StageSide) => ({ reference: jsonText(s.reference), imageBytes: s.imageBytes, finalBytes: s.finalBytes, layers: s.layers, files: s.files });

export function versionsJson(comparison: VersionComparison, top: number): unknown {
  const text = jsonText;
  const side = sideJson;
  const totals = (t: CategoryTotals) => ({
    files: t.files,
    bytes: t.bytes,
    categories: t.categories.map((c) => ({ category: c.category, bytes: c.bytes, files: c.files, paths: c.paths.slice(0, top).map((p) => ({ path: text(p.path), bytes: p.bytes })) })),
  });
  const rule = (r: VersionComparison['findingsGone'][number]) => ({ rule: r.ruleId, category: r.category, bytes: r.bytes, files: r.files });
  return {
    current: side(comparison.current),
    other: side(comparison.other),
    sizeChange: comparison.sizeChange,
    removed: totals(comparison.removed),
    added: totals(comparison.added),
    changed: { files: comparison.changed.files, bytes: comparison.changed.bytes },
    findingsGone: comparison.findingsGone.map(rule),
    findingsNew: comparison.findingsNew.map(rule),
  };
}

/** The before/after section: how much smaller or larger, what was removed and added, what is fixed. */
export function versionsMarkdown(comparison: VersionComparison, top: number): string[] {
  const { current, other, sizeChange } = comparison;
  const lines = [`## Compared with ${code(other.reference)}`, ''];
  const change = sizeChange === 0 ? 'the same size as' : `**${formatSize(Math.abs(sizeChange))} ${sizeChange < 0 ? 'smaller' : 'larger'}** than`;
  const percent = other.imageBytes === 0 ? '' : `, ${sizeChange <= 0 ? '−' : '+'}${((Math.abs(sizeChange) / other.imageBytes) * 100).toFixed(1)} %`;
  lines.push(`This image is ${change} ${code(other.reference)} (${formatSize(other.imageBytes)} → ${formatSize(current.imageBytes)}${percent}).`, '');
  lines.push(
    `Paths removed: ${plural(comparison.removed.files, 'file')}, ${formatSize(comparison.removed.bytes)} · added: ${plural(comparison.added.files, 'file')}, ${formatSize(comparison.added.bytes)} · changed: ${plural(comparison.changed.files, 'file')}.`,
    '',
  );
  if (comparison.findingsGone.length > 0) {
    lines.push(`**No longer flagged:** ${comparison.findingsGone.slice(0, top).map((r) => `${inline(r.title)} (${formatSize(r.bytes)})`).join('; ')}.`, '');
  }
  if (comparison.findingsNew.length > 0) {
    lines.push(`**Newly flagged:** ${comparison.findingsNew.slice(0, top).map((r) => `${inline(r.title)} (${formatSize(r.bytes)})`).join('; ')}.`, '');
  }
  const table = (title: string, totals: CategoryTotals): string[] =>
    totals.categories.length === 0
      ? []
      : [
          `**${title}**`,
          '',
          '| Bytes | Files | What | Largest |',
          '|---:|---:|---|---|',
          ...totals.categories.slice(0, top).map((c) => `| ${formatSize(c.bytes)} | ${c.files} | ${CATEGORY_LABELS[c.category].long} | ${c.paths.slice(0, 2).map((p) => code(`/${p.path}`)).join(', ')} |`),
          '',
        ];
  lines.push(...table('Removed, by kind', comparison.removed), ...table('Added, by kind', comparison.added));
  return lines;
}

/** What each kind of left-behind or changed file is called: in a report, and on a narrow screen. */
export const CATEGORY_LABELS: Readonly<Record<LeftBehindCategory, { readonly long: string; readonly short: string }>> = {
  toolchain: { long: 'Toolchains (compilers, build tools, headers)', short: 'toolchains' },
  'package-cache': { long: 'Package manager caches', short: 'package caches' },
  'language-cache': { long: 'Language caches', short: 'language caches' },
  'build-context': { long: 'Build context leftovers (.git, tests, …)', short: 'build context leftovers' },
  temp: { long: 'Temporary files and logs', short: 'temporary files and logs' },
  docs: { long: 'Documentation', short: 'documentation' },
  sources: { long: 'Copied in by COPY/ADD (sources, or files from another stage)', short: 'copied in' },
  other: { long: 'Everything else (installed packages, base files)', short: 'everything else' },
};

export function comparisonMarkdown(comparison: StageComparison, top: number): string[] {
  return [
    '## Stage comparison',
    '',
    ...sidesMarkdown(comparison),
    ...carriedMarkdown(comparison, top),
    ...leftBehindMarkdown(comparison),
    ...stillMarkdown(comparison.stillInFinal, top),
  ];
}

/** The headline share, where the images part, and the sizes side by side, a column per stage. */
function sidesMarkdown(comparison: StageComparison): string[] {
  const { final, builder, stages } = comparison;
  const lines: string[] = [];
  const primary = stages[0];
  const others = stages.slice(1).map((stage) => code(stage.name));
  lines.push(
    `The final image is **${formatShare(comparison.finalShareOfBuilder)}** of ${stages.length > 1 ? 'its largest source stage' : 'its builder'}${primary && primary.name !== builder.reference ? ` ${code(primary.name)}` : ''}: ${formatSize(final.imageBytes)} against ${formatSize(builder.imageBytes)}` +
      (comparison.sharedLayers > 0 ? `, sharing ${plural(comparison.sharedLayers, 'base layer')}.` : ', with no base layer in common.') +
      (others.length > 0 ? ` It also copies from ${others.join(', ')}.` : ''),
    '',
  );
  const parts = (side: 'final' | 'builder'): string => {
    const layer = comparison.divergence[side];
    return layer ? `layer ${layer.index}${layer.instruction ? ` ${code(shortInstruction(layer.instruction, 80), 300, false)}` : ''}` : 'no layer of its own';
  };
  if (comparison.sharedLayers > 0) lines.push(`After the shared base they part at: final ${parts('final')}; builder ${parts('builder')}.`, '');
  const cells = stageCells(stages);
  lines.push(`| | Final |${cells((stage) => `Stage ${inline(stage.name)}`)}`, `|---|---:|${stages.map(() => '---:|').join('')}`);
  lines.push(`| Image | ${inline(final.reference)} |${cells((stage) => inline(stage.side.reference))}`);
  lines.push(`| Size (all layers) | ${formatSize(final.imageBytes)} |${cells((stage) => formatSize(stage.side.imageBytes))}`);
  lines.push(`| Layers (shared with final) | ${final.layers} |${cells((stage) => `${stage.side.layers} (${stage.sharedLayers})`)}`);
  lines.push(`| Files | ${final.files} |${cells((stage) => `${stage.side.files}`)}`);
  lines.push(`| Carried over from it | |${cells((stage) => `${formatSize(stage.carriedOver.bytes)} (${stage.carriedOver.files})`)}`);
  lines.push(`| Left behind in it | |${cells((stage) => `${formatSize(stage.leftBehind.bytes)} (${stage.leftBehind.files})`)}`, '');
  return lines;
}

/** One table cell per stage. */
const stageCells = (stages: readonly StageResult[]) => (value: (stage: StageResult) => string): string => stages.map((stage) => ` ${value(stage)} |`).join('');

function carriedMarkdown({ carriedOver, installedInBoth }: StageComparison, top: number): string[] {
  const lines = [`**Carried over** (files in final-image layers made by a COPY/ADD from another stage, matched to that stage's file): ${plural(carriedOver.files, 'file')}, ${formatSize(carriedOver.bytes)}.`];
  if (carriedOver.byPathAndSize > 0) lines.push(`${carriedOver.byPathAndSize} of them matched by path and size only (no content digests).`);
  lines.push('');
  if (carriedOver.list.length > 0) {
    lines.push('| Bytes | In the final image | From stage | In that stage |', '|---:|---|---|---|');
    for (const file of carriedOver.list.slice(0, top)) lines.push(`| ${formatSize(file.bytes)} | ${code(`/${file.path}`)} | ${inline(file.stage)} | ${code(`/${file.builderPath}`)} |`);
    if (carriedOver.files > top) lines.push('', `…and ${carriedOver.files - top} more.`);
    lines.push('');
  }
  if (installedInBoth.files > 0) {
    lines.push(
      `**Installed in both stages:** ${plural(installedInBoth.files, 'file')}, ${formatSize(installedInBoth.bytes)}, that the final image's own steps (not a COPY from a stage) wrote, with the same content as a stage's files — made twice, not carried over.`,
      '',
    );
    lines.push(...details(`The ${plural(Math.min(top, installedInBoth.list.length), 'largest file')}`, [
      '| Bytes | Path | Layer | Same as in |',
      '|---:|---|---:|---|',
      ...installedInBoth.list.slice(0, top).map((file) => `| ${formatSize(file.bytes)} | ${code(`/${file.path}`)} | ${file.layer} | ${inline(file.stage)} |`),
    ]));
  }
  return lines;
}

function leftBehindMarkdown({ leftBehind, stages }: StageComparison): string[] {
  const several = stages.length > 1;
  const lines = [`**Left behind** in ${several ? `the ${stages.length} source stages` : 'the builder'}: ${formatSize(leftBehind.bytes)} in ${plural(leftBehind.files, 'file')}${several ? ' (content in several stages counted once)' : ''} — what the multi-stage build saved.`, ''];
  if (leftBehind.categories.length === 0) return lines;
  const cells = stageCells(stages);
  lines.push(`| Bytes | Files | What |${several ? stages.map((stage) => ` In ${inline(stage.name)} |`).join('') : ''} Largest |`, `|---:|---:|---|${several ? stages.map(() => '---:|').join('') : ''}---|`);
  for (const category of leftBehind.categories) {
    const largest = category.paths.slice(0, 2).map((item) => code(`/${item.path}`)).join(', ');
    const per = several ? cells((stage) => formatSize(stage.leftBehind.categories.find((c) => c.category === category.category)?.bytes ?? 0)) : '';
    lines.push(`| ${formatSize(category.bytes)} | ${category.files} | ${CATEGORY_LABELS[category.category].long} |${per} ${largest} |`);
  }
  lines.push('');
  return lines;
}

function stillMarkdown(still: StageComparison['stillInFinal'], top: number): string[] {
  if (still.length === 0) return ['**Still in the final image:** nothing flagged.', ''];
  const copied = still.filter((item) => item.fromBuilderFiles > 0);
  const lines = [`**Still in the final image:** ${still.length} finding${still.length === 1 ? '' : 's'}${copied.length > 0 ? `, ${copied.length} with files carried over from a stage` : ''} (see Findings).`, ''];
  if (copied.length > 0) {
    lines.push('| Bytes carried over | What | Layer |', '|---:|---|---:|');
    for (const item of copied.slice(0, top)) lines.push(`| ${formatSize(item.fromBuilderBytes)} | ${inline(item.finding.title)} | ${item.finding.layer.index} |`);
    lines.push('');
  }
  return lines;
}

const plural = (count: number, noun: string): string => `${count} ${noun}${count === 1 ? '' : 's'}`;

/** A share as a percentage: one decimal below 10 %, none above (`0.5 %`, `23 %`). */
export function formatShare(fraction: number): string {
  const value = fraction * 100;
  return `${value < 10 ? value.toFixed(1) : value.toFixed(0)} %`;
}
