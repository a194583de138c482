// Loads an image for the explorer, progressively: the layer list from what the engine knows up
// front, then each layer as the export stream delivers it (placed by its diff ID), a file tree
// over the layers ready so far, and the full analysis at the end. Views subscribe to snapshots.

import { blobsOfLayer, readFileContent, type FileContent } from './archive/read-file-content.js';
import { readImageArchive, type ReadProgress } from './archive/read-image-archive.js';
import { createWorkerLayerReader } from './archive/worker-layer-reader.js';
import { compareStages, type SourceStage, type StageComparison } from './analysis/compare.js';
import type { ProvenanceInput } from './analysis/provenance.js';
import { analyseImage, type ImageAnalysis } from './analysis/analyse.js';
import { layerBytes } from './analysis/figures.js';
import type { StageTarget } from './cli/plan.js';
import type { ImageTarget } from './sources/image-target.js';
import { LayerscopeError } from './errors.js';
import { buildFileTree } from './model/file-tree.js';
import { indexTree, warmTreeIndex, type TreeIndex } from './model/tree-view.js';
import { instructionOf } from './model/history.js';
import type { LayerContents, ParsedImage } from './model/types.js';
import { readOptionsFor, type OpenedImage } from './sources/open-image.js';
import type { Platform } from './archive/resolve-layout.js';

export interface LayerInfo {
  readonly index: number;
  readonly diffId: string;
  /** '' until known. */
  readonly instruction: string;
  /** Bytes of regular files, once the layer is read. */
  readonly bytes?: number;
  readonly ready: boolean;
}

export interface ExploreSnapshot {
  readonly status: 'opening' | 'loading' | 'ready' | 'failed';
  readonly reference: string;
  readonly progress: ReadProgress & { readonly expectedBytes?: number };
  readonly layers: readonly LayerInfo[];
  /** Layers 0 … readyLayers-1 are read: their trees can be explored. */
  readonly readyLayers: number;
  /** The read layers' file tree, indexed for the explorer's views. */
  readonly index?: TreeIndex;
  readonly analysis?: ImageAnalysis;
  /** With a builder image: 'loading' while it is read, then the comparison (or the error). */
  readonly comparison?: { readonly status: 'loading' } | { readonly status: 'ready'; readonly value: StageComparison } | { readonly status: 'failed'; readonly error: LayerscopeError };
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
  /** Images to compare the target with (--builder, or the stages `layerscope build` built). */
  readonly builders?: readonly StageTarget[];
  /** What is known of the image's provenance beyond its history (the Dockerfile, the engine). */
  readonly provenance?: (image: ParsedImage) => Promise<ProvenanceInput>;
  /**
   * Least time between two rebuilds of the explorable tree while layers arrive (500 ms by
   * default): each rebuild walks every path read so far on the thread that draws the screen.
   */
  readonly treeEveryMs?: number;
}

const NO_FLAGS: ReadonlySet<string> = new Set();

export function createExploreSession(options: ExploreOptions): ExploreSession {
  const listeners = new Set<() => void>();
  let snapshot: ExploreSnapshot = {
    status: 'opening',
    reference: options.target.reference,
    progress: { archiveBytes: 0, blobsDone: 0 },
    layers: [],
    readyLayers: 0,
  };
  const update = (change: Partial<ExploreSnapshot>): void => {
    snapshot = { ...snapshot, ...change };
    for (const listener of listeners) listener();
  };

  const choices = { hashContent: options.hashContent, ...(options.platform ? { platform: options.platform } : {}) };

  let stopRebuilds = (): unknown => undefined;
  const load = async (): Promise<void> => {
    const reader = createWorkerLayerReader();
    try {
      const opened = await options.open(options.target);
      const preview = await opened.preview?.();
      const diffIds = preview?.diffIds ?? [];
      const instructions = preview ? guessInstructions(preview.history, diffIds.length) : [];
      const contents = new Map<number, LayerContents>();
      update({
        status: 'loading',
        progress: { archiveBytes: 0, blobsDone: 0, ...(opened.expectedBytes ? { expectedBytes: opened.expectedBytes } : {}) },
        layers: diffIds.map((diffId, index) => ({ index, diffId, instruction: instructions[index] ?? '', ready: false })),
      });
      const onLayer = (_blob: string, layer: LayerContents): void => {
        diffIds.forEach((diffId, index) => {
          if (diffId === layer.diffId) contents.set(index, layer);
        });
        let ready = snapshot.readyLayers;
        while (contents.has(ready)) ready++;
        const layers = snapshot.layers.map((info) => {
          const found = contents.get(info.index);
          return found && !info.ready ? { ...info, ready: true, bytes: layerBytes(found) } : info;
        });
        update({ layers });
        if (ready > treeLayers) rebuildSoon(ready);
      };
      // The explorable prefix of layers, rebuilt at most every treeEveryMs, the latest one pending.
      let treeLayers = 0;
      let lastTreeAt = Number.NEGATIVE_INFINITY;
      let timer: NodeJS.Timeout | undefined;
      const rebuild = (ready: number): void => {
        timer = undefined;
        if (snapshot.status !== 'loading' || ready <= treeLayers) return;
        treeLayers = ready;
        lastTreeAt = Date.now();
        const prefix = Array.from({ length: ready }, (_, index) => ({ contents: contents.get(index) as LayerContents }));
        update({ readyLayers: ready, index: indexTree(buildFileTree({ layers: prefix }), NO_FLAGS) });
      };
      const rebuildSoon = (ready: number): void => {
        if (timer) clearTimeout(timer);
        const wait = lastTreeAt + (options.treeEveryMs ?? 500) - Date.now();
        if (wait <= 0) rebuild(ready);
        else timer = setTimeout(() => rebuild(ready), wait);
      };
      stopRebuilds = () => timer && clearTimeout(timer);
      let lastProgress = 0;
      const image = await readImageArchive(opened.archive(), {
        ...readOptionsFor(opened, choices),
        // Placing layers before manifest.json arrives needs their diff IDs: verify when previewing.
        verify: opened.verify || preview !== undefined,
        layerReader: reader.read,
        onLayer,
        onProgress: (progress) => {
          const now = Date.now();
          if (now - lastProgress < 100) return;
          lastProgress = now;
          update({ progress: { ...snapshot.progress, ...progress } });
        },
      });
      stopRebuilds();
      const analysis = analyseImage(image, { role: 'final', ...(options.provenance ? { provenance: await options.provenance(image) } : {}) });
      update({
        status: 'ready',
        analysis,
        index: warmTreeIndex(indexTree(analysis.tree, analysis.flaggedPaths)),
        readyLayers: image.layers.length,
        layers: analysis.layers.map((layer) => ({ index: layer.index, diffId: layer.diffId, instruction: layer.instruction, bytes: layer.bytes, ready: true })),
      });
    } catch (error) {
      if (!(error instanceof LayerscopeError)) throw error;
      update({ status: 'failed', error });
    } finally {
      stopRebuilds();
      await reader.close();
    }
    const analysis = snapshot.analysis;
    if (options.builders && options.builders.length > 0 && analysis) await loadComparison(options.builders, analysis);
  };

  /** The builder is read after the image, so the image is explorable first; its failure is shown, not fatal. */
  const loadComparison = async (builders: readonly StageTarget[], analysis: ImageAnalysis): Promise<void> => {
    update({ comparison: { status: 'loading' } });
    const reader = createWorkerLayerReader();
    try {
      const sources: SourceStage[] = [];
      for (const builder of builders) {
        const opened = await options.open(builder.target);
        const image = await readImageArchive(opened.archive(), { ...readOptionsFor(opened, choices), layerReader: reader.read });
        sources.push({ name: builder.name, reference: builder.target.reference, analysis: analyseImage(image, { role: 'builder' }) });
      }
      const value = compareStages(analysis, sources, options.target.reference);
      update({ comparison: { status: 'ready', value } });
    } catch (error) {
      if (!(error instanceof LayerscopeError)) throw error;
      update({ comparison: { status: 'failed', error } });
    } finally {
      await reader.close();
    }
  };

  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    getSnapshot: () => snapshot,
    load,
    async readContent(layer, path) {
      const image = snapshot.analysis?.image;
      const blobs = image ? blobsOfLayer(image, layer) : [];
      if (blobs.length === 0) return undefined;
      const opened = await options.open(options.target);
      return readFileContent(opened.archive(), blobs, path, CONTENT_LIMIT);
    },
  };
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

