// Reading one image, the same for every caller — a report, the explorer, the builder or the
// version an image is compared with: open the source, take the image from the layer cache when
// it holds it whole, else parse its archive with layers on a worker thread (closed whatever
// happens), reporting progress at most every 100 ms, and keep what was read in the cache.

import { readImageArchive, type ReadImageOptions, type ReadProgress } from '../archive/read-image-archive.js';
import { NOT_THE_KNOWN_LAYER } from '../archive/known-layers.js';
import type { LayerContents, ParsedImage } from '../model/types.js';
import { createWorkerLayerReader } from '../archive/worker-layer-reader.js';
import type { ReadChoices } from './read-choices.js';
import { throttle } from '../throttle.js';
import type { ImageTarget } from './image-target.js';
import { openImage, openOptionsOf, readOptionsFor, type OpenedImage } from './open-image.js';
import type { BlobWriter, LayerCache } from '../cache/layer-cache.js';
import { keptLayers, layerWatch, type LayerWatch } from './kept-layers.js';
import { normalisePath } from '../archive/paths.js';
import { TooManyEntriesError } from '../errors.js';
import { abortable } from '../archive/streams.js';

const PROGRESS_EVERY_MS = 100;

export type { ReadChoices } from './read-choices.js';

export type { LayerWatch } from './kept-layers.js';

export interface ReadImageRequest {
  readonly read: ReadChoices;
  /** How to open a target; openImage with `read.host` by default (tests give their own sources). */
  readonly open?: (target: ImageTarget) => Promise<OpenedImage>;
  /** Progress, at most every PROGRESS_EVERY_MS, with the archive bytes the source expects (when it knows). */
  readonly onProgress?: (progress: ReadProgress, expectedBytes: number | undefined) => void;
  /** Once the source is open, before its archive is read: what the caller shows up front, and whether it watches layers. */
  readonly onOpened?: (opened: OpenedImage) => Promise<LayerWatch | undefined>;
  /** Stops the read (another read beside it failed): it rejects with the signal's reason once its worker is closed. */
  readonly signal?: AbortSignal;
}

export async function readImage(target: ImageTarget, request: ReadImageRequest): Promise<ParsedImage> {
  const open = request.open ?? ((image: ImageTarget) => openImage(image, openOptionsOf(request.read)));
  request.signal?.throwIfAborted();
  const opened = await open(target);
  request.signal?.throwIfAborted();
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
    const archive = request.signal ? abortable(opened.archive(request.signal), request.signal) : opened.archive();
    return await readImageArchive(archive, {
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
