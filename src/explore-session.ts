// Loads an image for the explorer, progressively: the layer list from what the engine knows up
// front, then each layer as the export stream delivers it (placed by its diff ID), a file tree
// over the layers ready so far (grown a layer at a time), and the full analysis at the end;
// builders are read beside it.
// Views subscribe to snapshots.

import type { FileContent } from './archive/read-file-content.js';
import type { ProvenanceInput } from './analysis/provenance.js';
import type { StepMap } from './build/step-map.js';
import type { StageTarget } from './cli/plan.js';
import type { AnalyseOptions, ImageAnalysis, analyseImage as AnalyseImageFn } from './analysis/analyse.js';
import { layerBytes } from './analysis/figures.js';
import type { ImageTarget } from './sources/image-target.js';
import { LayerscopeError } from './errors.js';
import { ArrivingLayers } from './model/arriving-layers.js';
import { compareWith, readBuilders, type ComparisonState, type LoadProgress } from './explore-builders.js';
import { indexTree, warmTreeIndex, withFlags, type TreeIndex } from './model/tree-view.js';
import { instructionOf } from './model/history.js';
import type { LayerContents, ParsedImage } from './model/types.js';
import type { OpenedImage } from './sources/open-image.js';
import type { LayerWatch, ReadChoices } from './sources/read-image.js';
import type { Platform } from './model/platform.js';

type AnalyseImage = typeof AnalyseImageFn;

/** The reader and the analysis, imported when loading starts: the first frame needs neither, and loading them would delay it. */
async function reading() {
  const [image, analyse, compare, layerFile, together] = await Promise.all([
    import('./sources/read-image.js'),
    import('./analysis/analyse.js'),
    import('./analysis/compare.js'),
    import('./sources/read-layer-file.js'),
    import('./sources/read-together.js'),
  ]);
  return { readImage: image.readImage, analyseImage: analyse.analyseImage, compareStages: compare.compareStages, readLayerFile: layerFile.readLayerFile, readTogether: together.readTogether };
}

export interface LayerInfo {
  readonly index: number;
  readonly diffId: string;
  /** '' until known. */
  readonly instruction: string;
  /** Bytes of regular files, once the layer is read. */
  readonly bytes?: number;
  readonly ready: boolean;
}

export type { LoadProgress } from './explore-builders.js';

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
  readonly comparison?: ComparisonState;
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
  readonly dockerfile?: (image: ParsedImage) => StepMap | Promise<StepMap>;
}

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
  let opened: Promise<OpenedImage> | undefined; // `v` reads the source the image was read from, not what the name means by then
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
      // The builders are read beside the image, each on a worker thread of its own; the image's
      // layers are explorable as they arrive, whatever the builders' reads do.
      const comparison = { show: (comparison: ComparisonState) => store.update({ comparison }), current: () => store.get().comparison };
      const comparing = builders.length > 0 ? readBuilders(builders, read, comparison, reading) : undefined;
      await loadImage({ ...options, open: openImage }, read, store).catch((error: unknown) => {
        comparing?.stop();
        throw error;
      });
      const analysis = store.get().analysis;
      if (comparing) await compareWith(options.target.reference, comparing, comparison, analysis, reading);
    },
    async readContent(layer, path) {
      const image = store.get().analysis?.image;
      if (!image) return undefined;
      const { readLayerFile } = await reading();
      return readLayerFile(await openImage(options.target), image, layer, path, CONTENT_LIMIT);
    },
  };
}

/** Reads the image: the layer list from the preview at once, each layer as it arrives, the analysis at the end. */
async function loadImage(options: ExploreOptions, read: ReadChoices, store: SnapshotStore): Promise<void> {
  let arriving: ArrivingLayers | undefined;
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
    const layers = (arriving = new ArrivingLayers(diffIds));
    const onLayer = (_blob: string, contents: LayerContents): void => {
      const ready = layers.place(contents);
      store.update({
        layers: store.get().layers.map((info) => {
          const found = layers.get(info.index);
          return found && !info.ready ? { ...info, ready: true, bytes: layerBytes(found) } : info;
        }),
      });
      // The explorable tree grows by the layers now ready (their own paths only), at once; said
      // after the layer's bytes were, so a view can tell how long it took.
      if (ready > store.get().readyLayers && store.get().status === 'loading') store.update({ readyLayers: ready, index: layers.treeOf(ready) });
    };
    // Placing layers before manifest.json arrives needs their diff IDs: verify them.
    return { onLayer, verify: true };
  };
  try {
    const { readImage, analyseImage } = await reading();
    const image = await readImage(options.target, {
      read,
      open: options.open,
      onOpened,
      onProgress: (progress) => store.update({ progress: { ...store.get().progress, ...progress } }),
    });
    const analysis = await analyse(options, image, arriving, store, analyseImage);
    store.update({
      status: 'ready',
      analysis,
      index: warmTreeIndex(finalIndex(store.get().index, analysis)),
      readyLayers: image.layers.length,
      layers: analysis.layers.map((layer) => ({ index: layer.index, diffId: layer.diffId, instruction: layer.instruction, bytes: layer.bytes, ready: true })),
    });
  } catch (error) {
    if (!(error instanceof LayerscopeError)) throw error;
    store.update({ status: 'failed', error });
  }
}

/** The analysis, over the tree of every layer built while they arrived: one tree held, not two; every layer explorable while it runs. */
async function analyse(options: ExploreOptions, image: ParsedImage, arriving: ArrivingLayers | undefined, store: SnapshotStore, analyseImage: AnalyseImage): Promise<ImageAnalysis> {
  const all = arriving?.treeOfAll(image);
  if (all && store.get().readyLayers < image.layers.length) store.update({ readyLayers: image.layers.length, index: all });
  return analyseImage(image, { ...(await analysisOptions(options, image)), ...(all ? { tree: all.tree } : {}) });
}

/** The analysed tree's index: the one built while loading when it is of the same tree (one index held, not two), with the findings' paths flagged. */
function finalIndex(loading: TreeIndex | undefined, analysis: ImageAnalysis): TreeIndex {
  return loading?.tree === analysis.tree ? withFlags(loading, analysis.flaggedPaths) : indexTree(analysis.tree, analysis.flaggedPaths);
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
    ...(options.dockerfile ? { dockerfile: await options.dockerfile(image) } : {}),
  };
}
