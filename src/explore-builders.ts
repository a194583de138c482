// The explorer's builders (--builder, or the stages `layerscope build` built): read beside the
// image, each on a worker thread of its own, shown loading together, compared once the image is
// analysed; a builder that cannot be read is shown, not fatal.

import type { SourceStage, StageComparison, compareStages } from './analysis/compare.js';
import type { ImageAnalysis, analyseImage } from './analysis/analyse.js';
import type { ReadProgress } from './archive/read-image-archive.js';
import type { StageTarget } from './cli/plan.js';
import { LayerscopeError } from './errors.js';
import type { ParsedImage } from './model/types.js';
import type { OpenedImage } from './sources/open-image.js';
import type { ReadChoices } from './sources/read-image.js';
import type { readTogether } from './sources/read-together.js';
import { progressTogether } from './sources/progress-together.js';

export type LoadProgress = ReadProgress & { readonly expectedBytes?: number };

/** With a builder image: 'loading' while it is read (with how far), then the comparison (or the error). */
export type ComparisonState = { readonly status: 'loading'; readonly progress?: LoadProgress } | { readonly status: 'ready'; readonly value: StageComparison } | { readonly status: 'failed'; readonly error: LayerscopeError };

/** Where the comparison is shown (the session's snapshot). */
export interface ComparisonShown {
  show(comparison: ComparisonState): void;
  current(): ComparisonState | undefined;
}

/** The reader and the analysis, imported when loading starts (explore-session.ts). */
type Reading = () => Promise<{ readonly readTogether: typeof readTogether; readonly analyseImage: typeof analyseImage; readonly compareStages: typeof compareStages }>;

/** The builders' reads, started together: their images when read, and how to stop them. */
export interface BuilderReads {
  readonly stages: readonly StageTarget[];
  readonly images: readonly Promise<ParsedImage>[];
  stop(): void;
}

/** Starts reading the builders, showing how far they got together (bytes of their archives against what they expect). */
export function readBuilders(builders: readonly { readonly stage: StageTarget; readonly opened: OpenedImage }[], read: ReadChoices, shown: ComparisonShown, reading: Reading): BuilderReads {
  const reads = builders.map(({ opened }) => ({ progress: { archiveBytes: 0, blobsDone: 0 } as ReadProgress, expectedBytes: opened.expectedBytes as number | undefined }));
  const sum = (): LoadProgress => {
    const { expectedBytes, ...progress } = progressTogether(reads);
    return expectedBytes ? { ...progress, expectedBytes } : progress;
  };
  shown.show({ status: 'loading', progress: sum() });
  const stop = new AbortController();
  const opened = new Map(builders.map(({ stage, opened }) => [stage.target, opened]));
  const images = reading().then(({ readTogether }) =>
    readTogether(
      builders.map(({ stage }) => stage.target),
      {
        read,
        open: async (target) => opened.get(target) as OpenedImage,
        signal: stop.signal,
        onProgress: (index, each) => {
          reads[index] = { progress: each, expectedBytes: reads[index]?.expectedBytes };
          if (shown.current()?.status === 'loading') shown.show({ status: 'loading', progress: sum() });
        },
      },
    ),
  );
  const each = builders.map((_, index) => images.then((all) => all[index] as Promise<ParsedImage>));
  for (const image of each) image.catch(() => {});
  return { stages: builders.map(({ stage }) => stage), images: each, stop: () => stop.abort(new Error('the image could not be read')) };
}

/**
 * The comparison once the image is analysed; a failure to read a builder is shown, not fatal. When
 * the image could not be read, the builders' reads are stopped (their workers closed) instead.
 */
export async function compareWith(reference: string, builders: BuilderReads, shown: ComparisonShown, analysis: ImageAnalysis | undefined, reading: Reading): Promise<void> {
  if (!analysis) {
    builders.stop();
    await Promise.allSettled(builders.images);
    return;
  }
  try {
    const { analyseImage, compareStages } = await reading();
    const sources: SourceStage[] = [];
    for (const [index, stage] of builders.stages.entries()) {
      const image = await (builders.images[index] as Promise<ParsedImage>);
      sources.push({ name: stage.name, reference: stage.target.reference, analysis: analyseImage(image, { role: 'builder' }) });
    }
    const value = compareStages(analysis, sources, reference);
    shown.show({ status: 'ready', value });
  } catch (error) {
    if (!(error instanceof LayerscopeError)) throw error;
    shown.show({ status: 'failed', error });
  }
}
