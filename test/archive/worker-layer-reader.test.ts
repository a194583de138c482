// The worker thread runs compiled code, so this test loads the build (vitest's global setup
// compiles it) and checks it against the in-thread reader on the same archives.

import { describe, expect, it } from 'vitest';
import { writeImageArchive } from '../../src/archive/write-image-archive.js';
import { CorruptLayerError } from '../../src/errors.js';
import { demoArchive } from '../../src/sources/demo-image.js';
import { chunked, file, parse } from '../helpers/archives.js';

type ReaderModule = typeof import('../../src/archive/worker-layer-reader.js');
type ArchiveModule = typeof import('../../src/archive/read-image-archive.js');
const built = (path: string): string => new URL(`../../dist/src/archive/${path}`, import.meta.url).href;

async function parseInWorker(archive: Buffer) {
  const { createWorkerLayerReader } = (await import(built('worker-layer-reader.js'))) as ReaderModule;
  const { readImageArchive } = (await import(built('read-image-archive.js'))) as ArchiveModule;
  const reader = createWorkerLayerReader();
  try {
    return await readImageArchive(chunked(archive, 100_003), { source: 'test', layerReader: reader.read });
  } finally {
    await reader.close();
  }
}

describe('layers read on a worker thread', () => {
  it('give the same image as the in-thread reader, for every layout and compression', async () => {
    const big = [file('big', 3_000_000), file('small', 'x')];
    const archives = [
      await demoArchive(),
      await writeImageArchive({ layout: 'oci', compression: 'gzip', images: [{ layers: [big, [file('a', 'b')]] }] }),
      await writeImageArchive({ layout: 'oci', compression: 'zstd', images: [{ layers: [big] }] }),
    ];
    for (const archive of archives) {
      expect(JSON.stringify(await parseInWorker(archive))).toBe(JSON.stringify(await parse(archive)));
    }
  });

  it('report a corrupt layer the same way', async () => {
    const archive = await writeImageArchive({ layout: 'oci', compression: 'gzip', images: [{ layers: [[file('f', 50_000)]] }] });
    const at = archive.indexOf(Buffer.from([0x1f, 0x8b, 0x08]));
    for (let i = at + 20; i < at + 60; i++) archive[i] = (archive[i] ?? 0) ^ 0xff;
    const error = await parseInWorker(archive).catch((e: unknown) => e);
    expect((error as Error).name).toBe(CorruptLayerError.name);
    expect((error as Error).message).toMatch(/^layer blobs\/sha256\/[0-9a-f]{64} is truncated or corrupt/);
  });

  it('check an uncompressed layer against its diff ID as the in-thread reader does (hashed on the main thread)', async () => {
    const archive = await writeImageArchive({ layout: 'docker-save', images: [{ layers: [[file('f', 'the layer as the config knows it')]] }] });
    const at = archive.indexOf(Buffer.from('the layer as the config knows it'));
    archive[at] = 'T'.charCodeAt(0);
    const inWorker = await parseInWorker(archive).catch((e: unknown) => e);
    const inThread = await parse(archive).catch((e: unknown) => e);
    expect((inWorker as Error).message).toMatch(/content hashes to sha256:[0-9a-f]{64}, but the image expects/);
    expect((inWorker as Error).message).toBe((inThread as Error).message);
  });
});
