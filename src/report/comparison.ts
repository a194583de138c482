// The stage comparison in the reports: as JSON (plain data, text sanitised) and as a Markdown
// section. Both read the StageComparison of src/analysis/compare.ts; nothing is computed here.

import { formatSize } from './format-size.js';
import type { VersionComparison } from '../analysis/compare-versions.js';
import type { CategoryTotals, LeftBehindCategory, StageComparison, StageSide } from '../analysis/compare.js';
import { shortInstruction } from '../model/history.js';
import { jsonText } from '../sanitize.js';
import { code, inline } from './markdown-text.js';

export function comparisonJson(comparison: StageComparison, top: number): unknown {
  const text = jsonText;
  const side = (s: StageSide) => ({ reference: text(s.reference), imageBytes: s.imageBytes, finalBytes: s.finalBytes, layers: s.layers, files: s.files });
  return {
    final: side(comparison.final),
    builder: side(comparison.builder),
    finalShareOfBuilder: comparison.finalShareOfBuilder,
    sharedLayers: comparison.sharedLayers,
    divergence: {
      final: comparison.divergence.final && { index: comparison.divergence.final.index, instruction: text(comparison.divergence.final.instruction) },
      builder: comparison.divergence.builder && { index: comparison.divergence.builder.index, instruction: text(comparison.divergence.builder.instruction) },
    },
    carriedOver: {
      files: comparison.carriedOver.files,
      bytes: comparison.carriedOver.bytes,
      byPathAndSize: comparison.carriedOver.byPathAndSize,
      list: comparison.carriedOver.list.slice(0, top).map((file) => ({
        path: text(file.path),
        builderPath: text(file.builderPath),
        bytes: file.bytes,
        layer: file.layer,
        instruction: text(file.instruction),
        match: file.match,
      })),
    },
    leftBehind: {
      files: comparison.leftBehind.files,
      bytes: comparison.leftBehind.bytes,
      categories: comparison.leftBehind.categories.map((category) => ({
        category: category.category,
        bytes: category.bytes,
        files: category.files,
        paths: category.paths.map((item) => ({ path: text(item.path), bytes: item.bytes })),
      })),
    },
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

export function versionsJson(comparison: VersionComparison, top: number): unknown {
  const text = jsonText;
  const side = (s: StageSide) => ({ reference: text(s.reference), imageBytes: s.imageBytes, finalBytes: s.finalBytes, layers: s.layers, files: s.files });
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
  sources: { long: 'Sources copied from the build context', short: 'sources from the context' },
  other: { long: 'Everything else (installed packages, base files)', short: 'everything else' },
};

export function comparisonMarkdown(comparison: StageComparison, top: number): string[] {
  const { final, builder, carriedOver, leftBehind } = comparison;
  const lines = ['## Stage comparison', ''];
  lines.push(
    `The final image is **${formatShare(comparison.finalShareOfBuilder)}** of its builder: ${formatSize(final.imageBytes)} against ${formatSize(builder.imageBytes)}` +
      (comparison.sharedLayers > 0 ? `, sharing ${comparison.sharedLayers} base layer${comparison.sharedLayers === 1 ? '' : 's'}.` : ', with no base layer in common.'),
    '',
  );
  const parts = (side: 'final' | 'builder'): string => {
    const layer = comparison.divergence[side];
    return layer ? `layer ${layer.index}${layer.instruction ? ` ${code(shortInstruction(layer.instruction, 80), 300, false)}` : ''}` : 'no layer of its own';
  };
  if (comparison.sharedLayers > 0) lines.push(`After the shared base they part at: final ${parts('final')}; builder ${parts('builder')}.`, '');
  lines.push('| | Final | Builder |', '|---|---:|---:|');
  lines.push(`| Image | ${inline(final.reference)} | ${inline(builder.reference)} |`);
  lines.push(`| Size (all layers) | ${formatSize(final.imageBytes)} | ${formatSize(builder.imageBytes)} |`);
  lines.push(`| Layers | ${final.layers} | ${builder.layers} |`);
  lines.push(`| Files | ${final.files} | ${builder.files} |`, '');

  lines.push(`**Carried over** (files of the final image's own layers found in the builder): ${plural(carriedOver.files, 'file')}, ${formatSize(carriedOver.bytes)}.`);
  if (carriedOver.byPathAndSize > 0) lines.push(`${carriedOver.byPathAndSize} of them matched by path and size only (no content digests).`);
  lines.push('');
  if (carriedOver.list.length > 0) {
    lines.push('| Bytes | In the final image | In the builder |', '|---:|---|---|');
    for (const file of carriedOver.list.slice(0, top)) lines.push(`| ${formatSize(file.bytes)} | ${code(`/${file.path}`)} | ${code(`/${file.builderPath}`)} |`);
    if (carriedOver.files > top) lines.push('', `…and ${carriedOver.files - top} more.`);
    lines.push('');
  }

  lines.push(`**Left behind** in the builder: ${formatSize(leftBehind.bytes)} in ${plural(leftBehind.files, 'file')} — what the multi-stage build saved.`, '');
  if (leftBehind.categories.length > 0) {
    lines.push('| Bytes | Files | What | Largest |', '|---:|---:|---|---|');
    for (const category of leftBehind.categories) {
      const largest = category.paths.slice(0, 2).map((item) => code(`/${item.path}`)).join(', ');
      lines.push(`| ${formatSize(category.bytes)} | ${category.files} | ${CATEGORY_LABELS[category.category].long} | ${largest} |`);
    }
    lines.push('');
  }

  const still = comparison.stillInFinal;
  if (still.length === 0) lines.push('**Still in the final image:** nothing flagged.', '');
  else {
    const copied = still.filter((item) => item.fromBuilderFiles > 0);
    lines.push(`**Still in the final image:** ${still.length} finding${still.length === 1 ? '' : 's'}${copied.length > 0 ? `, ${copied.length} with files copied from the builder` : ''} (see Findings).`, '');
    if (copied.length > 0) {
      lines.push('| Bytes from the builder | What | Layer |', '|---:|---|---:|');
      for (const item of copied.slice(0, top)) lines.push(`| ${formatSize(item.fromBuilderBytes)} | ${inline(item.finding.title)} | ${item.finding.layer.index} |`);
      lines.push('');
    }
  }
  return lines;
}

const plural = (count: number, noun: string): string => `${count} ${noun}${count === 1 ? '' : 's'}`;

/** A share as a percentage: one decimal below 10 %, none above (`0.5 %`, `23 %`). */
export function formatShare(fraction: number): string {
  const value = fraction * 100;
  return `${value < 10 ? value.toFixed(1) : value.toFixed(0)} %`;
}
