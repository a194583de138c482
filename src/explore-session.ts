// Loads an image for the explorer, progressively: the layer list from what the engine knows up
// front, then each layer as the export stream delivers it (placed by its diff ID), a file tree
// over the layers ready so far, and the full analysis at the end. Views subscribe to snapshots.

import type { FileContent } from './archive/read-file-content.js';
import { readLayerFile } from './sources/read-layer-file.js';
import type { ReadProgress } from './archive/read-image-archive.js';
import { compareStages, type SourceStage, type StageComparison } from './analysis/compare.js';
import type { ProvenanceInput } from './analysis/provenance.js';
import type { StepMap } from './build/step-map.js';
import type { StageTarget } from './cli/plan.js';
import { analyseImage, type AnalyseOptions, type ImageAnalysis } from './analysis/analyse.js';
import { layerBytes } from './analysis/figures.js';
import type { ImageTarget } from './sources/image-target.js';
import { LayerscopeError } from './errors.js';
import { buildFileTree } from './model/file-tree.js';
import { indexTree, warmTreeIndex, type TreeIndex } from './model/tree-view.js';
import { instructionOf } from './model/history.js';
import type { LayerContents, ParsedImage } from './model/types.js';
import type { OpenedImage } from './sources/open-image.js';
import { readImage, type LayerWatch, type ReadChoices } from './sources/read-image.js';
import { throttle } from './throttle.js';
import type { Platform } from './model/platform.js';

export interface LayerInfo {
  readonly index: number;
  readonly diffId: string;
  /** '' until known. */
  readonly instruction: string;
  /** Bytes of regular files, once the layer is read. */
  readonly bytes?: number;
  readonly ready: boolean;
}

export type LoadProgress = ReadProgress & { readonly expectedBytes?: number };

export interface ExploreSnapshot {
  readonly status: 'opening' | 'loading' | 'ready' | 'failed';
  readonly reference: string;
  readonly progress: LoadProgress;
  readonly layers: readonly LayerInfo[];
  /** Layers 0 … readyLayers-1 are read: their trees can be explored. */
  readonly readyLayers: number;
  /** The read layers' file tree, indexed for the explorer's views. */
  readonly index?: TreeIndex;
  readonly analysis?: ImageAnalysis;
  /** With a builder image: 'loading' while it is read (with how far), then the comparison (or the error). */
  readonly comparison?: { readonly status: 'loading'; readonly progress?: LoadProgress } | { readonly status: 'ready'; readonly value: StageComparison } | { readonly status: 'failed'; readonly error: LayerscopeError };
  /** Why loading failed: an error the user can act on (bugs reject load() instead). */
  readonly error?: LayerscopeError;
}

export interface ExploreSession {
  subscribe(listener: () => void): () => void;
  getSnapshot(): ExploreSnapshot;
  /** Runs the load; resolves when done or failed (a bug rejects). */
  load(): Promise<void>;
  /**
   * The first bytes of the file at `path` as `layer` wrote it, read again from the source (once the
   * image is read); undefined when that layer has no such file. Source errors reject.
   */
  readContent(layer: number, path: string): Promise<FileContent | undefined>;
}

/** What the file viewer shows at most. */
export const CONTENT_LIMIT = 64 * 1024;

export interface ExploreOptions {
  readonly target: ImageTarget;
  readonly open: (target: ImageTarget) => Promise<OpenedImage>;
  readonly platform?: Platform;
  readonly hashContent: boolean;
  /** --max-entries: stop reading beyond this many entries (sized from the heap otherwise). */
  readonly maxEntries?: number;
  /** Images to compare the target with (--builder, or the stages `layerscope build` built). */
  readonly builders?: readonly StageTarget[];
  /** What is known of the image's provenance beyond its history (the Dockerfile, the engine). */
  readonly provenance?: (image: ParsedImage) => Promise<ProvenanceInput>;
  /** The Dockerfile the image was built from (`layerscope build`): each layer's line and origin. */
  readonly dockerfile?: (image: ParsedImage) => StepMap;
  /**
   * Least time between two rebuilds of the explorable tree while layers arrive (500 ms by
   * default): each rebuild walks every path read so far on the thread that draws the screen.
   */
  readonly treeEveryMs?: number;
}

const NO_FLAGS: ReadonlySet<string> = new Set();

/** The snapshot views read, and who to tell when it changes. */
interface SnapshotStore {
  get(): ExploreSnapshot;
  update(change: Partial<ExploreSnapshot>): void;
  subscribe(listener: () => void): () => void;
}

function snapshotStore(initial: ExploreSnapshot): SnapshotStore {
  const listeners = new Set<() => void>();
  let snapshot = initial;
  return {
    get: () => snapshot,
    update(change) {
      snapshot = { ...snapshot, ...change };
      for (const listener of listeners) listener();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** Layers as the archive delivers them, placed by diff ID: the explorable ones are those read without a gap from the first. */
class ArrivingLayers {
  private readonly contents = new Map<number, LayerContents>();
  constructor(private readonly diffIds: readonly string[]) {}

  /** Places a finished layer (a layer stored twice fills both places); returns how many are explorable. */
  place(layer: LayerContents): number {
    this.diffIds.forEach((diffId, index) => {
      if (diffId === layer.diffId) this.contents.set(index, layer);
    });
    let ready = 0;
    while (this.contents.has(ready)) ready++;
    return ready;
  }

  get(index: number): LayerContents | undefined {
    return this.contents.get(index);
  }

  /** The first `count` layers' file tree, indexed for the views. */
  treeOf(count: number): TreeIndex {
    const prefix = Array.from({ length: count }, (_, index) => ({ contents: this.contents.get(index) as LayerContents }));
    return indexTree(buildFileTree({ layers: prefix }), NO_FLAGS);
  }
}

export function createExploreSession(options: ExploreOptions): ExploreSession {
  const store = snapshotStore({
    status: 'opening',
    reference: options.target.reference,
    progress: { archiveBytes: 0, blobsDone: 0 },
    layers: [],
    readyLayers: 0,
  });
  const read: ReadChoices = {
    hashContent: options.hashContent,
    ...(options.platform ? { platform: options.platform } : {}),
    ...(options.maxEntries ? { maxEntries: options.maxEntries } : {}),
  };
  // `v` reads from the source the image was read from (an archive file checked to be the same
  // file), not from whatever the name means by then.
  let opened: Promise<OpenedImage> | undefined;
  const openImage = (target: ImageTarget): Promise<OpenedImage> => (opened ??= options.open(target));
  return {
    subscribe: store.subscribe,
    getSnapshot: store.get,
    async load() {
      // A builder that cannot be opened (a typo'd --builder) is an input error, said at start.
      const builders: { stage: StageTarget; opened: OpenedImage }[] = [];
      for (const stage of options.builders ?? []) {
        const opened = await openOrFail(options, stage.target, store);
        if (!opened) return;
        builders.push({ stage, opened });
      }
      await loadImage({ ...options, open: openImage }, read, store);
      const analysis = store.get().analysis;
      if (builders.length > 0 && analysis) await loadComparison(options, builders, read, store, analysis);
    },
    async readContent(layer, path) {
      const image = store.get().analysis?.image;
      return image ? readLayerFile(await openImage(options.target), image, layer, path, CONTENT_LIMIT) : undefined;
    },
  };
}

/** Reads the image: the layer list from the preview at once, each layer as it arrives, the analysis at the end. */
async function loadImage(options: ExploreOptions, read: ReadChoices, store: SnapshotStore): Promise<void> {
  // The explorable tree, rebuilt at most every treeEveryMs, the latest pending: each rebuild walks
  // every path read so far on the thread that draws the screen.
  const rebuild = throttle(
    options.treeEveryMs ?? 500,
    (layers: ArrivingLayers, ready: number) => {
      if (store.get().status === 'loading' && ready > store.get().readyLayers) store.update({ readyLayers: ready, index: layers.treeOf(ready) });
    },
    { trailing: true },
  );
  const onOpened = async (opened: OpenedImage): Promise<LayerWatch | undefined> => {
    const preview = await opened.preview?.();
    const diffIds = preview?.diffIds ?? [];
    const instructions = preview ? guessInstructions(preview.history, diffIds.length) : [];
    store.update({
      status: 'loading',
      progress: { archiveBytes: 0, blobsDone: 0, ...(opened.expectedBytes ? { expectedBytes: opened.expectedBytes } : {}) },
      layers: diffIds.map((diffId, index) => ({ index, diffId, instruction: instructions[index] ?? '', ready: false })),
    });
    if (!preview) return undefined;
    const layers = new ArrivingLayers(diffIds);
    const onLayer = (_blob: string, contents: LayerContents): void => {
      const ready = layers.place(contents);
      store.update({
        layers: store.get().layers.map((info) => {
          const found = layers.get(info.index);
          return found && !info.ready ? { ...info, ready: true, bytes: layerBytes(found) } : info;
        }),
      });
      if (ready > store.get().readyLayers) rebuild(layers, ready);
    };
    // Placing layers before manifest.json arrives needs their diff IDs: verify them.
    return { onLayer, verify: true };
  };
  try {
    const image = await readImage(options.target, {
      read,
      open: options.open,
      onOpened,
      onProgress: (progress) => store.update({ progress: { ...store.get().progress, ...progress } }),
    });
    rebuild.cancel();
    const analysis = analyseImage(image, await analysisOptions(options, image));
    store.update({
      status: 'ready',
      analysis,
      index: warmTreeIndex(indexTree(analysis.tree, analysis.flaggedPaths)),
      readyLayers: image.layers.length,
      layers: analysis.layers.map((layer) => ({ index: layer.index, diffId: layer.diffId, instruction: layer.instruction, bytes: layer.bytes, ready: true })),
    });
  } catch (error) {
    if (!(error instanceof LayerscopeError)) throw error;
    store.update({ status: 'failed', error });
  } finally {
    rebuild.cancel();
  }
}

/** Opens an image; an error the user can act on fails the session (the explorer closes and says it). */
async function openOrFail(options: ExploreOptions, target: ImageTarget, store: SnapshotStore): Promise<OpenedImage | undefined> {
  try {
    return await options.open(target);
  } catch (error) {
    if (!(error instanceof LayerscopeError)) throw error;
    store.update({ status: 'failed', error });
    return undefined;
  }
}

/** The builders are read after the image, so the image is explorable first, showing how far each got; a failure to read one is shown, not fatal. */
async function loadComparison(
  options: ExploreOptions,
  builders: readonly { readonly stage: StageTarget; readonly opened: OpenedImage }[],
  read: ReadChoices,
  store: SnapshotStore,
  analysis: ImageAnalysis,
): Promise<void> {
  try {
    const sources: SourceStage[] = [];
    for (const { stage, opened } of builders) {
      const expected = opened.expectedBytes ? { expectedBytes: opened.expectedBytes } : {};
      store.update({ comparison: { status: 'loading', progress: { archiveBytes: 0, blobsDone: 0, ...expected } } });
      const image = await readImage(stage.target, {
        read,
        open: async () => opened,
        onProgress: (progress) => store.update({ comparison: { status: 'loading', progress: { ...progress, ...expected } } }),
      });
      sources.push({ name: stage.name, reference: stage.target.reference, analysis: analyseImage(image, { role: 'builder' }) });
    }
    const value = compareStages(analysis, sources, options.target.reference);
    store.update({ comparison: { status: 'ready', value } });
  } catch (error) {
    if (!(error instanceof LayerscopeError)) throw error;
    store.update({ comparison: { status: 'failed', error } });
  }
}

/**
 * The engine's history does not say which steps made layers. Until the image config arrives,
 * guess: RUN, COPY and ADD steps, and other steps with a size, make layers. Used only when the
 * guess accounts for every layer; the config's exact mapping replaces it when loading ends.
 */
export function guessInstructions(
  history: readonly { readonly createdBy: string; readonly size: number; readonly emptyLayer?: boolean }[],
  layerCount: number,
): string[] {
  // An image config says which steps made layers; only the engine's history needs a guess.
  if (history.length > 0 && history.every((step) => step.emptyLayer !== undefined)) {
    const exact = history.filter((step) => !step.emptyLayer).map((step) => instructionOf(step.createdBy));
    return exact.length === layerCount ? exact : [];
  }
  const making = history
    .map((step) => instructionOf(step.createdBy))
    .filter((instruction, i) => /^(RUN|COPY|ADD)\b/.test(instruction) || (history[i]?.size ?? 0) > 0 || instruction === '');
  return making.length === layerCount ? making : [];
}

/** What the session knows of the image beyond its layers: provenance, and the Dockerfile it was built from. */
async function analysisOptions(options: ExploreOptions, image: ParsedImage): Promise<AnalyseOptions> {
  return {
    role: 'final',
    ...(options.provenance ? { provenance: await options.provenance(image) } : {}),
    ...(options.dockerfile ? { dockerfile: options.dockerfile(image) } : {}),
  };
}
