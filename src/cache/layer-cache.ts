// The layer cache: each layer's parsed index kept under the XDG cache directory, named by its diff
// ID (content-addressed: any image holding that layer reads it from here), the records of images
// read (so an image whose layers are all here needs no export), and, where the user allows
// (--cache-blobs), the layer blobs themselves for the file viewer. Capped in size: the least
// recently used files go first. Anything unreadable in it is a miss, never an error.

import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { LayerContents, ParsedImage } from '../model/types.js';
import { commitTemp, createTemp, ensureDir, listCacheFiles, readCacheFile, remove, touch, writeCacheFile } from './cache-files.js';
import { CODEC_VERSION, decodeLayer, encodeLayer } from './layer-codec.js';
import { decodeImageRecord, encodeImageRecord, withContents } from './image-record.js';
import type { FileHandle } from 'node:fs/promises';
import type { KnownLayer } from '../archive/known-layers.js';
import { lstat, open } from 'node:fs/promises';
import { constants } from 'node:fs';

/** The default size cap: 2 GB (README says it). */
export const DEFAULT_CACHE_BYTES = 2_000_000_000;
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

/** A blob being written: bytes go to `write`, then `commit` with the layer's diff ID once known. */
export interface BlobWriter {
  write(chunk: Buffer): Promise<void>;
  commit(diffId: string): Promise<void>;
  abort(): Promise<void>;
}

export interface LayerCache {
  readonly dir: string;
  readonly keepsBlobs: boolean;
  /** The layer's index, when a whole one made with (or, without `hashed`, regardless of) file digests is kept. */
  getLayer(diffId: string, hashed: boolean): Promise<LayerContents | undefined>;
  putLayer(diffId: string, contents: LayerContents, hashed: boolean): Promise<void>;
  /** The image read from the archive `key` names, when its record and every layer are kept. */
  getImage(key: string, hashed: boolean): Promise<ParsedImage | undefined>;
  /** The layer an uncompressed layer tar with this fingerprint (known-layers.ts) was, when its index is kept. */
  findFingerprint(fingerprint: string, hashed: boolean): Promise<KnownLayer | undefined>;
  /**
   * Keeps the image's record, each layer not kept yet and the fingerprint of each diff ID that
   * has one, then trims the cache to its cap. Never throws: false when something could not be
   * kept (a full disk, a directory in a file's place).
   */
  putImage(key: string, image: ParsedImage, hashed: boolean, fingerprints?: ReadonlyMap<string, string>): Promise<boolean>;
  /** The kept blob of a layer: its path, or undefined. */
  blobOf(diffId: string): Promise<string | undefined>;
  /** The kept blob's bytes, streamed (never through a link), or undefined when none is kept. */
  readBlob(diffId: string): Promise<AsyncIterable<Buffer> | undefined>;
  /** Starts keeping a blob (only when keepsBlobs). */
  startBlob(): Promise<BlobWriter>;
  /** Removes least recently used files until the cache is within its cap, and anything foreign. */
  trim(): Promise<void>;
}

export async function openLayerCache(options: CacheOptions): Promise<LayerCache> {
  const root = join(options.dir, `v${CODEC_VERSION}`);
  const dirs = { layers: join(root, 'layers'), images: join(root, 'images'), fingerprints: join(root, 'fingerprints'), blobs: join(root, 'blobs') };
  await ensureDir(dirs.layers);
  await ensureDir(dirs.images);
  await ensureDir(dirs.fingerprints);
  if (options.blobs) await ensureDir(dirs.blobs);
  const maxBytes = options.maxBytes ?? DEFAULT_CACHE_BYTES;
  const layerPath = (diffId: string): string => join(dirs.layers, `${fileName(diffId)}.idx`);
  const storable = (diffId: string): boolean => SHA256.test(diffId);
  const imagePath = (key: string): string => join(dirs.images, `${createHash('sha256').update(key).digest('hex')}.json`);
  const blobPath = (diffId: string): string => join(dirs.blobs, fileName(diffId));

  const cache: LayerCache = {
    dir: options.dir,
    keepsBlobs: options.blobs === true,
    async getLayer(diffId, hashed) {
      if (!storable(diffId)) return undefined;
      const bytes = await readCacheFile(layerPath(diffId), MAX_INDEX_BYTES);
      return bytes && decodeLayer(bytes, diffId, hashed);
    },
    async putLayer(diffId, contents, hashed) {
      const bytes = encodeLayer(diffId, contents, hashed);
      if (bytes) await writeCacheFile(layerPath(diffId), bytes);
    },
    async getImage(key, hashed) {
      const text = await readCacheFile(imagePath(key), MAX_INDEX_BYTES);
      const record = text && decodeImageRecord(text.toString('utf8'), key);
      if (!record) return undefined;
      const contents: LayerContents[] = [];
      const read = new Map<string, LayerContents | undefined>();
      for (const layer of record.layers) {
        if (!read.has(layer.diffId)) read.set(layer.diffId, await cache.getLayer(layer.diffId, hashed));
        const found = read.get(layer.diffId);
        if (!found) return undefined;
        contents.push(found);
      }
      return withContents(record, contents);
    },
    async findFingerprint(fingerprint, hashed) {
      if (!FINGERPRINT.test(fingerprint)) return undefined;
      const diffId = (await readCacheFile(join(dirs.fingerprints, fingerprint), 100))?.toString('latin1');
      const contents = diffId === undefined ? undefined : await cache.getLayer(diffId, hashed);
      return diffId !== undefined && contents ? { diffId, contents } : undefined;
    },
    async putImage(key, image, hashed, fingerprints = new Map()) {
      if (!image.layers.every((layer) => storable(layer.diffId))) return false;
      try {
        for (const [diffId, fingerprint] of fingerprints) {
          if (storable(diffId) && FINGERPRINT.test(fingerprint)) await writeCacheFile(join(dirs.fingerprints, fingerprint), diffId);
        }
        const written = new Set<string>();
        for (const layer of image.layers) {
          if (written.has(layer.diffId)) continue;
          written.add(layer.diffId);
          const kept = await readCacheFile(layerPath(layer.diffId), MAX_INDEX_BYTES);
          if (!kept || !decodeLayer(kept, layer.diffId, hashed)) await cache.putLayer(layer.diffId, layer.contents, hashed);
        }
        await writeCacheFile(imagePath(key), encodeImageRecord(key, image));
        await cache.trim();
        return true;
      } catch {
        return false; // a full disk or a cache directory in a bad state costs the next run a read, not this one its result
      }
    },
    async blobOf(diffId) {
      if (!storable(diffId)) return undefined;
      const path = blobPath(diffId);
      const stat = await lstat(path).catch(() => undefined);
      if (!stat?.isFile()) return undefined;
      await touch(path);
      return path;
    },
    async readBlob(diffId) {
      if (!storable(diffId)) return undefined;
      const handle = await open(blobPath(diffId), constants.O_RDONLY | constants.O_NOFOLLOW).catch(() => undefined);
      if (!handle) return undefined;
      if (!(await handle.stat()).isFile()) {
        await handle.close();
        return undefined;
      }
      await touch(blobPath(diffId));
      return handle.createReadStream({ highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>;
    },
    async startBlob() {
      const temp = await createTemp(join(dirs.blobs, 'blob'));
      return blobWriter(temp, blobPath);
    },
    trim: () => trimCache(Object.values(dirs), maxBytes),
  };
  return cache;
}

const SHA256 = /^sha256:[a-f0-9]{64}$/;
const FINGERPRINT = /^\d{1,16}-[a-f0-9]{64}$/;

/** A diff ID as a file name: its hex, checked first (storable), so no name from outside can reach another directory. */
function fileName(diffId: string): string {
  if (!SHA256.test(diffId)) throw new Error(`not a sha256 diff ID: ${diffId}`);
  return diffId.slice('sha256:'.length);
}

function blobWriter(temp: { readonly path: string; readonly handle: FileHandle }, blobPath: (diffId: string) => string): BlobWriter {
  let closed = false;
  return {
    async write(chunk) {
      await temp.handle.write(chunk);
    },
    async commit(diffId) {
      closed = true;
      await commitTemp(temp, blobPath(diffId));
    },
    async abort() {
      if (closed) return;
      closed = true;
      await temp.handle.close().catch(() => undefined);
      await remove(temp.path);
    },
  };
}

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
