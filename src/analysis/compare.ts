// Stage comparison: the final image of a multi-stage build against every stage it copies from.
// What the multi-stage build bought (each stage's bytes that stayed behind, by category), what
// COPY --from really brought across, and what a builder stage would still have avoided.
//
// Definitions (provenance over resemblance, STYLE.md 24):
// - shared layers (per stage): the longest common prefix of the two images' diff IDs;
// - carried over: a non-empty regular file of the final tree written by a final-image layer that a
//   COPY/ADD from another stage made (the Dockerfile names the stage with `layerscope build`; from
//   the history alone, any COPY/ADD layer whose source is not recorded, outside the shared base),
//   matched to that stage's file by content digest (without digests, same path and size);
// - installed in both stages: a file a RUN (or any non-copy layer) of the final image wrote that
//   equals a builder file — it did not come from the builder, the final stage made it itself;
// - left behind (per stage): the stage's final-tree files above the shared base whose content the
//   final image does not hold, by the first rule each matches; in total, each content counted once;
// - final as a share of a stage: image bytes of one over the other.

import type { ImageAnalysis } from './analyse.js';
import type { Finding } from './findings.js';
import type { LayerRef } from '../model/types.js';
import { byBytesDescThenPath } from '../model/order.js';
import { byCategory, side, stageFiles, type CategoryTotals, type StageFiles, type StageSide } from './stage-files.js';
import type { LayerOrigin } from './provenance.js';

export { byCategory, side, type CategoryTotals, type LeftBehind, type LeftBehindCategory, type StageSide } from './stage-files.js';

/** One stage the final image copies from, as the caller read it. */
export interface SourceStage {
  readonly analysis: ImageAnalysis;
  readonly reference: string;
  /** The stage's name in the Dockerfile (`deps`), or the reference for --builder. */
  readonly name: string;
}

export interface MatchedFile {
  readonly path: string;
  /**
   * Carried over: the stage it came from; for a COPY the history does not name (--builder), every
   * stage that may have sent it (those holding most of that layer's files), joined by " or ".
   * Installed in both: the largest stage holding the same content.
   */
  readonly stage: string;
  readonly builderPath: string;
  readonly bytes: number;
  /** The final image's layer that holds it, and its instruction. */
  readonly layer: number;
  readonly instruction: string;
  readonly match: 'digest' | 'path-size';
}


export interface MatchedTotals {
  readonly files: number;
  readonly bytes: number;
  /** Matched by path and size only, for want of digests. */
  readonly byPathAndSize: number;
  /** Largest first. */
  readonly list: readonly MatchedFile[];
}

export interface StageResult {
  readonly name: string;
  readonly side: StageSide;
  /** final.imageBytes / this stage's imageBytes, as a fraction (0.05 is 5%). */
  readonly finalShare: number;
  readonly sharedLayers: number;
  /** Where the two part ways: each image's first layer after the shared ones (none when it has no more). */
  readonly divergence: { readonly final: LayerRef | null; readonly builder: LayerRef | null };
  readonly carriedOver: MatchedTotals;
  readonly installedInBoth: MatchedTotals;
  readonly leftBehind: CategoryTotals;
}

export interface StillInFinal {
  readonly finding: Finding;
  /** Of the finding's files, those carried over from a stage (COPY --from), by provenance. */
  readonly fromBuilderFiles: number;
  readonly fromBuilderBytes: number;
}

export interface StageComparison {
  readonly final: StageSide;
  /** The largest stage: the headline's "builder". */
  readonly builder: StageSide;
  /** final.imageBytes / builder.imageBytes, as a fraction (0.05 is 5%). */
  readonly finalShareOfBuilder: number;
  readonly sharedLayers: number;
  readonly divergence: StageResult['divergence'];
  /** Every stage the final one copies from, largest first. */
  readonly stages: readonly StageResult[];
  /** Over all stages; a file counts once. */
  readonly carriedOver: MatchedTotals;
  readonly installedInBoth: MatchedTotals;
  /** Over all stages; each content counts once. */
  readonly leftBehind: CategoryTotals;
  readonly stillInFinal: readonly StillInFinal[];
}

const LIST_LENGTH = 50;

export function compareStages(final: ImageAnalysis, sources: readonly SourceStage[], finalReference: string): StageComparison {
  if (sources.length === 0) throw new RangeError('a stage comparison needs a stage to compare with');
  const ordered = [...sources].sort((a, b) => b.analysis.figures.imageBytes - a.analysis.figures.imageBytes);
  const stages = ordered.map((source) => ({ source, files: stageFiles(source.analysis), shared: sharedPrefix(final, source.analysis) }));
  const finalFiles = stageFiles(final);
  const matched = matchFinalFiles(final, finalFiles, stages);

  // Each stage's files that did not reach the final image; in total, each content once.
  const counted = new Set<string>();
  const leftAll: StageFiles['all'][number][] = [];
  const results = stages.map(({ source, files, shared }): StageResult => {
    const left = files.all.filter((file) => file.layer >= shared && !finalFiles.holds(file));
    for (const file of left) {
      const key = files.key(file);
      if (counted.has(key)) continue;
      counted.add(key);
      leftAll.push(file);
    }
    const lists = matched.perStage.get(source.name) ?? { carried: [], installed: [] };
    return {
      name: source.name,
      side: side(source.analysis, source.reference),
      finalShare: share(final, source.analysis),
      sharedLayers: shared,
      divergence: { final: layerAt(final, shared), builder: layerAt(source.analysis, shared) },
      carriedOver: totals(lists.carried),
      installedInBoth: totals(lists.installed),
      leftBehind: byCategory(left),
    };
  });

  const stillInFinal = final.findings.map((finding): StillInFinal => {
    const tally = finding.hiddenBy ? undefined : matched.fromStage.get(`${finding.ruleId}\u0000${finding.layer.index}`);
    return { finding, fromBuilderFiles: tally?.files ?? 0, fromBuilderBytes: tally?.bytes ?? 0 };
  });

  const primary = results[0] as StageResult;
  return {
    final: side(final, finalReference),
    builder: primary.side,
    finalShareOfBuilder: primary.finalShare,
    sharedLayers: primary.sharedLayers,
    divergence: primary.divergence,
    stages: results,
    carriedOver: totals([...matched.carried.values()]),
    installedInBoth: totals([...matched.installed.values()]),
    leftBehind: byCategory(leftAll),
    stillInFinal,
  };
}

/** A stage as the comparison reads it: its files, and how many layers it shares with the final image. */
interface ReadStage {
  readonly source: SourceStage;
  readonly files: StageFiles;
  readonly shared: number;
}

interface Matches {
  /** Over all stages, by final path (a file once). */
  readonly carried: Map<string, MatchedFile>;
  readonly installed: Map<string, MatchedFile>;
  readonly perStage: Map<string, { carried: MatchedFile[]; installed: MatchedFile[] }>;
  /** Carried files that a rule flags, by rule and layer. */
  readonly fromStage: Map<string, { files: number; bytes: number }>;
}

/** Each final file a stage also holds: carried over when a COPY from a stage wrote it, else installed in both. */
function matchFinalFiles(final: ImageAnalysis, finalFiles: StageFiles, stages: readonly ReadStage[]): Matches {
  const matches: Matches = {
    carried: new Map(),
    installed: new Map(),
    perStage: new Map(stages.map((s) => [s.source.name, { carried: [], installed: [] }])),
    fromStage: new Map(),
  };
  const found = stageMatches(final, finalFiles, stages);
  const sources = copySources(found);
  for (const { file, copied, held } of found) {
    // A COPY whose source the history leaves open came from the stage(s) holding most of its layer's files.
    const credited = copied ? held.filter((match) => sources.get(file.contentLayer)?.has(match.stage) ?? true) : held;
    if (credited.length === 0) continue;
    for (const matched of credited) {
      const lists = matches.perStage.get(matched.stage);
      (copied ? lists?.carried : lists?.installed)?.push(matched);
    }
    const first = credited[0] as MatchedFile;
    // In the total a file counts once: carried over from every stage that may have sent it, installed as in the largest.
    (copied ? matches.carried : matches.installed).set(file.path, copied ? { ...first, stage: credited.map((match) => match.stage).join(' or ') } : first);
    if (copied && file.rule) {
      const key = `${file.rule.id}\u0000${file.layer}`;
      const tally = matches.fromStage.get(key) ?? { files: 0, bytes: 0 };
      matches.fromStage.set(key, { files: tally.files + 1, bytes: tally.bytes + file.entry.size });
    }
  }
  return matches;
}

interface FileMatches {
  readonly file: StageFiles['all'][number];
  /** Written by a COPY from a stage (named, or of unknown source). */
  readonly copied: boolean;
  /** The stages that hold the same content (largest stage first). */
  readonly held: readonly MatchedFile[];
}

/** For each non-empty final file outside the base and the context's copies: the stages holding it. */
function stageMatches(final: ImageAnalysis, finalFiles: StageFiles, stages: readonly ReadStage[]): FileMatches[] {
  const found: FileMatches[] = [];
  for (const file of finalFiles.all) {
    if (file.entry.size === 0) continue;
    // Where the content came from: a chown/chmod after a COPY --from rewrites the files, not their origin.
    const origin = final.provenance.layers[file.contentLayer] ?? { kind: 'other' };
    if (origin.kind === 'base' || origin.kind === 'context') continue;
    const held: MatchedFile[] = [];
    for (const { source, files, shared } of stages) {
      // A shared layer is the same layer in both images: neither carried over nor made twice.
      if (file.contentLayer < shared || (origin.kind === 'stage' && !sameStage(origin.stage, source.name))) continue;
      const match = files.match(file);
      if (match) held.push({ path: file.path, stage: source.name, builderPath: match.file.path, bytes: file.entry.size, layer: file.layer, instruction: file.instruction, match: match.how });
    }
    if (held.length > 0) found.push({ file, copied: isCopyFromStage(origin), held });
  }
  return found;
}

/** Per COPY layer: the stages that hold the most of its files (several on a tie) — where that one COPY read from. */
function copySources(found: readonly FileMatches[]): Map<number, Set<string>> {
  const counts = new Map<number, Map<string, number>>();
  for (const { file, copied, held } of found) {
    if (!copied) continue;
    const byStage = counts.get(file.contentLayer) ?? new Map<string, number>();
    for (const match of held) byStage.set(match.stage, (byStage.get(match.stage) ?? 0) + 1);
    counts.set(file.contentLayer, byStage);
  }
  const sources = new Map<number, Set<string>>();
  for (const [layer, byStage] of counts) {
    const most = Math.max(...byStage.values());
    sources.set(layer, new Set([...byStage].filter(([, count]) => count === most).map(([stage]) => stage)));
  }
  return sources;
}

/** A COPY/ADD layer that may hold another stage's files: named by the Dockerfile, or a copy of unknown source. */
const isCopyFromStage = (origin: LayerOrigin): boolean => origin.kind === 'stage' || origin.kind === 'copy';

/** `--from` takes a name in any case, or a stage's index as the builder names it. */
const sameStage = (from: string, name: string): boolean => from.toLowerCase() === name.toLowerCase();

function totals(files: readonly MatchedFile[]): MatchedTotals {
  const sorted = [...files].sort(byBytesDescThenPath);
  return {
    files: sorted.length,
    bytes: sorted.reduce((sum, file) => sum + file.bytes, 0),
    byPathAndSize: sorted.filter((file) => file.match === 'path-size').length,
    list: sorted.slice(0, LIST_LENGTH),
  };
}

const share = (final: ImageAnalysis, stage: ImageAnalysis): number =>
  stage.figures.imageBytes === 0 ? 0 : final.figures.imageBytes / stage.figures.imageBytes;

/**
 * The layers both images start with: the same diff IDs, up to the first layer the final image made
 * by a COPY from another stage. Such a layer can be byte-identical to the stage's own layer (a COPY
 * --from of what one RUN wrote), yet it is what the COPY brought, not a base both stand on.
 */
function sharedPrefix(final: ImageAnalysis, source: ImageAnalysis): number {
  const left = final.image.layers;
  const right = source.image.layers;
  let shared = 0;
  while (
    shared < left.length &&
    shared < right.length &&
    left[shared]?.diffId === right[shared]?.diffId &&
    !isCopyFromStage(final.provenance.layers[shared] ?? { kind: 'other' })
  ) {
    shared++;
  }
  return shared;
}

function layerAt(analysis: ImageAnalysis, index: number): LayerRef | null {
  const layer = analysis.layers[index];
  return layer ? { index, instruction: layer.instruction } : null;
}
