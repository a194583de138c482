// Several images read at once (an image and its builders). Reads run layers on worker threads,
// which run compiled code: load the build (vitest's global setup compiles it).

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBinAsync } from '../helpers/run-bin.js';
import { writeImageArchive } from '../../src/archive/write-image-archive.js';
import type { ImageTarget } from '../../src/sources/image-target.js';
import type { OpenedImage } from '../../src/sources/open-image.js';
import { file } from '../helpers/archives.js';

type Module = typeof import('../../src/sources/read-together.js');
const { readTogether } = (await import(new URL('../../dist/src/sources/read-together.js', import.meta.url).href)) as Module;
const { InvalidArchiveError } = (await import(new URL('../../dist/src/errors.js', import.meta.url).href)) as typeof import('../../src/errors.js');

const image: ImageTarget = { kind: 'engine', reference: 'app:1', name: 'app:1' };
const builder: ImageTarget = { kind: 'engine', reference: 'app:build', name: 'app:build' };
const small = await writeImageArchive({ layout: 'docker-save', images: [{ layers: [[file('a', 'abc')], [file('b', 'hello')]] }] });
// Eight layers of a megabyte each, sent slowly: still being read when the image fails.
const large = await writeImageArchive({ layout: 'docker-save', images: [{ layers: Array.from({ length: 8 }, (_, n) => [file(`f${n}`, 1_000_000 + n)]) }] });

/** A source whose archive is streamed in 8 KiB pieces with a pause each; says when it was let go and how much it sent. */
function slowSource(target: ImageTarget, bytes: Buffer, failAfter?: { readonly bytes: number; readonly error: Error }) {
  const state = { sent: 0, closed: false };
  const opened: OpenedImage = {
    target,
    verify: false,
    expectedBytes: bytes.length,
    async *archive() {
      try {
        for (let at = 0; at < bytes.length; at += 8192) {
          await new Promise((resolve) => setTimeout(resolve, 1));
          if (failAfter && at >= failAfter.bytes) throw failAfter.error;
          state.sent = at + 8192;
          yield bytes.subarray(at, at + 8192);
        }
      } finally {
        state.closed = true;
      }
    },
  };
  return { opened, state };
}

describe('reading images together', () => {
  it('reads each image, with each read’s progress by its position', async () => {
    const sources = new Map([image, builder].map((target) => [target.reference, slowSource(target, small).opened]));
    const seen = new Set<number>();
    const [first, second] = readTogether([image, builder], { read: { hashContent: true }, open: async (target) => sources.get(target.reference) as OpenedImage, onProgress: (index) => seen.add(index) });
    expect((await first)?.layers.map((layer) => layer.contents.entries.map((entry) => entry.path))).toEqual([['a'], ['b']]);
    expect((await second)?.layers).toHaveLength(2);
    expect(seen).toEqual(new Set([0, 1]));
  });

  it('stops a builder mid-read when the image fails, and every read rejects with the image’s error once all have stopped', async () => {
    const failure = new InvalidArchiveError('app:1', 'it ends early, after 3 members (truncated?)');
    const failing = slowSource(image, large, { bytes: 64 * 1024, error: failure });
    const slow = slowSource(builder, large);
    const reads = readTogether([image, builder], { read: { hashContent: true }, open: async (target) => (target === image ? failing.opened : slow.opened) });
    await expect(reads[0]).rejects.toBe(failure);
    // By then the builder's read has stopped too: its source was let go part-way.
    expect(slow.state.closed).toBe(true);
    expect(slow.state.sent).toBeGreaterThan(0);
    expect(slow.state.sent).toBeLessThan(large.length);
    await expect(reads[1]).rejects.toBe(failure);
  });

  it('stops the image when a builder fails first, with the builder’s error', async () => {
    const failure = new InvalidArchiveError('app:build', 'it is not a tar archive');
    const slow = slowSource(image, large);
    const failing = slowSource(builder, small, { bytes: 0, error: failure });
    const reads = readTogether([image, builder], { read: { hashContent: true }, open: async (target) => (target === image ? slow.opened : failing.opened) });
    await expect(reads[0]).rejects.toBe(failure);
    expect(slow.state.closed).toBe(true);
    expect(slow.state.sent).toBeLessThan(large.length);
    await expect(reads[1]).rejects.toBe(failure);
  });

  it('ends the process with the image’s one-line error when its file is truncated while a builder is read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'layerscope-together-'));
    writeFileSync(join(dir, 'image.tar'), large.subarray(0, 3 * 1024 * 1024));
    writeFileSync(join(dir, 'builder.tar'), large);
    const result = await runBinAsync([`docker-archive:${join(dir, 'image.tar')}`, '--builder', `docker-archive:${join(dir, 'builder.tar')}`, '--report', 'json', '--no-cache']);
    expect(result.status).toBe(2);
    expect(result.stderr.split('\n')[0]).toMatch(/^layerscope: layer .* is truncated or corrupt: the archive ends inside it/);
    expect(result.stdout).toBe('');
  });
});
