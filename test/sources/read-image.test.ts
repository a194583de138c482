// One function reads an image for every caller. It runs layers on a worker thread, which runs
// compiled code: load the build (vitest's global setup compiles it), as the worker's own test does.

import { describe, expect, it } from 'vitest';
import { writeImageArchive } from '../../src/archive/write-image-archive.js';
import type { OpenedImage } from '../../src/sources/open-image.js';
import { chunked, file } from '../helpers/archives.js';

type Module = typeof import('../../src/sources/read-image.js');
const { readImage } = (await import(new URL('../../dist/src/sources/read-image.js', import.meta.url).href)) as Module;

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

  // The build's error classes are not the sources' (two module copies): match by name.
  it('rejects with the source named when the bytes are not an image archive', async () => {
    const text = Buffer.from('not a tar at all\n'.repeat(64));
    await expect(readImage({ kind: 'engine', reference: 'test:1', name: 'test:1' }, { read: { hashContent: true }, open: async () => opened(text) })).rejects.toMatchObject({
      name: 'InvalidArchiveError',
      message: expect.stringMatching(/^test:1 is not a readable image archive/),
    });
  });
});
