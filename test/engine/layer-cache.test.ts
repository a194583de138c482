// The layer cache against the real engine and real files: a re-opened image is the image a cold
// read gives (the whole JSON report, byte for byte), and it is rebuilt without the export (or the
// file) being read at all. The cache lives in a temporary directory.

import { mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ImageTarget } from '../../src/sources/image-target.js';
import { CODEC_VERSION } from '../../src/cache/layer-codec.js';
import { runBin } from '../helpers/run-bin.js';
import { dockerCli, fixtureImage, requireEngine } from './engine.js';

type ReadModule = typeof import('../../src/sources/read-image.js');
type OpenModule = typeof import('../../src/sources/open-image.js');
const built = async <T>(path: string): Promise<T> => (await import(new URL(`../../dist/src/${path}`, import.meta.url).href)) as T;
const { readImage } = await built<ReadModule>('sources/read-image.js');
const { openImage, openOptionsOf } = await built<OpenModule>('sources/open-image.js');

beforeAll(requireEngine);
const scratch = mkdtempSync(join(process.env.XDG_CACHE_HOME as string, 'engine-cache-'));

function report(reference: string, flags: readonly string[]): string {
  const run = runBin([reference, '--report', 'json', '--no-progress', ...flags]);
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  return run.stdout;
}

/** Reads through the real source, except that reading its archive (the export, the file) fails the test. */
async function readWithoutArchive(target: ImageTarget, cacheDir: string) {
  return readImage(target, {
    read: { hashContent: true, cacheDir },
    open: async (image) => ({
      ...(await openImage(image, openOptionsOf({ cacheDir }))),
      archive: () => {
        throw new Error(`${image.reference}'s archive was read`);
      },
    }),
  });
}

describe('the layer cache with the engine and files', () => {
  // duplicate-layers: a legacy export stores a repeated layer once, linked: the re-open must say so too.
  for (const name of ['duplicate-layers', 'opaque', 'multistage']) {
    it(`re-opens ${name} from the cache with no export, giving the cold read's report`, async () => {
      const cacheDir = join(scratch, name);
      const ref = fixtureImage(name);
      const cold = report(ref, ['--no-cache']);
      expect(report(ref, ['--cache-dir', cacheDir])).toBe(cold);
      expect(report(ref, ['--cache-dir', cacheDir])).toBe(cold);
      const warm = await readWithoutArchive({ kind: 'engine', reference: ref, name: ref }, cacheDir);
      const layers = (JSON.parse(cold) as { layers: { digest: string }[] }).layers;
      expect(layers.length).toBeGreaterThan(0);
      expect(warm.layers.map((layer) => layer.diffId)).toEqual(layers.map((layer) => layer.digest));
    });
  }

  it('re-opens a docker save file without reading it, until the file changes', async () => {
    const cacheDir = join(scratch, 'file');
    const saved = join(scratch, 'overwrites.tar');
    dockerCli(['save', '-o', saved, fixtureImage('overwrites')]);
    const reference = `docker-archive:${saved}`;
    const cold = report(reference, ['--no-cache']);
    expect(report(reference, ['--cache-dir', cacheDir])).toBe(cold);
    const target: ImageTarget = { kind: 'docker-archive', reference, path: saved };
    expect((await readWithoutArchive(target, cacheDir)).layers.length).toBeGreaterThan(0);
    // Saved again, the file is another file (its times change): it is read again.
    dockerCli(['save', '-o', saved, fixtureImage('overwrites')]);
    await expect(readWithoutArchive(target, cacheDir)).rejects.toThrow(/archive was read/);
  });

  it('keeps each layer blob with --cache-blobs, under the diff ID its bytes hash to', async () => {
    const cacheDir = join(scratch, 'blobs');
    const ref = fixtureImage('overwrites');
    const cold = JSON.parse(report(ref, ['--cache-dir', cacheDir, '--cache-blobs'])) as { layers: { digest: string }[] };
    for (const { digest: diffId } of cold.layers) {
      const blob = readFileSync(join(cacheDir, `v${CODEC_VERSION}`, 'blobs', diffId.slice('sha256:'.length)));
      expect(`sha256:${createHash('sha256').update(blob).digest('hex')}`).toBe(diffId);
    }
  });
});
