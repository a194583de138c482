import { describe, expect, it } from 'vitest';
import { readImageArchive } from '../../src/archive/read-image-archive.js';
import { blobsOfLayer, readFileContent } from '../../src/archive/read-file-content.js';
import { writeImageArchive } from '../../src/archive/write-image-archive.js';
import { chunked, dir, file } from '../helpers/archives.js';

const big = Buffer.from(Array.from({ length: 5000 }, (_, i) => `line ${i}\n`).join(''));
const layers = [
  [dir('etc'), file('etc/motd', 'hello from layer 0\n'), file('etc/big.txt', big.toString())],
  [dir('etc'), file('etc/motd', 'hello from layer 1\n')],
  [dir('etc'), file('etc/motd', 'hello from layer 0\n'), file('etc/big.txt', big.toString())], // layer 0 again
];

describe('reading one file back from the archive', () => {
  for (const [layout, compression] of [['docker-save', 'none'], ['oci', 'gzip'], ['oci', 'zstd']] as const) {
    it(`finds the version a layer wrote, and stops at the limit (${layout}, ${compression})`, async () => {
      const archive = await writeImageArchive({ layout, compression, images: [{ layers }] });
      const image = await readImageArchive(chunked(archive), { source: 'test' });
      const blobOf = (layer: number) => blobsOfLayer(image, layer);
      const motd1 = await readFileContent(chunked(archive), blobOf(1), 'etc/motd', 1000);
      expect(motd1?.bytes.toString()).toBe('hello from layer 1\n');
      const head = await readFileContent(chunked(archive), blobOf(2), '/etc/big.txt', 100);
      expect(head?.bytes.toString()).toBe(big.subarray(0, 100).toString());
      expect(head?.size).toBe(big.length);
      expect(await readFileContent(chunked(archive), blobOf(1), 'etc/big.txt', 100)).toBeUndefined();
    });
  }
});

describe('reading one file back from a compressed archive', () => {
  it('reads through a gzip\'d docker save, as the parser does (`v` on a .tar.gz)', async () => {
    const { gzipSync } = await import('node:zlib');
    const archive = gzipSync(await writeImageArchive({ layout: 'docker-save', images: [{ layers }] }));
    const image = await readImageArchive(chunked(archive), { source: 'test' });
    const motd = await readFileContent(chunked(archive), blobsOfLayer(image, 1), 'etc/motd', 1000);
    expect(motd?.bytes.toString()).toBe('hello from layer 1\n');
  });
});
