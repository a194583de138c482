// Stage comparison: the final image of a multi-stage build against the builder stage it copies
// from. What the multi-stage build bought (the builder's bytes that stayed behind, by category),
// what crossed over (files of the final image's own layers that match a builder file), and what
// a builder stage would still have avoided (the final image's findings).
//
// Definitions:
// - shared layers: the longest common prefix of the two images' diff IDs (the same base);
// - carried over: a non-empty regular file of the final tree, written by one of the final image's
//   own layers, whose content digest equals a file in the builder's final tree; without digests
//   (--no-digest), a builder file at the same path with the same size ("path and size");
// - left behind: the builder's final-tree files that are not carried over, by the first rule each
//   matches (all rules, as for a runtime image), with files a COPY/ADD brought from the build
//   context as "sources", and the rest as "other" (the builder's base and installed files);
// - final as a percentage of builder: image bytes (all layers' files) of one over the other.

import type { Category } from './rules.js';
import type { ImageAnalysis } from './analyse.js';
import { isContextCopy, visitFinalFiles, type Finding, type FinalFile } from './findings.js';
import type { LayerRef } from '../model/types.js';
import { byBytesDescThenPath, byText } from '../model/order.js';

export type LeftBehindCategory = Exclude<Category, 'deleted-later' | 'overwritten' | 'metadata-only'> | 'sources' | 'other';

export interface StageSide {
  readonly reference: string;
  readonly imageBytes: number;
  readonly finalBytes: number;
  readonly layers: number;
  readonly files: number;
}

export interface CarriedFile {
  readonly path: string;
  readonly builderPath: string;
  readonly bytes: number;
  /** The final image's layer that holds it, and its instruction. */
  readonly layer: number;
  readonly instruction: string;
  readonly match: 'digest' | 'path-size';
}

export interface LeftBehind {
  readonly category: LeftBehindCategory;
  readonly bytes: number;
  readonly files: number;
  /** The largest paths, largest first. */
  readonly paths: readonly { readonly path: string; readonly bytes: number }[];
}

export interface StillInFinal {
  readonly finding: Finding;
  /** Of the finding's files, those whose content is in the builder too (copied across). */
  readonly fromBuilderFiles: number;
  readonly fromBuilderBytes: number;
}

export interface StageComparison {
  readonly final: StageSide;
  readonly builder: StageSide;
  /** final.imageBytes / builder.imageBytes, as a fraction (0.05 is 5%). */
  readonly finalShareOfBuilder: number;
  readonly sharedLayers: number;
  /** Where the two part ways: each image's first layer after the shared ones (none when it has no more). */
  readonly divergence: { readonly final: LayerRef | null; readonly builder: LayerRef | null };
  readonly carriedOver: {
    readonly files: number;
    readonly bytes: number;
    /** Matched by path and size only, for want of digests. */
    readonly byPathAndSize: number;
    /** Largest first. */
    readonly list: readonly CarriedFile[];
  };
  readonly leftBehind: CategoryTotals;
  readonly stillInFinal: readonly StillInFinal[];
}

const LIST_LENGTH = 50;
const PATHS_PER_CATEGORY = 10;

export function compareStages(final: ImageAnalysis, builder: ImageAnalysis, references: { final: string; builder: string }): StageComparison {
  const sharedLayers = commonPrefix(
    final.image.layers.map((layer) => layer.diffId),
    builder.image.layers.map((layer) => layer.diffId),
  );

  const builderFiles: FinalFile[] = [];
  visitFinalFiles(builder.image, builder.tree, 'final', (file) => builderFiles.push(file));
  const builderByDigest = new Map<string, FinalFile[]>();
  const builderByPath = new Map<string, FinalFile>();
  for (const file of builderFiles) {
    builderByPath.set(file.path, file);
    const digest = file.entry.digest;
    if (digest === undefined) continue;
    const same = builderByDigest.get(digest);
    if (same) same.push(file);
    else builderByDigest.set(digest, [file]);
  }

  // Files of the final image: carried over (own layers), and the digests it holds at all.
  const carried: CarriedFile[] = [];
  const finalDigests = new Set<string>();
  const finalPathSizes = new Set<string>();
  const fromBuilder = new Map<string, { files: number; bytes: number }>(); // by rule and layer
  visitFinalFiles(final.image, final.tree, 'final', (file) => {
    const digest = file.entry.digest;
    if (digest !== undefined) finalDigests.add(digest);
    else finalPathSizes.add(`${file.path}\u0000${file.entry.size}`);
    if (file.entry.size === 0) return;
    const match = matchInBuilder(file, builderByDigest, builderByPath);
    if (!match) return;
    if (file.rule) {
      const key = `${file.rule.id}\u0000${file.layer}`;
      const tally = fromBuilder.get(key) ?? { files: 0, bytes: 0 };
      fromBuilder.set(key, { files: tally.files + 1, bytes: tally.bytes + file.entry.size });
    }
    if (file.layer < sharedLayers) return;
    carried.push({ path: file.path, builderPath: match.file.path, bytes: file.entry.size, layer: file.layer, instruction: file.instruction, match: match.how });
  });
  carried.sort(byBytesDescThenPath);

  // The builder's files that did not reach the final image, by what they are.
  const reached = (file: FinalFile): boolean =>
    file.entry.digest !== undefined ? finalDigests.has(file.entry.digest) : finalPathSizes.has(`${file.path}\u0000${file.entry.size}`);
  const leftBehind = byCategory(builderFiles.filter((file) => file.layer >= sharedLayers && !reached(file)));

  const stillInFinal = final.findings.map((finding): StillInFinal => {
    const tally = fromBuilder.get(`${finding.ruleId}\u0000${finding.layer.index}`);
    return { finding, fromBuilderFiles: finding.hiddenBy ? 0 : (tally?.files ?? 0), fromBuilderBytes: finding.hiddenBy ? 0 : (tally?.bytes ?? 0) };
  });

  return {
    final: side(final, references.final),
    builder: side(builder, references.builder),
    finalShareOfBuilder: builder.figures.imageBytes === 0 ? 0 : final.figures.imageBytes / builder.figures.imageBytes,
    sharedLayers,
    divergence: { final: layerAt(final, sharedLayers), builder: layerAt(builder, sharedLayers) },
    carriedOver: {
      files: carried.length,
      bytes: carried.reduce((sum, file) => sum + file.bytes, 0),
      byPathAndSize: carried.filter((file) => file.match === 'path-size').length,
      list: carried.slice(0, LIST_LENGTH),
    },
    leftBehind,
    stillInFinal,
  };
}

export interface CategoryTotals {
  readonly files: number;
  readonly bytes: number;
  /** Largest first, "other" last. */
  readonly categories: readonly LeftBehind[];
}

/** Files grouped by the first rule each matches; context copies as sources; the rest as other. */
export function byCategory(files: readonly FinalFile[]): CategoryTotals {
  const buckets = new Map<LeftBehindCategory, { bytes: number; files: number; paths: { path: string; bytes: number }[] }>();
  let bytes = 0;
  for (const file of files) {
    const category: LeftBehindCategory = file.rule ? (file.rule.category as LeftBehindCategory) : isContextCopy(file.instruction) ? 'sources' : 'other';
    const bucket = buckets.get(category) ?? { bytes: 0, files: 0, paths: [] };
    bucket.bytes += file.entry.size;
    bucket.files++;
    bucket.paths.push({ path: file.path, bytes: file.entry.size });
    buckets.set(category, bucket);
    bytes += file.entry.size;
  }
  const categories = [...buckets].map(
    ([category, bucket]): LeftBehind => ({
      category,
      bytes: bucket.bytes,
      files: bucket.files,
      paths: bucket.paths.sort(byBytesDescThenPath).slice(0, PATHS_PER_CATEGORY),
    }),
  );
  // "other" last: it is what any image of that base holds, not what the build made.
  categories.sort((a, b) => Number(a.category === 'other') - Number(b.category === 'other') || b.bytes - a.bytes || byText(a.category, b.category));
  return { files: files.length, bytes, categories };
}

/** An image's sizes and counts, for a side-by-side table. */
export const side = (analysis: ImageAnalysis, reference: string): StageSide => ({
  reference,
  imageBytes: analysis.figures.imageBytes,
  finalBytes: analysis.figures.finalBytes,
  layers: analysis.image.layers.length,
  files: analysis.figures.finalFiles,
});

function matchInBuilder(
  file: FinalFile,
  byDigest: ReadonlyMap<string, readonly FinalFile[]>,
  byPath: ReadonlyMap<string, FinalFile>,
): { file: FinalFile; how: 'digest' | 'path-size' } | undefined {
  const digest = file.entry.digest;
  if (digest !== undefined) {
    const same = byDigest.get(digest);
    if (!same) return undefined;
    // The same path when the builder has it there, else the first by path.
    return { file: same.find((candidate) => candidate.path === file.path) ?? (same[0] as FinalFile), how: 'digest' };
  }
  const atPath = byPath.get(file.path);
  return atPath && atPath.entry.digest === undefined && atPath.entry.size === file.entry.size ? { file: atPath, how: 'path-size' } : undefined;
}

function layerAt(analysis: ImageAnalysis, index: number): LayerRef | null {
  const layer = analysis.layers[index];
  return layer ? { index, instruction: layer.instruction } : null;
}

function commonPrefix(a: readonly string[], b: readonly string[]): number {
  let shared = 0;
  while (shared < a.length && shared < b.length && a[shared] === b[shared]) shared++;
  return shared;
}
