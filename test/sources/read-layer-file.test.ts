// The file viewer (`v`) on an archive file: it seeks to the layer's blob and, in an uncompressed
// layer, to the entry, and must show exactly what a full parse would (the last copy of a path,
// long names read as tar-stream reads them), and nothing from a file that changed since it was read.

import { mkdtempSync, rmSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { extract as tarExtract } from 'tar-stream';
import { afterAll, describe, expect, it } from 'vitest';
import { writeImageArchive, writeLayerTar } from '../../src/archive/write-image-archive.js';
import { blobsOfLayer, readFileContent } from '../../src/archive/read-file-content.js';
import { findTarEntry } from '../../src/sources/tar-walk.js';
import type { ParsedImage } from '../../src/model/types.js';
import { chunked, dir, file, whiteout } from '../helpers/archives.js';

type Dist<T> = Promise<T>;
const dist = <T>(path: string): Dist<T> => import(new URL(`../../dist/src/${path}`, import.meta.url).href) as Promise<T>;
const { readImage } = await dist<typeof import('../../src/sources/read-image.js')>('sources/read-image.js');
const { openImage } = await dist<typeof import('../../src/sources/open-image.js')>('sources/open-image.js');
const { readLayerFile } = await dist<typeof import('../../src/sources/read-layer-file.js')>('sources/read-layer-file.js');

const folder = mkdtempSync(join(tmpdir(), 'read-layer-file-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const prefixed = `${'p'.repeat(90)}/${'q'.repeat(60)}`; // split into ustar prefix and name
const paxNamed = `${'x'.repeat(120)}/${'y'.repeat(180)}`; // too long for both: a pax header
const layers = [
  [dir('etc'), file('etc/motd', 'hello from layer 0\n'), file(prefixed, 'in the prefix'), file(paxNamed, 'named by pax'), file('twice', 'first'), file('twice', 'second!'), file('gone', 'a file'), { name: 'gone', type: 'symlink' as const, linkname: 'etc' }],
  [dir('etc'), file('etc/motd', 'hello from layer 1\n'), file('big', 300_000), file('after-big', 'the end')],
];

async function saved(name: string, bytes: Buffer): Promise<{ path: string; image: ParsedImage; opened: Awaited<ReturnType<typeof openImage>> }> {
  const path = join(folder, name);
  writeFileSync(path, bytes);
  const target = { kind: 'docker-archive', reference: `docker-archive:${path}`, path } as const;
  const opened = await openImage(target, { noCache: true });
  return { path, image: await readImage(target, { read: { hashContent: true }, open: async () => opened }), opened };
}

describe('v on a docker save file', () => {
  it('shows for every path of every layer what a full read of the archive shows: the last copy, long names, no link', async () => {
    const archive = await writeImageArchive({ layout: 'docker-save', images: [{ layers }] });
    const { image, opened } = await saved('plain.tar', archive);
    const paths = new Set(layers.flat().map((entry) => entry.name.replace(/\/$/, '')));
    for (const layer of image.layers) {
      for (const path of paths) {
        const seeking = await readLayerFile(opened, image, layer.index, path, 64);
        expect(seeking, `${layer.index} ${path}`).toEqual(await readFileContent(chunked(archive), blobsOfLayer(image, layer.index), path, 64));
      }
    }
    expect((await readLayerFile(opened, image, 0, 'twice', 64))?.bytes.toString()).toBe('second!');
    expect(await readLayerFile(opened, image, 0, 'gone', 64)).toBeUndefined();
    expect((await readLayerFile(opened, image, 0, paxNamed, 64))?.bytes.toString()).toBe('named by pax');
    expect((await readLayerFile(opened, image, 0, prefixed, 64))?.bytes.toString()).toBe('in the prefix');
    expect(await readLayerFile(opened, image, 1, 'big', 10)).toEqual({ bytes: Buffer.alloc(10, 0x61), size: 300_000 });
    expect((await readLayerFile(opened, image, 1, 'after-big', 64))?.bytes.toString()).toBe('the end');
  });

  it('reads a gzip\'d save and compressed OCI layers too (from the blob\'s start)', async () => {
    for (const [name, bytes] of [
      ['saved.tar.gz', gzipSync(await writeImageArchive({ layout: 'docker-save', images: [{ layers }] }))],
      ['oci-gzip.tar', await writeImageArchive({ layout: 'oci', compression: 'gzip', images: [{ layers }] })],
    ] as const) {
      const { image, opened } = await saved(name, bytes);
      expect((await readLayerFile(opened, image, 1, 'after-big', 64))?.bytes.toString(), name).toBe('the end');
      expect((await readLayerFile(opened, image, 0, 'twice', 64))?.bytes.toString(), name).toBe('second!');
    }
  });

  it('refuses, in one line, a file rewritten, truncated or removed since it was read', async () => {
    const archive = await writeImageArchive({ layout: 'docker-save', images: [{ layers }] });
    const changed = /has changed since it was read \(or is gone\): its files are not shown from another archive$/;
    const rewritten = await saved('rewritten.tar', archive);
    writeFileSync(rewritten.path, archive); // the same bytes, written again: no longer provably the file read
    utimesSync(rewritten.path, new Date(), new Date(Date.now() + 5000));
    await expect(readLayerFile(rewritten.opened, rewritten.image, 0, 'etc/motd', 64)).rejects.toMatchObject({ name: 'ArchiveChangedError', message: expect.stringMatching(changed) });
    const truncated = await saved('truncated.tar', archive);
    truncateSync(truncated.path, archive.length - 4096);
    await expect(readLayerFile(truncated.opened, truncated.image, 1, 'after-big', 64)).rejects.toMatchObject({ name: 'ArchiveChangedError' });
    const removed = await saved('removed.tar', archive);
    rmSync(removed.path);
    await expect(readLayerFile(removed.opened, removed.image, 1, 'after-big', 64)).rejects.toMatchObject({ name: 'ArchiveChangedError' });
  });
});

describe('v from a source that gives one file alone (the engine: a container of the image, or of an intermediate image)', () => {
  // etc/motd: 19 bytes in each layer, other bytes (only the digest tells them apart); after: untouched
  // after layer 1; gone: removed by layer 2; opt/deep: under a directory layer 2 hides.
  const versions = [
    [dir('etc'), file('etc/motd', 'hello from layer 0\n'), file('gone', 'soon gone'), dir('opt'), file('opt/deep', 'deep')],
    [dir('etc'), file('etc/motd', 'hello from layer 1\n'), file('after', 'the end')],
    [whiteout('gone'), { name: 'opt/.wh..wh..opq', content: '' }],
  ];
  /** Each filesystem the source can give, by how many layers it has: what a container of it would show. */
  const filesystems: Record<number, Record<string, string>> = {
    1: { 'etc/motd': 'hello from layer 0\n', gone: 'soon gone', 'opt/deep': 'deep' },
    3: { 'etc/motd': 'hello from layer 1\n', after: 'the end' },
  };
  const asked: number[] = [];
  async function opened(give: (layers: number) => Record<string, string> | undefined) {
    const read = await saved('alone.tar', await writeImageArchive({ layout: 'docker-save', images: [{ layers: versions }] }));
    const fileWithLayers = async (layers: number, path: string) => {
      asked.push(layers);
      const content = give(layers)?.[path];
      // The engine's answer: a tar of the one file, named by its base name.
      return content === undefined ? undefined : chunked(await writeLayerTar([file(path.slice(path.lastIndexOf('/') + 1), content)]));
    };
    const noArchive = { ...read.opened, fileWithLayers, archive: () => { throw new Error('the archive was read'); }, reopenFile: () => { throw new Error('the archive was read'); } };
    return { ...read, noArchive };
  }
  const text = (content: { bytes: Buffer } | undefined) => content?.bytes.toString();

  it('reads a file no later layer touches from the whole image, and one a later layer rewrites from the image of its own layers', async () => {
    const { image, noArchive } = await opened((layers) => filesystems[layers]);
    asked.length = 0;
    expect(text(await readLayerFile(noArchive, image, 1, 'after', 64))).toBe('the end');
    expect(asked).toEqual([3]);
    asked.length = 0;
    expect(text(await readLayerFile(noArchive, image, 0, 'etc/motd', 64))).toBe('hello from layer 0\n');
    expect(text(await readLayerFile(noArchive, image, 0, 'gone', 64))).toBe('soon gone');
    expect(text(await readLayerFile(noArchive, image, 0, 'opt/deep', 64))).toBe('deep');
    expect(asked).toEqual([1, 1, 1]); // rewritten, removed, hidden: never the whole image's
  });

  it('reads the archive when the source has no image of those layers, gives another file, or fails', async () => {
    const missing = await opened((layers) => (layers === 3 ? filesystems[3] : undefined));
    await expect(readLayerFile(missing.noArchive, missing.image, 0, 'etc/motd', 64)).rejects.toThrow('the archive was read');
    expect(text(await readLayerFile(missing.opened, missing.image, 0, 'etc/motd', 64))).toBe('hello from layer 0\n');
    // An intermediate image that holds other bytes of the same size: the digest turns it away.
    const lying = await opened((layers) => filesystems[layers === 1 ? 3 : layers]);
    await expect(readLayerFile(lying.noArchive, lying.image, 0, 'etc/motd', 64)).rejects.toThrow('the archive was read');
    expect(text(await readLayerFile({ ...lying.opened, fileWithLayers: lying.noArchive.fileWithLayers }, lying.image, 0, 'etc/motd', 64))).toBe('hello from layer 0\n');
    const failing = await opened(() => {
      throw new Error('the engine refused the container');
    });
    expect(text(await readLayerFile({ ...failing.opened, fileWithLayers: failing.noArchive.fileWithLayers }, failing.image, 1, 'after', 64))).toBe('the end');
  });
});

/** A raw tar header block (ustar or GNU), its checksum filled in. */
function header(name: string, type: string, size: number, magic: 'ustar' | 'gnu' = 'ustar'): Buffer {
  const block = Buffer.alloc(512);
  block.write(name, 0, 100, 'utf8');
  block.write('0000644\0', 100, 'latin1');
  block.write('0000000\0', 108, 'latin1');
  block.write('0000000\0', 116, 'latin1');
  block.write(`${size.toString(8).padStart(11, '0')}\0`, 124, 'latin1');
  block.write('00000000000\0', 136, 'latin1');
  block.write(type, 156, 'latin1');
  block.write(magic === 'ustar' ? 'ustar\u000000' : 'ustar  \0', 257, 'latin1');
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return block;
}
const data = (text: string | Buffer): Buffer => {
  const bytes = Buffer.from(text);
  return Buffer.concat([bytes, Buffer.alloc((512 - (bytes.length % 512)) % 512)]);
};
const pax = (records: Record<string, string>): Buffer =>
  Buffer.from(
    Object.entries(records)
      .map(([key, value]) => {
        const body = ` ${key}=${value}\n`;
        let length = body.length + 1;
        while (`${length}${body}`.length !== length) length++;
        return `${length}${body}`;
      })
      .join(''),
  );

describe('seeking to an entry of an uncompressed layer', () => {
  it('finds each name where tar-stream does: GNU long names, pax path and size, a global pax header, a zero block, a directory', async () => {
    const longName = `gnu/${'n'.repeat(200)}`;
    const globalPax = pax({ comment: 'global' });
    const entryPax = pax({ path: 'pax/renamed', size: '5' });
    const tar = Buffer.concat([
      header('././@LongLink', 'L', longName.length + 1, 'gnu'), data(`${longName}\0`),
      header('short', '0', 4, 'gnu'), data('long'),
      header('pax_global_header', 'g', globalPax.length), data(globalPax),
      header('plain', '0', 3), data('one'),
      header('PaxHeaders/x', 'x', entryPax.length), data(entryPax),
      header('will-be-renamed', '0', 0), data('fiver'),
      Buffer.alloc(512), // a zero block in the middle: tar-stream reads on
      header('a-dir/', '5', 0),
      header('after-dir', '0', 6), data('after!'),
      header('plain', '0', 3), data('two'),
      Buffer.alloc(1024),
    ]);
    const path = join(folder, 'crafted.tar');
    writeFileSync(path, tar);
    const expected = new Map<string, string>();
    const extract = tarExtract();
    extract.end(tar);
    for await (const entry of extract) {
      const chunks: Buffer[] = [];
      for await (const chunk of entry) chunks.push(chunk as Buffer);
      expected.set(entry.header.name.replace(/\/$/, ''), Buffer.concat(chunks).toString());
    }
    expect([...expected.keys()]).toEqual([longName, 'plain', 'pax/renamed', 'a-dir', 'after-dir']);
    const handle = await open(path, 'r');
    try {
      for (const [name, content] of expected) {
        const entry = await findTarEntry(handle, 0, tar.length, name);
        const bytes = Buffer.alloc(entry?.size ?? 0);
        if (entry) await handle.read(bytes, 0, bytes.length, entry.offset);
        expect(bytes.toString(), name).toBe(content);
      }
      expect(await findTarEntry(handle, 0, tar.length, 'will-be-renamed')).toBeNull();
      expect(await findTarEntry(handle, 0, tar.length, 'short')).toBeNull();
      // A damaged header (its checksum off) is left to tar-stream to report.
      const damaged = Buffer.from(tar);
      damaged[1024 + 100] = 0x37;
      writeFileSync(path, damaged);
      expect(await findTarEntry(handle, 0, tar.length, 'plain')).toBeUndefined();
    } finally {
      await handle.close();
    }
  });
});
