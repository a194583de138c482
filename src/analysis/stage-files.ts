// The final-tree files of one image, indexed for the comparisons: which file of it has the same
// content as another image's file (by digest, or by path and size without digests), and its
// files grouped by what they are (the categories of left-behind and of before/after).

import type { ImageAnalysis } from './analyse.js';
import { visitFinalFiles, type FinalFile } from './findings.js';
import type { Category } from './rules.js';
import { byBytesDescThenPath, byText } from '../model/order.js';

export type LeftBehindCategory = Exclude<Category, 'deleted-later' | 'overwritten' | 'metadata-only'> | 'sources' | 'other';

export interface StageSide {
  readonly reference: string;
  readonly imageBytes: number;
  readonly finalBytes: number;
  readonly layers: number;
  readonly files: number;
}

export interface LeftBehind {
  readonly category: LeftBehindCategory;
  readonly bytes: number;
  readonly files: number;
  /** The largest paths, largest first. */
  readonly paths: readonly { readonly path: string; readonly bytes: number }[];
}

export interface CategoryTotals {
  readonly files: number;
  readonly bytes: number;
  /** Largest first, "other" last. */
  readonly categories: readonly LeftBehind[];
}

export interface StageFiles {
  readonly all: readonly FinalFile[];
  /** This image's file with the same content as `file` (the same path first), if any. */
  match(file: FinalFile): { readonly file: FinalFile; readonly how: 'digest' | 'path-size' } | undefined;
  /** Whether this image holds `file`'s content anywhere (by digest; by path and size without). */
  holds(file: FinalFile): boolean;
  /** What makes two files the same content. */
  key(file: FinalFile): string;
}

const PATHS_PER_CATEGORY = 10;

export function stageFiles(analysis: ImageAnalysis): StageFiles {
  const all: FinalFile[] = [];
  // Every rule, as for a runtime image, whatever the image's role: a builder's compiler is left
  // behind as a toolchain, though it is no finding in the builder itself.
  visitFinalFiles(analysis.image, analysis.tree, 'final', analysis.provenance.layers, (file) => all.push(file), analysis.owners);
  const byDigest = new Map<string, FinalFile[]>();
  const byPath = new Map<string, FinalFile>();
  const keys = new Set<string>();
  const key = (file: FinalFile): string => file.entry.digest ?? `${file.path}\u0000${file.entry.size}`;
  for (const file of all) {
    byPath.set(file.path, file);
    keys.add(key(file));
    const digest = file.entry.digest;
    if (digest === undefined) continue;
    const same = byDigest.get(digest);
    if (same) same.push(file);
    else byDigest.set(digest, [file]);
  }
  return {
    all,
    key,
    holds: (file) => keys.has(key(file)),
    match(file) {
      const digest = file.entry.digest;
      if (digest !== undefined) {
        const same = byDigest.get(digest);
        return same ? { file: same.find((candidate) => candidate.path === file.path) ?? (same[0] as FinalFile), how: 'digest' } : undefined;
      }
      const atPath = byPath.get(file.path);
      return atPath && atPath.entry.digest === undefined && atPath.entry.size === file.entry.size ? { file: atPath, how: 'path-size' } : undefined;
    },
  };
}

/** Files grouped by the first rule each matches; what a COPY/ADD brought in as sources; the rest as other. */
export function byCategory(files: readonly FinalFile[]): CategoryTotals {
  const buckets = new Map<LeftBehindCategory, { bytes: number; files: number; paths: { path: string; bytes: number }[] }>();
  let bytes = 0;
  for (const file of files) {
    const category: LeftBehindCategory = file.rule ? (file.rule.category as LeftBehindCategory) : file.origin.kind === 'context' || file.origin.kind === 'copy' ? 'sources' : 'other';
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
