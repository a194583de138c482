import { Box, Text } from 'ink';
import type { StageComparison } from '../src/analysis/compare.js';
import type { ExploreSnapshot } from '../src/explore-session.js';
import { CATEGORY_LABELS, formatShare } from '../src/report/comparison.js';
import { cut, formatBytes, plural, safe } from './format.js';
import type { Glyphs, Theme } from './theme.js';

export type ComparisonViewProps = {
  readonly comparison: ExploreSnapshot['comparison'];
  /** Rows for lines (the title is one more). */
  readonly height: number;
  readonly width: number;
  readonly focused: boolean;
  readonly theme: Theme;
};

/** The stage comparison in place of the file tree: figures side by side, carried over, left behind, still in final. */
export function ComparisonView({ comparison, height, width, focused, theme }: ComparisonViewProps) {
  const { glyphs } = theme;
  const lines = comparisonLines(comparison, glyphs);
  return (
    <Box flexDirection="column" width={width} height={height + 1} overflow="hidden">
      <Text bold {...theme.accent}>
        {cut(`${focused ? `${glyphs.focus} ` : '  '}Stage comparison (c closes)`, width, glyphs.ellipsis)}
      </Text>
      {lines.slice(0, height).map((line, i) => (
        <Text key={i} {...(line.startsWith('  ') ? {} : line ? theme.accent : {})}>
          {cut(line, width, glyphs.ellipsis) || ' '}
        </Text>
      ))}
    </Box>
  );
}

function comparisonLines(comparison: ExploreSnapshot['comparison'], glyphs: Glyphs): string[] {
  if (!comparison) return ['No builder image to compare with.', '', '  Run layerscope IMAGE --builder BUILDER_IMAGE,', '  or layerscope build to build the stages and compare them.'];
  if (comparison.status === 'loading') {
    const progress = comparison.progress;
    const read = progress ? `  ${formatBytes(progress.archiveBytes)}${progress.expectedBytes ? ` of ~${formatBytes(progress.expectedBytes)}` : ''} read, ${plural(progress.blobsDone, 'layer')} done` : '';
    return [`Reading the builder image${glyphs.ellipsis}`, ...(read ? [read] : [])];
  }
  if (comparison.status === 'failed') return ['The builder image could not be read:', `  ${safe(comparison.error.message)}`, `  ${safe(comparison.error.hint)}`];
  const c: StageComparison = comparison.value;
  const part = (layer: { index: number; instruction: string } | null | undefined): string => (layer ? `L${layer.index} ${safe(layer.instruction)}` : '(nothing after the base)');
  const lines = [
    `Final is ${formatShare(c.finalShareOfBuilder)} of the largest source stage; ${plural(c.sharedLayers, 'shared base layer')}`,
    `  final    ${formatBytes(c.final.imageBytes).padStart(9)}  ${String(c.final.layers).padStart(3)} layers ${String(c.final.files).padStart(7)} files  ${safe(c.final.reference)}`,
    ...c.stages.map(
      (stage) =>
        `  ${safe(stage.name).padEnd(8)} ${formatBytes(stage.side.imageBytes).padStart(9)}  ${String(stage.side.layers).padStart(3)} layers ${String(stage.side.files).padStart(7)} files  carried ${formatBytes(stage.carriedOver.bytes)}, left ${formatBytes(stage.leftBehind.bytes)}`,
    ),
    ...(c.sharedLayers > 0 ? [`  they part at: final ${part(c.divergence.final)}`, `                builder ${part(c.divergence.builder)}`] : []),
    '',
    `Carried over (COPY --from): ${plural(c.carriedOver.files, 'file')}, ${formatBytes(c.carriedOver.bytes)}${c.carriedOver.byPathAndSize ? ` (${c.carriedOver.byPathAndSize} by path and size)` : ''}`,
    ...c.carriedOver.list.slice(0, 8).map((file) => `  ${formatBytes(file.bytes).padStart(9)}  /${safe(file.path)}  ${glyphs.from} ${safe(file.stage)}:/${safe(file.builderPath)}`),
    ...(c.installedInBoth.files > 0 ? [`Installed in both stages (made by the final stage itself): ${plural(c.installedInBoth.files, 'file')}, ${formatBytes(c.installedInBoth.bytes)}`] : []),
    '',
    `Left behind in the source stages: ${formatBytes(c.leftBehind.bytes)} in ${plural(c.leftBehind.files, 'file')}`,
    ...c.leftBehind.categories.map((category) => `  ${formatBytes(category.bytes).padStart(9)}  ${CATEGORY_LABELS[category.category].short} (${category.files})${category.paths[0] ? `  e.g. /${safe(category.paths[0].path)}` : ''}`),
    '',
  ];
  if (c.stillInFinal.length === 0) lines.push('Still in the final image: nothing flagged');
  else {
    lines.push(`Still in the final image: ${plural(c.stillInFinal.length, 'finding')}`);
    for (const item of c.stillInFinal.slice(0, 8)) {
      const copied = item.fromBuilderBytes > 0 ? `, ${formatBytes(item.fromBuilderBytes)} carried over from a stage` : '';
      lines.push(`  ${formatBytes(item.finding.bytes).padStart(9)}  L${item.finding.layer.index} ${safe(item.finding.title)}${copied}`);
    }
  }
  return lines;
}
