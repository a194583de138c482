import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { xxhash128 } from 'hash-wasm';
import { describe, expect, it } from 'vitest';
import { writeImageArchive, writeLayerTar } from '../../src/archive/write-image-archive.js';
import { CorruptLayerError, InvalidArchiveError, MissingBlobError, UnknownPlatformError } from '../../src/errors.js';
import { dir, file, parse, parseSpec, reorder, whiteout, opaque } from '../helpers/archives.js';

const base = [dir('etc'), file('etc/hostname', 'box\n'), file('etc/motd', 'hello world\n')];
const second = [dir('etc'), file('etc/motd', 'bye\n'), whiteout('etc/hostname')];
const sha = (data: string | Buffer): string => `sha256:${createHash('sha256').update(data).digest('hex')}`;
const xxh = async (data: string): Promise<string> => `xxh128:${await xxhash128(data)}`;

describe('reading a docker-save (legacy) archive', () => {
  it('orders layers by manifest.json, which arrives last, not by arrival order', async () => {
    const archive = await writeImageArchive({ layout: 'docker-save', images: [{ layers: [base, second] }] });
    const reversed = await reorder(archive, (names) => [...names].reverse());
    for (const bytes of [archive, reversed]) {
      const image = await parse(bytes);
      expect(image.layout).toBe('docker-save');
      expect(image.layers.map((layer) => layer.contents.entries.map((e) => e.path))).toEqual([
        ['etc', 'etc/hostname', 'etc/motd'],
        ['etc', 'etc/motd'],
      ]);
      expect(image.layers[1]?.contents.whiteouts).toEqual(['etc/hostname']);
    }
  });

  it('reads a layer stored once and linked by a symlink for each repeat', async () => {
    const same = [file('marker', '')];
    const archive = await writeImageArchive({ layout: 'docker-save', images: [{ layers: [base, same, same] }] });
    const image = await parse(archive);
    expect(image.layers).toHaveLength(3);
    expect(image.layers[1]?.diffId).toBe(image.layers[2]?.diffId);
    expect(image.layers[2]?.blob).not.toBe(image.layers[1]?.blob);
    expect(image.layers[2]?.contents.entries.map((e) => e.path)).toEqual(['marker']);
  });

  it('reads a gzip-compressed docker save file', async () => {
    const archive = await writeImageArchive({ layout: 'docker-save', images: [{ layers: [base] }] });
    const image = await parse(gzipSync(archive));
    expect(image.layers[0]?.contents.entries).toHaveLength(3);
  });

  it('records type, size, mode, owner, link target and a content digest per entry', async () => {
    const image = await parseSpec({
      layout: 'docker-save',
      images: [
        {
          layers: [
            [
              { name: './bin/', type: 'directory', mode: 0o755 },
              { name: 'bin/tool', content: 'binary!', mode: 0o4755, uid: 1000, gid: 50 },
              { name: 'bin/alias', type: 'symlink', linkname: 'tool' },
              { name: 'bin/hard', type: 'link', linkname: './bin/tool' },
              { name: 'bin/pipe', type: 'fifo' },
            ],
          ],
        },
      ],
    });
    expect(image.layers[0]?.contents.entries).toEqual([
      { path: 'bin', type: 'dir', size: 0, mode: 0o755, uid: 0, gid: 0, mtime: 0 },
      { path: 'bin/tool', type: 'file', size: 7, mode: 0o4755, uid: 1000, gid: 50, mtime: 0, digest: await xxh('binary!') },
      { path: 'bin/alias', type: 'symlink', size: 0, mode: 0o644, uid: 0, gid: 0, mtime: 0, linkTarget: 'tool' },
      { path: 'bin/hard', type: 'hardlink', size: 0, mode: 0o644, uid: 0, gid: 0, mtime: 0, linkTarget: 'bin/tool' },
      { path: 'bin/pipe', type: 'other', size: 0, mode: 0o644, uid: 0, gid: 0, mtime: 0 },
    ]);
  });

  it('skips content hashing when asked, keeping sizes', async () => {
    const archive = await writeImageArchive({ layout: 'docker-save', images: [{ layers: [base] }] });
    const image = await parse(archive, { hashContent: false });
    expect(image.layers[0]?.contents.entries.find((e) => e.path === 'etc/motd')).toMatchObject({ size: 12 });
    expect(image.layers[0]?.contents.entries.some((e) => e.digest !== undefined)).toBe(false);
  });

  it('normalises entry names and keeps long (pax) names whole', async () => {
    const long = `deep/${'x'.repeat(240)}/${'y'.repeat(200)}.txt`;
    const image = await parseSpec({
      layout: 'docker-save',
      images: [{ layers: [[file('./a//b/./c', 'x'), file('/abs', 'y'), file('../../escape', 'z'), file(long, 'long')]] }],
    });
    expect(image.layers[0]?.contents.entries.map((e) => e.path)).toEqual(['a/b/c', 'abs', 'escape', long]);
  });

  it('treats an empty layer (a tar of zero blocks) as a layer with no entries', async () => {
    const image = await parseSpec({ layout: 'docker-save', images: [{ layers: [base, []] }] });
    expect(image.layers[1]?.contents).toMatchObject({ entries: [], tarBytes: 1024 });
  });

  it('computes each layer diff ID from its uncompressed tar', async () => {
    const tar = await writeLayerTar(base);
    const image = await parseSpec({ layout: 'oci', compression: 'gzip', images: [{ layers: [base] }] });
    expect(image.layers[0]?.contents.diffId).toBe(sha(tar));
    expect(image.layers[0]?.diffId).toBe(sha(tar));
  });

  it('maps history steps to layers, skipping empty-layer steps', async () => {
    const image = await parseSpec({
      layout: 'docker-save',
      images: [
        {
          layers: [base, second],
          history: [
            { createdBy: '/bin/sh -c #(nop) ADD file:abc in / ' },
            { createdBy: '/bin/sh -c #(nop)  ENV A=1', emptyLayer: true },
            { createdBy: '/bin/sh -c rm /etc/hostname && echo bye > /etc/motd' },
            { createdBy: '/bin/sh -c #(nop)  CMD ["sh"]', emptyLayer: true },
          ],
        },
      ],
    });
    expect(image.history).toHaveLength(4);
    expect(image.layers.map((layer) => layer.step?.createdBy)).toEqual([
      '/bin/sh -c #(nop) ADD file:abc in / ',
      '/bin/sh -c rm /etc/hostname && echo bye > /etc/motd',
    ]);
  });
});

describe('reading an OCI layout', () => {
  for (const compression of ['none', 'gzip', 'zstd'] as const) {
    it(`reads ${compression} layers, detected by magic bytes`, async () => {
      const image = await parseSpec({ layout: 'oci', compression, images: [{ layers: [base, second], tags: ['demo:1'] }] });
      expect(image.layout).toBe('oci');
      expect(image.tags).toEqual(['demo:1']);
      expect(image.layers.map((layer) => layer.contents.compression)).toEqual([compression, compression]);
      expect(image.layers[0]?.contents.entries.find((e) => e.path === 'etc/motd')?.digest).toBe(await xxh('hello world\n'));
    });
  }

  it('reads a gzip layer smaller than 1 KB', async () => {
    const image = await parseSpec({ layout: 'oci', compression: 'gzip', images: [{ layers: [[file('a', 'b')]] }] });
    expect(image.layers[0]?.contents.entries).toHaveLength(1);
  });

  it('orders layers from index.json and the manifest when there is no manifest.json', async () => {
    const archive = await writeImageArchive({ layout: 'oci', images: [{ layers: [base, second, [file('z', '1')]] }] });
    const shuffled = await reorder(archive, (names) => [...names].sort());
    const image = await parse(shuffled);
    expect(image.layers.map((layer) => layer.contents.entries.length)).toEqual([3, 2, 1]);
  });

  it('reads Docker 25+ exports, which carry both index.json and manifest.json', async () => {
    const image = await parseSpec({ layout: 'oci', dockerManifest: true, images: [{ layers: [base], tags: ['app:2'] }] });
    expect(image.tags).toEqual(['app:2']);
    expect(image.layers[0]?.blob).toMatch(/^blobs\/sha256\/[0-9a-f]{64}$/);
  });

  const platforms = {
    layout: 'oci' as const,
    platformIndex: true,
    images: [
      { layers: [[file('arch', 'amd64')]], architecture: 'amd64' },
      { layers: [[file('arch', 'arm64')]], architecture: 'arm64' },
    ],
  };

  it('chooses the default platform from a multi-platform index, or the one asked for', async () => {
    const amd = await parseSpec(platforms, { defaultPlatform: { os: 'linux', architecture: 'amd64' } });
    expect(amd.config.architecture).toBe('amd64');
    const arm = await parseSpec(platforms, { platform: { os: 'linux', architecture: 'arm64' } });
    expect(arm.config.architecture).toBe('arm64');
  });

  it('names the platforms there are when the one asked for is missing', async () => {
    await expect(parseSpec(platforms, { platform: { os: 'linux', architecture: 's390x' } })).rejects.toThrow(
      UnknownPlatformError,
    );
    await expect(parseSpec(platforms, { platform: { os: 'linux', architecture: 's390x' } })).rejects.toMatchObject({
      hint: expect.stringContaining('linux/amd64, linux/arm64'),
    });
  });

  it('names a layer blob the export left out', async () => {
    const archive = await writeImageArchive({ layout: 'oci', images: [{ layers: [base, second] }] });
    const image = await parse(archive);
    const missing = image.layers[1]?.blob ?? '';
    const without = await reorder(archive, (names) => names.filter((name) => name !== missing));
    await expect(parse(without)).rejects.toThrow(MissingBlobError);
    await expect(parse(without)).rejects.toThrow(missing);
  });
});

describe('broken archives', () => {
  it('rejects bytes that are not a tar', async () => {
    await expect(parse(Buffer.from('this is not an image archive at all'.repeat(40)))).rejects.toThrow(
      InvalidArchiveError,
    );
  });

  it('rejects an empty file', async () => {
    await expect(parse(Buffer.alloc(0))).rejects.toThrow(/is empty/);
  });

  it('rejects a tar with neither manifest.json nor index.json', async () => {
    await expect(parse(await writeLayerTar(base))).rejects.toThrow(/neither manifest.json nor index.json/);
  });

  it('names the layer a truncated archive ends inside', async () => {
    const archive = await writeImageArchive({ layout: 'docker-save', images: [{ layers: [base, [file('big', 200_000)]] }] });
    const image = await parse(archive);
    const big = image.layers[1]?.blob ?? '';
    const offset = archive.indexOf(Buffer.alloc(100_000, 0x61));
    const error = await parse(archive.subarray(0, offset + 50_000)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CorruptLayerError);
    expect((error as Error).message).toContain(big);
  });

  it('names a layer whose gzip stream is corrupt', async () => {
    const archive = await writeImageArchive({ layout: 'oci', compression: 'gzip', images: [{ layers: [[file('f', 5000)]] }] });
    const image = await parse(archive);
    const blob = image.layers[0]?.blob ?? '';
    const corrupted = await reorder(archive, (names) => names);
    // Flip bytes in the middle of the gzip blob (found by its magic, past the header).
    const at = corrupted.indexOf(Buffer.from([0x1f, 0x8b, 0x08]));
    for (let i = at + 20; i < at + 40; i++) corrupted[i] = (corrupted[i] ?? 0) ^ 0xff;
    const error = await parse(corrupted).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CorruptLayerError);
    expect((error as Error).message).toContain(blob);
  });

  it('does not hash whole layers when verification is off (the engine source)', async () => {
    const image = await parseSpec({ layout: 'docker-save', images: [{ layers: [base] }] }, { verify: false });
    expect(image.layers[0]?.contents.diffId).toBeUndefined();
    expect(image.layers[0]?.diffId).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('names a layer whose content does not match its diff ID', async () => {
    const archive = await writeImageArchive({ layout: 'docker-save', images: [{ layers: [[file('f', 'AAAA')]] }] });
    const tampered = Buffer.from(archive);
    const at = tampered.indexOf(Buffer.from('AAAA'));
    tampered.write('AAAB', at); // same size, so the tar stays readable; the tar's checksum covers headers only
    await expect(parse(tampered)).rejects.toThrow(/hashes to sha256:[0-9a-f]+, but the image expects/);
  });

  it('asks which image to read from a multi-image archive, and reads the one named', async () => {
    const spec = {
      layout: 'docker-save' as const,
      images: [
        { layers: [[file('one', '1')]], tags: ['one:1'] },
        { layers: [[file('two', '2')]], tags: ['two:2'] },
      ],
    };
    await expect(parseSpec(spec)).rejects.toThrow(/holds 2 images/);
    const two = await parseSpec(spec, { tag: 'two:2' });
    expect(two.layers[0]?.contents.entries[0]?.path).toBe('two');
  });
});

describe('whiteouts in a layer tar', () => {
  it('records .wh. files as removals and .wh..wh..opq as opaque directories, not as entries', async () => {
    const image = await parseSpec({
      layout: 'docker-save',
      images: [{ layers: [base, [dir('etc'), whiteout('etc/motd'), opaque('var/cache'), file('etc/.wh..wh.plnk', '')]] }],
    });
    expect(image.layers[1]?.contents).toMatchObject({
      entries: [{ path: 'etc' }],
      whiteouts: ['etc/motd'],
      opaqueDirs: ['var/cache'],
    });
  });
});
