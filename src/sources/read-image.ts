// Reading one image, the same for every caller — a report, the explorer, the builder or the
// version an image is compared with: open the source, take the image from the layer cache when
// it holds it whole, else parse its archive with layers on a worker thread (closed whatever
// happens), reporting progress at most every 100 ms, and keep what was read in the cache.

import { readImageArchive, type ReadImageOptions, type ReadProgress } from '../archive/read-image-archive.js';
import { NOT_THE_KNOWN_LAYER, notTheKnownLayer, type KnownLayer, type KnownLayers } from '../archive/known-layers.js';
import type { LayerContents, ParsedImage } from '../model/types.js';
import { createWorkerLayerReader } from '../archive/worker-layer-reader.js';
import type { ReadChoices } from './read-choices.js';
import { throttle } from '../throttle.js';
import type { ImageTarget } from './image-target.js';
import { openImage, openOptionsOf, readOptionsFor, type OpenedImage } from './open-image.js';
import type { BlobWriter, LayerCache, StagedLayer } from '../cache/layer-cache.js';
import { normalisePath } from '../archive/paths.js';
import { TooManyEntriesError } from '../errors.js';

const PROGRESS_EVERY_MS = 100;

export type { ReadChoices } from './read-choices.js';

/** Each layer as it finishes, before the layout is known: the explorer's progressive loading. */
export interface LayerWatch {
  readonly onLayer: (blob: string, contents: LayerContents) => void;
  /** Check layers against their diff IDs even where the source would not (placing them by diff ID needs it). */
  readonly verify: boolean;
}

export interface ReadImageRequest {
  readonly read: ReadChoices;
  /** How to open a target; openImage with `read.host` by default (tests give their own sources). */
  readonly open?: (target: ImageTarget) => Promise<OpenedImage>;
  /** Progress, at most every PROGRESS_EVERY_MS, with the archive bytes the source expects (when it knows). */
  readonly onProgress?: (progress: ReadProgress, expectedBytes: number | undefined) => void;
  /** Once the source is open, before its archive is read: what the caller shows up front, and whether it watches layers. */
  readonly onOpened?: (opened: OpenedImage) => Promise<LayerWatch | undefined>;
}

export async function readImage(target: ImageTarget, request: ReadImageRequest): Promise<ParsedImage> {
  const open = request.open ?? ((image: ImageTarget) => openImage(image, openOptionsOf(request.read)));
  const opened = await open(target);
  const watch = await request.onOpened?.(opened);
  const options = readOptionsFor(opened, request.read);
  const cached = opened.cache ? await readCached(opened, opened.cache, options) : undefined;
  if (cached) {
    for (const layer of cached.image.layers) watch?.onLayer(layer.blob, layer.contents);
    return cached.image;
  }
  const blobs = opened.cache?.keepsBlobs ? keptBlobs(opened.cache) : undefined;
  const keeping = opened.cache && cacheKeyOf(opened, options) !== undefined ? keptLayers(opened.cache, options.hashContent ?? true) : undefined;
  const read = (shortcuts: boolean): Promise<ParsedImage> => {
    keeping?.restart();
    // Kept blobs need every layer's bytes: nothing passes unparsed then.
    // From an unverified source the layout confirms a layer taken from the cache, not a hash of its bytes.
    const known = keeping?.known(shortcuts && !blobs, !(opened.verify || watch?.verify));
    return readArchive(opened, request, { ...options, ...optional('knownLayers', known) }, layerWatch(watch, keeping), blobs).then((image) => {
      keeping?.check(image);
      return image;
    });
  };
  const image = await read(true)
    .catch((error: unknown) => {
      // A layer that looked cached was not: read the archive again, every layer parsed.
      if ((error as { code?: unknown }).code !== NOT_THE_KNOWN_LAYER) throw error;
      return read(false);
    })
    .catch(async (error: unknown) => {
      await blobs?.abort();
      await keeping?.abort();
      throw error;
    });
  await blobs?.commit(image);
  if (opened.cache && keeping) await keeping.keep(opened.cache, cacheKeyOf(opened, options) as string, image);
  return image;
}

/** The caller's watch, and the cache staging each layer's index as it is parsed. */
function layerWatch(watch: LayerWatch | undefined, keeping: KeptLayers | undefined): LayerWatch | undefined {
  if (!keeping) return watch;
  return {
    onLayer: (blob, contents) => {
      keeping.parsed(blob, contents);
      watch?.onLayer(blob, contents);
    },
    verify: watch?.verify ?? false,
  };
}

interface KeptLayers {
  /** The known layers to give the parser: the cache's, looked up by fingerprint when `shortcuts`, confirmed by the layout when `byLayout`. */
  known(shortcuts: boolean, byLayout: boolean): KnownLayers;
  /** Throws NOT_THE_KNOWN_LAYER when the layout gave a member taken from the cache another diff ID. */
  check(image: ParsedImage): void;
  /** A layer finished: its index is written now, beside the rest of the read. */
  parsed(member: string, contents: LayerContents): void;
  /** A new read of the archive: what the last one staged is dropped. */
  restart(): void;
  /** Keeps the image's record, its layers (sealing what was staged) and their fingerprints. */
  keep(cache: LayerCache, key: string, image: ParsedImage): Promise<void>;
  abort(): Promise<void>;
}

/** What a read keeps in the cache: each parsed layer's index, written as the read goes on, and each layer member's fingerprint. */
function keptLayers(cache: LayerCache, hashed: boolean): KeptLayers {
  const fingerprints = new Map<string, string>();
  let staged = new Map<string, StagedLayer>();
  // Layers the read took from the cache (nothing to write), and the diff ID each member was taken for.
  const fromCache = new WeakSet<LayerContents>();
  const takenFor = new Map<string, string>();
  const abort = async (): Promise<void> => {
    const dropped = [...staged.values()];
    staged = new Map();
    for (const layer of dropped) await layer.abort();
  };
  return {
    known(shortcuts, byLayout) {
      const find = async (fingerprint: string, member: string): Promise<KnownLayer | undefined> => {
        const found = await cache.findFingerprint(fingerprint, hashed);
        if (!found) return undefined;
        // Unhashed, its diff ID is the layout's to say, as for a layer parsed unverified.
        const { diffId: _, ...unhashed } = found.contents;
        const contents = byLayout ? unhashed : found.contents;
        fromCache.add(contents);
        takenFor.set(normalisePath(member), found.diffId);
        return { diffId: found.diffId, contents };
      };
      return { seen: (member, fingerprint) => void fingerprints.set(normalisePath(member), fingerprint), ...(shortcuts ? { find, byLayout } : {}) };
    },
    check(image) {
      for (const layer of image.layers) {
        const taken = fromCache.has(layer.contents) ? takenFor.get(normalisePath(layer.blob)) : undefined;
        if (taken !== undefined && taken !== layer.diffId) throw notTheKnownLayer();
      }
    },
    parsed(member, contents) {
      if (fromCache.has(contents)) return;
      const name = normalisePath(member);
      void staged.get(name)?.abort();
      staged.set(name, cache.stageLayer(contents, hashed));
    },
    restart() {
      takenFor.clear();
      void abort();
    },
    async keep(kept, key, image) {
      const byDiffId = new Map<string, string>();
      const stagedByDiffId = new Map<string, StagedLayer>();
      const cached = new Set<string>();
      for (const layer of image.layers) {
        const member = normalisePath(layer.blob);
        const fingerprint = fingerprints.get(member);
        if (fingerprint !== undefined) byDiffId.set(layer.diffId, fingerprint);
        const staging = staged.get(member);
        if (staging) stagedByDiffId.set(layer.diffId, staging);
        if (fromCache.has(layer.contents)) cached.add(layer.diffId);
      }
      try {
        await kept.putImage(key, image, hashed, byDiffId, { staged: stagedByDiffId, fromCache: cached });
      } finally {
        await abort(); // what the image did not use, or could not be kept
      }
    },
    abort,
  };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

type ReadOptions = ReturnType<typeof readOptionsFor> & Pick<ReadImageOptions, 'knownLayers'>;

/** Parses the source's archive, layers on a worker thread. */
async function readArchive(opened: OpenedImage, request: ReadImageRequest, options: ReadOptions, watch: LayerWatch | undefined, blobs: KeptBlobs | undefined): Promise<ParsedImage> {
  const onProgress = request.onProgress;
  // Said at once: an engine can take seconds to send the first byte of a large export.
  onProgress?.({ archiveBytes: 0, blobsDone: 0 }, opened.expectedBytes);
  const layerReader = createWorkerLayerReader();
  try {
    return await readImageArchive(opened.archive(), {
      ...options,
      layerReader: layerReader.read,
      ...(blobs ? { copyBlob: blobs.start } : {}),
      ...(watch ? { onLayer: watch.onLayer, verify: opened.verify || watch.verify } : {}),
      ...(onProgress ? { onProgress: throttle(PROGRESS_EVERY_MS, (progress: ReadProgress) => onProgress(progress, opened.expectedBytes)) } : {}),
    });
  } finally {
    await layerReader.close();
  }
}

/**
 * The archive's identity and the choices that pick an image from it: the same key, the same
 * ParsedImage. Undefined when the source cannot name its archive.
 */
function cacheKeyOf(opened: OpenedImage, options: ReadOptions): string | undefined {
  if (opened.cacheKey === undefined) return undefined;
  return JSON.stringify([opened.cacheKey, options.platform ?? null, options.defaultPlatform ?? null, options.tag ?? null]);
}

/** The image from the cache, when its record and every layer are there (and within --max-entries, as a read would be). */
async function readCached(opened: OpenedImage, cache: LayerCache, options: ReadOptions): Promise<{ image: ParsedImage } | undefined> {
  const key = cacheKeyOf(opened, options);
  const image = key === undefined ? undefined : await cache.getImage(key, options.hashContent ?? true);
  if (!image) return undefined;
  // --cache-blobs asks for the blobs too: read the archive once more to keep them.
  for (const layer of cache.keepsBlobs ? image.layers : []) if (!(await cache.blobOf(layer.diffId))) return undefined;
  const entries = image.layers.reduce((sum, layer) => sum + layer.contents.entries.length + layer.contents.whiteouts.length + layer.contents.opaqueDirs.length, 0);
  if (options.maxEntries !== undefined && entries > options.maxEntries) throw new TooManyEntriesError(options.source, options.maxEntries);
  return { image };
}

interface KeptBlobs {
  readonly start: (member: string) => Promise<(chunk: Buffer) => Promise<void>>;
  /** Keeps each layer's blob under its diff ID, once the layout says which member is which layer. */
  commit(image: ParsedImage): Promise<void>;
  abort(): Promise<void>;
}

/** --cache-blobs: each layer blob copied to the cache as it passes. */
function keptBlobs(cache: LayerCache): KeptBlobs {
  const writers = new Map<string, BlobWriter>();
  const abort = async (): Promise<void> => {
    for (const writer of writers.values()) await writer.abort();
    writers.clear();
  };
  return {
    async start(member) {
      // Members come one after another: the ones before this have all their bytes.
      for (const writer of writers.values()) writer.end();
      const writer = await cache.startBlob();
      await writers.get(member)?.abort();
      writers.set(member, writer);
      return (chunk) => writer.write(chunk);
    },
    async commit(image) {
      try {
        for (const layer of image.layers) {
          const writer = writers.get(normalisePath(layer.blob));
          writers.delete(normalisePath(layer.blob));
          await writer?.commit(layer.diffId);
        }
      } catch {
        // A blob that could not be kept costs the file viewer a read of the image, nothing more.
      }
      await abort();
    },
    abort,
  };
}
