import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readImageArchive } from '../../src/archive/read-image-archive.js';
import { writeImageArchive } from '../../src/archive/write-image-archive.js';
import { dockerSavePreview } from '../../src/sources/archive-preview.js';
import { openImage } from '../../src/sources/open-image.js';
import { dir, file } from '../helpers/archives.js';

const dirOf = mkdtempSync(join(tmpdir(), 'layerscope-preview-'));
const image = (tag: string, n: number) => ({
  layers: Array.from({ length: n }, (_, i) => [dir(`d${i}`), file(`d${i}/f`, `${tag}-${i}`)]),
  history: [
    ...Array.from({ length: n }, (_, i) => ({ createdBy: `/bin/sh -c #(nop) COPY file:${i} in /d${i} ` })),
    { createdBy: '/bin/sh -c #(nop)  CMD ["sh"]', emptyLayer: true },
  ],
  tags: [tag],
});

async function saved(name: string, spec: Parameters<typeof writeImageArchive>[0], gzip = false): Promise<string> {
  const data = await writeImageArchive(spec);
  const path = join(dirOf, name);
  writeFileSync(path, gzip ? gzipSync(data) : data);
  return path;
}

describe('previewing a docker save file before reading it', () => {
  it('finds the diff IDs and the history from manifest.json and the config, whatever comes first', async () => {
    const path = await saved('one.tar', { layout: 'docker-save', images: [image('app:1', 3)] });
    const parsed = await readImageArchive((async function* () { yield (await import('node:fs')).readFileSync(path); })(), { source: path });
    const preview = await dockerSavePreview(path, undefined);
    expect(preview?.diffIds).toEqual(parsed.layers.map((layer) => layer.diffId));
    expect(preview?.history.map((step) => [step.createdBy.replace('/bin/sh -c #(nop) ', '').trim(), step.emptyLayer])).toEqual([
      ['COPY file:0 in /d0', false],
      ['COPY file:1 in /d1', false],
      ['COPY file:2 in /d2', false],
      ['CMD ["sh"]', true],
    ]);
  });

  it('chooses the tagged image of several, and gives up when it cannot choose or read', async () => {
    const path = await saved('two.tar', { layout: 'docker-save', images: [image('app:1', 1), image('app:2', 2)] });
    expect((await dockerSavePreview(path, 'app:2'))?.diffIds).toHaveLength(2);
    expect(await dockerSavePreview(path, undefined)).toBeUndefined();
    expect(await dockerSavePreview(path, 'app:3')).toBeUndefined();
    expect(await dockerSavePreview(await saved('one.tar.gz', { layout: 'docker-save', images: [image('app:1', 1)] }, true), undefined)).toBeUndefined();
    expect(await dockerSavePreview(join(dirOf, 'missing.tar'), undefined)).toBeUndefined();
  });

  it('is offered for a docker-archive file and not for an OCI layout', async () => {
    const path = await saved('three.tar', { layout: 'docker-save', images: [image('app:1', 2)] });
    expect((await (await openImage({ kind: 'docker-archive', reference: `docker-archive:${path}`, path }, {})).preview?.())?.diffIds).toHaveLength(2);
    const oci = await saved('oci.tar', { layout: 'oci', images: [image('app:1', 2)] });
    expect((await openImage({ kind: 'oci', reference: `oci:${oci}`, path: oci }, {})).preview).toBeUndefined();
  });
});
