// One function reads an image for every caller. It runs layers on a worker thread, which runs
// compiled code: load the build (vitest's global setup compiles it), as the worker's own test does.

import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeImageArchive } from '../../src/archive/write-image-archive.js';
import type { OpenedImage } from '../../src/sources/open-image.js';
import { chunked, file } from '../helpers/archives.js';

type Module = typeof import('../../src/sources/read-image.js');
const { readImage } = (await import(new URL('../../dist/src/sources/read-image.js', import.meta.url).href)) as Module;
const { readLayerFile } = (await import(new URL('../../dist/src/sources/read-layer-file.js', import.meta.url).href)) as typeof import('../../src/sources/read-layer-file.js');

const archive = await writeImageArchive({ layout: 'docker-save', images: [{ layers: [[file('a', 'abc')], [file('b', 'hello')]] }] });

function opened(bytes: Buffer, verify = false): OpenedImage {
  return { target: { kind: 'engine', reference: 'test:1', name: 'test:1' }, verify, expectedBytes: bytes.length, archive: () => chunked(bytes, 512) };
}

describe('reading an image', () => {
  it('opens the target, parses the archive and reports progress against the expected size', async () => {
    const progress: (number | undefined)[] = [];
    const image = await readImage(
      { kind: 'engine', reference: 'test:1', name: 'test:1' },
      { read: { hashContent: true }, open: async () => opened(archive), onProgress: (_progress, expected) => progress.push(expected) },
    );
    expect(image.layers.map((layer) => layer.contents.entries.map((entry) => [entry.path, entry.size]))).toEqual([[['a', 3]], [['b', 5]]]);
    // The first progress call always passes the throttle; each carries the archive's size.
    expect(progress.length).toBeGreaterThan(0);
    expect(new Set(progress)).toEqual(new Set([archive.length]));
  });

  it('hands each layer to a watcher as it finishes, once the source is open', async () => {
    const seen: string[] = [];
    let openedFirst = false;
    await readImage(
      { kind: 'engine', reference: 'test:1', name: 'test:1' },
      {
        read: { hashContent: false },
        open: async () => opened(archive),
        onOpened: async () => {
          openedFirst = seen.length === 0;
          return { verify: true, onLayer: (_blob, contents) => seen.push(contents.entries[0]?.path ?? '') };
        },
      },
    );
    expect(openedFirst).toBe(true);
    expect(seen.sort()).toEqual(['a', 'b']);
  });

  it('reads an image whose layers are all cached without reading its archive, and gives the same image', async () => {
    const { openLayerCache } = (await import(new URL('../../dist/src/cache/layer-cache.js', import.meta.url).href)) as typeof import('../../src/cache/layer-cache.js');
    const cache = await openLayerCache({ dir: mkdtempSync(join(process.env.XDG_CACHE_HOME ?? tmpdir(), 'read-image-')), blobs: true });
    const target = { kind: 'engine', reference: 'test:1', name: 'test:1' } as const;
    const cold = await readImage(target, { read: { hashContent: true }, open: async () => ({ ...opened(archive), cache, cacheKey: 'test archive' }) });
    const unreadable = (): AsyncIterable<Buffer> => {
      throw new Error('the archive was read');
    };
    const seen: string[] = [];
    const warm = await readImage(target, {
      read: { hashContent: true },
      open: async () => ({ ...opened(archive), cache, cacheKey: 'test archive', archive: unreadable }),
      onOpened: async () => ({ verify: true, onLayer: (_blob, contents) => seen.push(contents.entries[0]?.path ?? '') }),
    });
    expect(warm.layers.map((layer) => layer.contents.entries)).toEqual(cold.layers.map((layer) => layer.contents.entries));
    expect({ ...warm, layers: [] }).toEqual({ ...cold, layers: [] });
    expect(seen).toEqual(['a', 'b']);
    // Another archive (another key) is read, not taken from the cache.
    await expect(readImage(target, { read: { hashContent: true }, open: async () => ({ ...opened(archive), cache, cacheKey: 'other', archive: unreadable }) })).rejects.toThrow('the archive was read');
    // --cache-blobs kept each layer's blob under its diff ID: the layer tar itself.
    const blob = await cache.blobOf(cold.layers[1]!.diffId);
    expect(blob && createHash('sha256').update(readFileSync(blob)).digest('hex')).toBe(cold.layers[1]!.diffId.slice('sha256:'.length));
    // The file viewer reads from the kept blob, not the archive.
    const viewed = await readLayerFile({ ...opened(archive), cache, archive: unreadable }, warm, 1, 'b', 3);
    expect(viewed).toEqual({ bytes: Buffer.from('hel'), size: 5 });
    expect(await readLayerFile({ ...opened(archive), cache, archive: unreadable }, warm, 1, 'a', 3)).toBeUndefined();
  });

  it('with --cache-blobs, reads an image again whose index is cached but whose blobs are not', async () => {
    const { openLayerCache } = (await import(new URL('../../dist/src/cache/layer-cache.js', import.meta.url).href)) as typeof import('../../src/cache/layer-cache.js');
    const dir = mkdtempSync(join(process.env.XDG_CACHE_HOME ?? tmpdir(), 'read-image-'));
    const target = { kind: 'engine', reference: 'test:1', name: 'test:1' } as const;
    await readImage(target, { read: { hashContent: true }, open: async () => ({ ...opened(archive), cache: await openLayerCache({ dir }), cacheKey: 'k' }) });
    const withBlobs = await openLayerCache({ dir, blobs: true });
    let reads = 0;
    const counted = (): AsyncIterable<Buffer> => {
      reads++;
      return chunked(archive, 512);
    };
    await readImage(target, { read: { hashContent: true }, open: async () => ({ ...opened(archive), cache: withBlobs, cacheKey: 'k', archive: counted }) });
    await readImage(target, { read: { hashContent: true }, open: async () => ({ ...opened(archive), cache: withBlobs, cacheKey: 'k', archive: counted }) });
    expect(reads).toBe(1);
  });

  it('takes a layer another image shares from the cache, and reads again in full when a layer only looked cached', async () => {
    const { openLayerCache } = (await import(new URL('../../dist/src/cache/layer-cache.js', import.meta.url).href)) as typeof import('../../src/cache/layer-cache.js');
    const cache = await openLayerCache({ dir: mkdtempSync(join(process.env.XDG_CACHE_HOME ?? tmpdir(), 'read-image-')) });
    const base = [file('base', 100_000)];
    const lookalike = [{ name: 'base', content: Buffer.concat([Buffer.alloc(99_999, 0x61), Buffer.from('!')]) }];
    const images = {
      a: await writeImageArchive({ layout: 'docker-save', images: [{ layers: [base, [file('a', 'a')]] }] }),
      b: await writeImageArchive({ layout: 'docker-save', images: [{ layers: [base, [file('b', 'b')]] }] }),
      c: await writeImageArchive({ layout: 'docker-save', images: [{ layers: [lookalike, [file('c', 'c')]] }] }),
    };
    const target = { kind: 'engine', reference: 'test:1', name: 'test:1' } as const;
    // A layer from the cache says its diff ID (the one it was kept under), which an unverified read leaves out.
    const read = async (name: keyof typeof images, withCache: boolean) => {
      const image = await readImage(target, { read: { hashContent: true }, open: async () => ({ ...opened(images[name]), ...(withCache ? { cache, cacheKey: name } : {}) }) });
      return { ...image, layers: image.layers.map(({ contents: { diffId: _, ...contents }, ...layer }) => ({ ...layer, contents })) };
    };
    await read('a', true);
    expect(await read('b', true)).toEqual(await read('b', false));
    const c = await read('c', true);
    expect(c).toEqual(await read('c', false));
    expect(c.layers[0]?.contents.entries[0]?.digest).not.toBe((await read('a', false)).layers[0]?.contents.entries[0]?.digest);
  });

  // The build's error classes are not the sources' (two module copies): match by name.
  it('rejects with the source named when the bytes are not an image archive', async () => {
    const text = Buffer.from('not a tar at all\n'.repeat(64));
    await expect(readImage({ kind: 'engine', reference: 'test:1', name: 'test:1' }, { read: { hashContent: true }, open: async () => opened(text) })).rejects.toMatchObject({
      name: 'InvalidArchiveError',
      message: expect.stringMatching(/^test:1 is not a readable image archive/),
    });
  });
});
