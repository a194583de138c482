import { Box, Text } from 'ink';
import type { StageComparison } from '../src/analysis/compare.js';
import type { ExploreSnapshot } from '../src/explore-session.js';
import { CATEGORY_LABELS, formatShare } from '../src/report/comparison.js';
import { formatBytes, safe } from './format.js';
import type { Theme } from './theme.js';

export type ComparisonViewProps = {
  readonly comparison: ExploreSnapshot['comparison'];
  readonly height: number;
  readonly width: number;
  readonly theme: Theme;
};

/** The stage comparison in place of the file tree: figures side by side, carried over, left behind, still in final. */
export function ComparisonView({ comparison, height, width, theme }: ComparisonViewProps) {
  const lines = comparisonLines(comparison);
  return (
    <Box flexDirection="column" width={width} height={height + 1}>
      <Text bold {...theme.accent} wrap="truncate-end">
        » Stage comparison (c closes)
      </Text>
      {lines.slice(0, height).map((line, i) => (
        <Text key={i} {...(line.startsWith('  ') ? {} : line ? theme.accent : {})} wrap="truncate-end">
          {line || ' '}
        </Text>
      ))}
    </Box>
  );
}

export function comparisonLines(comparison: ExploreSnapshot['comparison']): string[] {
  if (!comparison) return ['No builder image to compare with.', '', '  Run layerscope IMAGE --builder BUILDER_IMAGE,', '  or layerscope build to build the stages and compare them.'];
  if (comparison.status === 'loading') return ['Reading the builder image…'];
  if (comparison.status === 'failed') return ['The builder image could not be read:', `  ${safe(comparison.error.message)}`, `  ${safe(comparison.error.hint)}`];
  const c: StageComparison = comparison.value;
  const lines = [
    `Final is ${formatShare(c.finalShareOfBuilder)} of the largest source stage; ${c.sharedLayers} shared base layer${c.sharedLayers === 1 ? '' : 's'}`,
    `  final    ${formatBytes(c.final.imageBytes).padStart(9)}  ${String(c.final.layers).padStart(3)} layers ${String(c.final.files).padStart(7)} files  ${safe(c.final.reference)}`,
    ...c.stages.map(
      (stage) =>
        `  ${safe(stage.name).padEnd(8)} ${formatBytes(stage.side.imageBytes).padStart(9)}  ${String(stage.side.layers).padStart(3)} layers ${String(stage.side.files).padStart(7)} files  carried ${formatBytes(stage.carriedOver.bytes)}, left ${formatBytes(stage.leftBehind.bytes)}`,
    ),
    ...(c.sharedLayers > 0
      ? [
          `  they part at: final ${c.divergence.final ? `L${c.divergence.final.index} ${safe(c.divergence.final.instruction)}` : '(nothing after the base)'}`,
          `                builder ${c.divergence.builder ? `L${c.divergence.builder.index} ${safe(c.divergence.builder.instruction)}` : '(nothing after the base)'}`,
        ]
      : []),
    '',
    `Carried over (COPY --from): ${c.carriedOver.files} file${c.carriedOver.files === 1 ? '' : 's'}, ${formatBytes(c.carriedOver.bytes)}${c.carriedOver.byPathAndSize ? ` (${c.carriedOver.byPathAndSize} by path and size)` : ''}`,
    ...c.carriedOver.list.slice(0, 8).map((file) => `  ${formatBytes(file.bytes).padStart(9)}  /${safe(file.path)}  ← ${safe(file.stage)}:/${safe(file.builderPath)}`),
    ...(c.installedInBoth.files > 0 ? [`Installed in both stages (made by the final stage itself): ${c.installedInBoth.files} files, ${formatBytes(c.installedInBoth.bytes)}`] : []),
    '',
    `Left behind in the source stages: ${formatBytes(c.leftBehind.bytes)} in ${c.leftBehind.files} files`,
    ...c.leftBehind.categories.map((category) => `  ${formatBytes(category.bytes).padStart(9)}  ${CATEGORY_LABELS[category.category].short} (${category.files})${category.paths[0] ? `  e.g. /${safe(category.paths[0].path)}` : ''}`),
    '',
  ];
  if (c.stillInFinal.length === 0) lines.push('Still in the final image: nothing flagged');
  else {
    lines.push(`Still in the final image: ${c.stillInFinal.length} finding${c.stillInFinal.length === 1 ? '' : 's'}`);
    for (const item of c.stillInFinal.slice(0, 8)) {
      const copied = item.fromBuilderBytes > 0 ? `, ${formatBytes(item.fromBuilderBytes)} carried over from a stage` : '';
      lines.push(`  ${formatBytes(item.finding.bytes).padStart(9)}  L${item.finding.layer.index} ${safe(item.finding.title)}${copied}`);
    }
  }
  return lines;
}
