// The layer cache on a real directory (under a temporary XDG_CACHE_HOME, never the real home):
// what goes in comes back equal, and anything damaged, foreign or planted in it is a miss that
// the next write repairs, never data.

import { mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, truncateSync, utimesSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openLayerCache } from '../../src/cache/layer-cache.js';
import { CODEC_VERSION, decodeLayer, encodeLayer } from '../../src/cache/layer-codec.js';
import type { ParsedImage } from '../../src/model/types.js';
import { readLayer } from '../../src/archive/read-layer.js';
import { NOT_THE_KNOWN_LAYER } from '../../src/archive/known-layers.js';
import { dir, file, opaque, parseSpec, whiteout } from '../helpers/archives.js';

const dirs: string[] = [];
function tempDir(): string {
  const made = mkdtempSync(join(process.env.XDG_CACHE_HOME ?? tmpdir(), 'cache-test-'));
  dirs.push(made);
  return made;
}
afterEach(() => {
  for (const made of dirs.splice(0)) rmSync(made, { recursive: true, force: true });
});

/** Two layers: links, a hardlink, a file written twice in one tar (shadowed), whiteouts, an opaque directory. */
async function sample(): Promise<ParsedImage> {
  return parseSpec({
    layout: 'docker-save',
    images: [
      {
        tags: ['sample:1'],
        history: [{ createdBy: 'ADD rootfs' }, { createdBy: 'ENV A=1', emptyLayer: true }, { createdBy: 'RUN change' }],
        layers: [
          [dir('etc'), file('etc/a', 'one'), file('etc/a', 'two!'), { name: 'etc/link', type: 'symlink', linkname: '../x' }, { name: 'etc/hard', type: 'link', linkname: 'etc/a' }, file('é ünïcode', 'x')],
          [whiteout('etc/a'), opaque('var'), file('var/new', 'abc', 0o600)],
        ],
      },
    ],
  });
}

const layerFiles = (cacheDir: string): string[] => readdirSync(join(cacheDir, `v${CODEC_VERSION}`, 'layers')).map((name) => join(cacheDir, `v${CODEC_VERSION}`, 'layers', name));

describe('the layer codec', () => {
  it('gives back every entry, shadowed copy, whiteout and opaque directory of a layer', async () => {
    const image = await sample();
    for (const layer of image.layers) {
      const bytes = encodeLayer(layer.diffId, layer.contents, true)!;
      expect(decodeLayer(bytes, layer.diffId, true)).toEqual({ ...layer.contents, diffId: layer.diffId });
    }
    expect(image.layers[0]?.contents.shadowed?.map((entry) => [entry.path, entry.size])).toEqual([['etc/a', 3]]);
  });

  it('refuses a layer kept without digests when digests are wanted, and drops them when not', async () => {
    const layer = (await sample()).layers[0]!;
    const withDigests = encodeLayer(layer.diffId, layer.contents, true)!;
    const stripped = decodeLayer(withDigests, layer.diffId, false);
    expect(stripped?.entries.some((entry) => entry.digest !== undefined)).toBe(false);
    expect(decodeLayer(encodeLayer(layer.diffId, stripped!, false)!, layer.diffId, true)).toBeUndefined();
  });

  it('refuses truncated bytes, another version, garbage, another diff ID, and an entry that escapes the root', async () => {
    const layer = (await sample()).layers[0]!;
    const bytes = encodeLayer(layer.diffId, layer.contents, true)!;
    expect(decodeLayer(bytes.subarray(0, bytes.length - 1), layer.diffId, true)).toBeUndefined();
    expect(decodeLayer(bytes.subarray(0, 20), layer.diffId, true)).toBeUndefined();
    const otherVersion = Buffer.from(bytes);
    otherVersion.writeUInt32LE(99, 8);
    expect(decodeLayer(otherVersion, layer.diffId, true)).toBeUndefined();
    expect(decodeLayer(Buffer.from('LSCLAYER'.padEnd(200, '\u0001')), layer.diffId, true)).toBeUndefined();
    expect(decodeLayer(bytes, `sha256:${'0'.repeat(64)}`, true)).toBeUndefined();
    const escaping = { ...layer.contents, entries: [{ ...layer.contents.entries[0]!, path: '../../etc/passwd' }] };
    expect(decodeLayer(encodeLayer(layer.diffId, escaping, true)!, layer.diffId, true)).toBeUndefined();
  });

  it("gives back the dpkg package lists a layer writes (package → paths)", async () => {
    const layer = (await sample()).layers[0]!;
    const contents = { ...layer.contents, diffId: layer.diffId, packageLists: { bash: ['bin/bash', 'usr/share/doc/bash'], 'lib{c}6': [] } };
    expect(decodeLayer(encodeLayer(layer.diffId, contents, true)!, layer.diffId, true)).toEqual(contents);
  });

  it('keeps no layer with a field it does not know, rather than give it back without', async () => {
    const layer = (await sample()).layers[0]!;
    expect(encodeLayer(layer.diffId, { ...layer.contents, somethingNew: [1] } as typeof layer.contents, true)).toBeUndefined();
  });

  it('keeps no layer with a NUL in a name (its separator), rather than a wrong one', async () => {
    const layer = (await sample()).layers[0]!;
    const withNul = { ...layer.contents, entries: [{ ...layer.contents.entries[0]!, path: 'a\0b' }] };
    expect(encodeLayer(layer.diffId, withNul, true)).toBeUndefined();
  });
});

describe('the layer cache', () => {
  it('keeps an image and gives it back equal, layer contents and all', async () => {
    const image = await sample();
    const cache = await openLayerCache({ dir: tempDir() });
    expect(await cache.getImage('key', true)).toBeUndefined();
    expect(await cache.putImage('key', image, true)).toBe(true);
    const back = await cache.getImage('key', true);
    expect(back).toEqual({ ...image, layers: image.layers.map((layer) => ({ ...layer, contents: { ...layer.contents, diffId: layer.diffId } })) });
    expect(await cache.getImage('another key', true)).toBeUndefined();
  });

  it('treats a truncated, garbage or other-version layer file as missing, and rewrites it on the next read', async () => {
    const image = await sample();
    const cacheDir = tempDir();
    const cache = await openLayerCache({ dir: cacheDir });
    await cache.putImage('key', image, true);
    const [first, second] = layerFiles(cacheDir);
    truncateSync(first!, statSync(first!).size - 7);
    writeFileSync(second!, 'garbage');
    expect(await cache.getImage('key', true)).toBeUndefined();
    await cache.putImage('key', image, true);
    expect((await cache.getImage('key', true))?.layers.length).toBe(2);
    const bytes = readFileSync(first!);
    bytes.writeUInt32LE(CODEC_VERSION + 1, 8); // a future version's file
    writeFileSync(first!, bytes);
    expect(await cache.getImage('key', true)).toBeUndefined();
  });

  it("writes each layer's index as it is parsed and seals it under the diff ID the layout names at the end; an unused one leaves nothing", async () => {
    const image = await sample();
    const cacheDir = tempDir();
    const cache = await openLayerCache({ dir: cacheDir });
    // Before the layout is known: written under temporary names only.
    const staged = image.layers.map((layer) => cache.stageLayer(layer.contents, true));
    const unused = cache.stageLayer(image.layers[0]!.contents, true);
    const swapped = new Map(image.layers.map((layer, index) => [layer.diffId, staged[index]!]));
    expect(await cache.putImage('key', image, true, new Map(), { staged: swapped })).toBe(true);
    await unused.abort();
    expect(await cache.getImage('key', true)).toEqual(await openLayerCache({ dir: tempDir() }).then(async (fresh) => (await fresh.putImage('k', image, true), fresh.getImage('k', true))));
    expect(layerFiles(cacheDir).filter((path) => path.includes('.tmp-'))).toEqual([]);
    expect(layerFiles(cacheDir).length).toBe(2);
    // Sealed with its diff ID: the same bytes under another layer's name are no answer.
    const [first] = layerFiles(cacheDir);
    expect(decodeLayer(readFileSync(first!), `sha256:${'0'.repeat(64)}`, true)).toBeUndefined();
  });

  it('never follows a symlink planted in place of a layer file, and replaces the link, not its target', async () => {
    const image = await sample();
    const cacheDir = tempDir();
    const cache = await openLayerCache({ dir: cacheDir });
    await cache.putImage('key', image, true);
    const [first] = layerFiles(cacheDir);
    // A link to a copy of the right bytes: still not trusted, as a link could point anywhere.
    const outside = join(tempDir(), 'outside');
    writeFileSync(outside, readFileSync(first!));
    rmSync(first!);
    symlinkSync(outside, first!);
    expect(await cache.getImage('key', true)).toBeUndefined();
    await cache.putImage('key', image, true);
    expect(statSync(first!, { throwIfNoEntry: false })?.isFile()).toBe(true);
    expect(readFileSync(outside)).toEqual(readFileSync(first!));
    expect((await cache.getImage('key', true))?.layers.length).toBe(2);
  });

  it('carries on when a directory sits where a file should go, and a half-written temporary file is never read', async () => {
    const image = await sample();
    const cacheDir = tempDir();
    const cache = await openLayerCache({ dir: cacheDir });
    await cache.putImage('key', image, true);
    const [first] = layerFiles(cacheDir);
    rmSync(first!);
    mkdirSync(first!);
    // An interrupted write leaves only a temporary file: the entry stays missing.
    writeFileSync(`${first}.tmp-1-abc`, 'LSCLAYER half');
    expect(await cache.getImage('key', true)).toBeUndefined();
    expect(await cache.putImage('key', image, true)).toBe(false);
    const old = new Date(Date.now() - 2 * 3600_000);
    utimesSync(`${first}.tmp-1-abc`, old, old);
    await cache.trim();
    expect(statSync(`${first}.tmp-1-abc`, { throwIfNoEntry: false })).toBeUndefined();
  });

  it('evicts the least recently used files beyond its cap', async () => {
    const cacheDir = tempDir();
    const small = await parseSpec({ layout: 'docker-save', images: [{ layers: [[file('a', 'a')]] }] });
    const other = await parseSpec({ layout: 'docker-save', images: [{ layers: [[file('b', 'b')]] }] });
    const roomy = await openLayerCache({ dir: cacheDir });
    await roomy.putImage('small', small, true);
    const used = readdirSync(join(cacheDir, `v${CODEC_VERSION}`), { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .reduce((sum, entry) => sum + statSync(join(entry.parentPath, entry.name)).size, 0);
    // Room for one image: putting the second evicts the first, which was used longer ago.
    const capped = await openLayerCache({ dir: cacheDir, maxBytes: used + 10 });
    const past = new Date(Date.now() - 60_000);
    for (const path of readdirSync(join(cacheDir, `v${CODEC_VERSION}`), { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile())) {
      utimesSync(join(path.parentPath, path.name), past, past);
    }
    await capped.putImage('other', other, true);
    expect(await capped.getImage('small', true)).toBeUndefined();
    expect((await capped.getImage('other', true))?.layers[0]?.contents.entries[0]?.path).toBe('b');
  });
});

describe('layers shared between images', () => {
  const base = [dir('usr'), file('usr/base', 'the base layer'), file('usr/big', 200_000)];
  const imageA = { tags: ['a:1'], layers: [base, [file('a', 'only in a')]] };
  const imageB = { tags: ['b:1'], layers: [base, [file('b', 'only in b')]] };

  it('parse a base layer once: the second image takes it from the cache, confirmed by its diff ID', async () => {
    const cache = await openLayerCache({ dir: tempDir() });
    const fingerprints = new Map<string, string>();
    const a = await parseSpec({ layout: 'docker-save', images: [imageA] }, { knownLayers: { seen: (member, fingerprint) => void fingerprints.set(member, fingerprint) } });
    const byDiffId = new Map(a.layers.map((layer) => [layer.diffId, fingerprints.get(layer.blob) as string]));
    await cache.putImage('a', a, true, byDiffId);
    const parsed: number[] = [];
    const counting: typeof readLayer = (blob, compression, options) => {
      parsed.push(1);
      return readLayer(blob, compression, options);
    };
    const knownLayers = { seen: () => undefined, find: (fingerprint: string) => cache.findFingerprint(fingerprint, true) };
    const b = await parseSpec({ layout: 'docker-save', images: [imageB] }, { layerReader: counting, knownLayers });
    expect(parsed.length).toBe(1);
    expect(b).toEqual(await parseSpec({ layout: 'docker-save', images: [imageB] }));
  });

  it('read a layer that only looks like a cached one (same size and start) in full, never as the cached one', async () => {
    const cache = await openLayerCache({ dir: tempDir() });
    // Same names, sizes and first 64 KiB; the last bytes differ.
    const lookalike = [dir('usr'), file('usr/base', 'the base layer'), { name: 'usr/big', content: Buffer.concat([Buffer.alloc(199_999, 0x61), Buffer.from('!')]) }];
    const fingerprints = new Map<string, string>();
    const a = await parseSpec({ layout: 'docker-save', images: [imageA] }, { knownLayers: { seen: (member, fingerprint) => void fingerprints.set(member, fingerprint) } });
    await cache.putImage('a', a, true, new Map(a.layers.map((layer) => [layer.diffId, fingerprints.get(layer.blob) as string])));
    const knownLayers = { seen: () => undefined, find: (fingerprint: string) => cache.findFingerprint(fingerprint, true) };
    const spec = { layout: 'docker-save' as const, images: [{ layers: [lookalike] }] };
    await expect(parseSpec(spec, { knownLayers })).rejects.toMatchObject({ code: NOT_THE_KNOWN_LAYER });
    // The same bytes with nothing cached read normally: the lookalike is its own layer.
    const alone = await parseSpec(spec);
    expect(alone.layers[0]?.diffId).not.toBe(a.layers[0]?.diffId);
  });
});
