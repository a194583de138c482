import { Box, Text } from 'ink';
import type { LayerSummary } from '../src/analysis/analyse.js';
import type { LayerInfo } from '../src/explore-session.js';
import type { DockerfileLocation } from '../src/model/types.js';
import { cut, formatBytes, pack, plural, safe, shortHashes, wrapInto } from './format.js';
import type { Theme } from './theme.js';

export type LayerDetailsProps = {
  /** The selected layer as the list knows it. */
  readonly layer: LayerInfo | undefined;
  /** Its full summary, once the whole image is read. */
  readonly summary: LayerSummary | undefined;
  /** Rows it has. */
  readonly height: number;
  readonly width: number;
  readonly theme: Theme;
};

/** The selected layer: digest, its instruction (as many lines as fit; `i` shows all of it), sizes and counts. */
export function LayerDetails({ layer, summary, height, width, theme }: LayerDetailsProps) {
  const lines = detailsLines(layer, summary, height, width, theme);
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      {lines.map((line, i) => (
        <Text key={i} bold={i === 0}>
          {line || ' '}
        </Text>
      ))}
    </Box>
  );
}

/** Exactly `height` lines (or fewer), none wider than `width`. */
export function detailsLines(layer: LayerInfo | undefined, summary: LayerSummary | undefined, height: number, width: number, theme: Theme): string[] {
  const { glyphs } = theme;
  if (!layer) return ['No layer selected.'];
  const header = cut(`Layer ${layer.index}  ${layer.diffId}`, width, glyphs.ellipsis);
  // Files are the regular files in the layer's tar; + ~ - count every path it changed.
  const stats = summary
    ? pack(
        [
          `${formatBytes(summary.bytes)} in ${plural(summary.entries.file, 'file')}`,
          `paths +${summary.changes.added} ~${summary.changes.modified} -${summary.changes.removed}`,
          `unreachable ${formatBytes(summary.unreachableBytes)}`,
        ],
        width,
        ` ${glyphs.dot} `,
      ).slice(0, Math.max(1, height - 2))
    : [layer.ready ? `${formatBytes(layer.bytes, glyphs.ellipsis)} ${glyphs.dot} read` : 'reading…'];
  const instruction = layer.instruction
    ? shortHashes(safe(layer.instruction.replace(/\s+/g, ' ')), glyphs.ellipsis)
    : summary ? '(no instruction recorded: an imported or squashed layer)' : '(instruction not known yet)';
  const line = summary?.location ? [cut(safe(dockerfileLine(summary.location)), width, glyphs.ellipsis)] : [];
  const room = Math.max(1, height - 1 - stats.length - line.length);
  return [header, ...wrapInto(instruction, width, room, 'i: all of it', glyphs.ellipsis), ...line, ...stats].slice(0, height);
}

/** Where `layerscope build`'s Dockerfile put the layer: `Dockerfile:12 COPY --from=deps (stage 3)`. */
function dockerfileLine(location: DockerfileLocation): string {
  const stage = location.stageName ?? `stage ${location.stage}`;
  const from = location.origin?.kind === 'stage' ? ` from ${location.origin.name ?? `stage ${location.origin.stage}`}` : location.origin?.kind === 'image' ? ` from ${location.origin.image}` : '';
  return `${location.file.split("/").pop() ?? location.file}:${location.line} ${location.kind === 'base' ? 'base image (FROM)' : `${location.keyword}${from}`} in ${stage}`;
}
