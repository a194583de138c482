// The layer cache: each layer's parsed index kept under the XDG cache directory, named by its diff
// ID (content-addressed: any image holding that layer reads it from here), the records of images
// read (so an image whose layers are all here needs no export), and, where the user allows
// (--cache-blobs), the layer blobs themselves for the file viewer. Capped in size: the least
// recently used files go first. Anything unreadable in it is a miss, never an error.

import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { LayerContents, ParsedImage } from '../model/types.js';
import { diffIdFileName, ensureDir, listCacheFiles, readCacheFile, remove, touch, writeCacheFile } from './cache-files.js';
import { blobStore, type BlobStore } from './blob-store.js';
import { CODEC_VERSION, decodeLayer, encodeLayer } from './layer-codec.js';
import { decodeImageRecord, encodeImageRecord, withContents } from './image-record.js';
import type { KnownLayer } from '../archive/known-layers.js';
import { stageLayer, type StagedLayer } from './staged-layer.js';

/** The default size cap: 2 GB (README says it). */
const DEFAULT_CACHE_BYTES = 2_000_000_000;
/** No layer index or image record is larger (a 3M-entry layer encodes to about 400 MB). */
const MAX_INDEX_BYTES = 1 << 30;
/** A temporary file this old is left over from a crash, not being written. */
const STALE_TEMP_MS = 60 * 60 * 1000;

export interface CacheOptions {
  readonly dir: string;
  /** Size cap in bytes (DEFAULT_CACHE_BYTES). */
  readonly maxBytes?: number;
  /** Keep layer blobs too (--cache-blobs). */
  readonly blobs?: boolean;
}

export type { BlobWriter } from './blob-store.js';
export type { StagedLayer } from './staged-layer.js';

/** What a read already did towards keeping an image's layers, by diff ID. */
export interface LayersRead {
  /** Indexes written while the read went on (stageLayer), to seal and put in place. */
  readonly staged?: ReadonlyMap<string, StagedLayer>;
  /** Layers the read took from this cache: kept already, marked used. */
  readonly fromCache?: ReadonlySet<string>;
}

export interface LayerCache extends BlobStore {
  readonly dir: string;
  readonly keepsBlobs: boolean;
  /** The layer's index, when a whole one made with (or, without `hashed`, regardless of) file digests is kept. */
  getLayer(diffId: string, hashed: boolean): Promise<LayerContents | undefined>;
  putLayer(diffId: string, contents: LayerContents, hashed: boolean): Promise<void>;
  /** Starts writing a layer's index as soon as it is parsed, before its diff ID is known (putImage puts it in place). */
  stageLayer(contents: LayerContents, hashed: boolean): StagedLayer;
  /** The image read from the archive `key` names, when its record and every layer are kept. */
  getImage(key: string, hashed: boolean): Promise<ParsedImage | undefined>;
  /** The layer an uncompressed layer tar with this fingerprint (known-layers.ts) was, when its index is kept. */
  findFingerprint(fingerprint: string, hashed: boolean): Promise<KnownLayer | undefined>;
  /**
   * Keeps the image's record, each layer not kept yet and the fingerprint of each diff ID that
   * has one, then trims the cache to its cap. Never throws: false when something could not be
   * kept (a full disk, a directory in a file's place).
   */
  putImage(key: string, image: ParsedImage, hashed: boolean, fingerprints?: ReadonlyMap<string, string>, read?: LayersRead): Promise<boolean>;
  /** Removes least recently used files until the cache is within its cap, and anything foreign. */
  trim(): Promise<void>;
}

interface Dirs {
  readonly layers: string;
  readonly images: string;
  readonly fingerprints: string;
  readonly blobs: string;
}

export async function openLayerCache(options: CacheOptions): Promise<LayerCache> {
  const root = join(options.dir, `v${CODEC_VERSION}`);
  const dirs: Dirs = { layers: join(root, 'layers'), images: join(root, 'images'), fingerprints: join(root, 'fingerprints'), blobs: join(root, 'blobs') };
  for (const dir of [dirs.layers, dirs.images, dirs.fingerprints, ...(options.blobs ? [dirs.blobs] : [])]) await ensureDir(dir);
  const layers = layerStore(dirs);
  const trim = (): Promise<void> => trimCache(Object.values(dirs), options.maxBytes ?? DEFAULT_CACHE_BYTES);
  return { dir: options.dir, keepsBlobs: options.blobs === true, ...layers, ...imageStore(dirs, layers, trim), ...blobStore(dirs.blobs), trim };
}

type LayerStore = Pick<LayerCache, 'getLayer' | 'putLayer' | 'findFingerprint' | 'stageLayer'> & {
  /** Puts one layer of an image read in place: its staged index, else (not kept yet) encoded now. */
  keepLayer(diffId: string, contents: LayerContents, hashed: boolean, read: LayersRead): Promise<void>;
};

/** Layer indexes by diff ID, and the fingerprints that name them. */
function layerStore(dirs: Dirs): LayerStore {
  const layerPath = (diffId: string): string => join(dirs.layers, `${diffIdFileName(diffId)}.idx`);
  const getLayer = async (diffId: string, hashed: boolean): Promise<LayerContents | undefined> => {
    if (diffIdFileName(diffId) === undefined) return undefined;
    const bytes = await readCacheFile(layerPath(diffId), MAX_INDEX_BYTES);
    return bytes && decodeLayer(bytes, diffId, hashed);
  };
  return {
    getLayer,
    async putLayer(diffId, contents, hashed) {
      const bytes = diffIdFileName(diffId) === undefined ? undefined : encodeLayer(diffId, contents, hashed);
      if (bytes) await writeCacheFile(layerPath(diffId), bytes);
    },
    stageLayer(contents, hashed) {
      return stageLayer(join(dirs.layers, 'layer'), contents, hashed);
    },
    async keepLayer(diffId, contents, hashed, read) {
      const staged = read.staged?.get(diffId);
      if (read.fromCache?.has(diffId)) return touch(layerPath(diffId));
      // A read without digests does not replace an index that has them.
      if (staged && !hashed && (await getLayer(diffId, false))) return staged.abort();
      if (await staged?.commit(diffId, layerPath(diffId))) return;
      if (!(await getLayer(diffId, hashed))) {
        const bytes = encodeLayer(diffId, contents, hashed);
        if (bytes) await writeCacheFile(layerPath(diffId), bytes);
      }
    },
    async findFingerprint(fingerprint, hashed) {
      if (!FINGERPRINT.test(fingerprint)) return undefined;
      const diffId = (await readCacheFile(join(dirs.fingerprints, fingerprint), 100))?.toString('latin1');
      const contents = diffId === undefined ? undefined : await getLayer(diffId, hashed);
      return diffId !== undefined && contents ? { diffId, contents } : undefined;
    },
  };
}

/** Image records by archive key, each with its layers from the layer store. */
function imageStore(dirs: Dirs, layers: LayerStore, trim: () => Promise<void>): Pick<LayerCache, 'getImage' | 'putImage'> {
  const imagePath = (key: string): string => join(dirs.images, `${createHash('sha256').update(key).digest('hex')}.json`);
  return {
    async getImage(key, hashed) {
      const text = await readCacheFile(imagePath(key), MAX_INDEX_BYTES);
      const record = text && decodeImageRecord(text.toString('utf8'), key);
      if (!record) return undefined;
      // A few at a time: each file is several trips to the disk (open, stat, read, touch, close),
      // which overlap with another's decoding; a few, so that not every raw index is held at once.
      const waiting = [...new Set(record.layers.map((layer) => layer.diffId))];
      const read = new Map<string, LayerContents | undefined>();
      const reader = async (): Promise<void> => {
        for (let diffId = waiting.shift(); diffId !== undefined; diffId = waiting.shift()) read.set(diffId, await layers.getLayer(diffId, hashed));
      };
      await Promise.all(Array.from({ length: LAYERS_READ_AT_ONCE }, reader));
      const contents = record.layers.map((layer) => read.get(layer.diffId));
      return contents.every((found) => found !== undefined) ? withContents(record, contents as LayerContents[]) : undefined;
    },
    async putImage(key, image, hashed, fingerprints = new Map(), read = {}) {
      if (!image.layers.every((layer) => diffIdFileName(layer.diffId) !== undefined)) return false;
      try {
        for (const [diffId, fingerprint] of fingerprints) {
          if (diffIdFileName(diffId) !== undefined && FINGERPRINT.test(fingerprint)) await writeCacheFile(join(dirs.fingerprints, fingerprint), diffId);
        }
        for (const layer of new Map(image.layers.map((layer) => [layer.diffId, layer])).values()) {
          await layers.keepLayer(layer.diffId, layer.contents, hashed, read);
        }
        await writeCacheFile(imagePath(key), encodeImageRecord(key, image));
        await trim();
        return true;
      } catch {
        return false; // a full disk or a cache directory in a bad state costs the next run a read, not this one its result
      }
    },
  };
}

const FINGERPRINT = /^\d{1,16}-[a-f0-9]{64}$/;

/** Layer indexes read at once when an image is taken from the cache. */
const LAYERS_READ_AT_ONCE = 4;

async function trimCache(dirs: readonly string[], maxBytes: number): Promise<void> {
  const files = await listCacheFiles(dirs);
  const now = Date.now();
  let total = 0;
  const kept = [];
  for (const file of files) {
    const stale = file.path.includes('.tmp-') && now - file.used > STALE_TEMP_MS;
    if (file.foreign || stale) await remove(file.path);
    else if (!file.path.includes('.tmp-')) {
      kept.push(file);
      total += file.bytes;
    }
  }
  kept.sort((a, b) => a.used - b.used);
  for (const file of kept) {
    if (total <= maxBytes) break;
    await remove(file.path);
    total -= file.bytes;
  }
}
