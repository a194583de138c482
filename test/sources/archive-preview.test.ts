import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readImageArchive } from '../../src/archive/read-image-archive.js';
import { writeImageArchive } from '../../src/archive/write-image-archive.js';
import { directoryPreview, tarPreview } from '../../src/sources/archive-preview.js';
import { readLayoutDocument } from '../../src/sources/archive-file.js';
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

/** Unpacks a tar into a directory, as `tar -x` would (regular files only: an OCI layout has no others). */
async function extractTo(tarPath: string, target: string): Promise<void> {
  const { extract } = await import('tar-stream');
  const { mkdirSync, readFileSync: read } = await import('node:fs');
  const { dirname } = await import('node:path');
  const ex = extract();
  const done = new Promise<void>((resolve, reject) => {
    ex.on('entry', (header, stream, next) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: unknown) => void chunks.push(chunk as Buffer));
      stream.on('end', () => {
        if (header.type === 'file') {
          mkdirSync(dirname(join(target, header.name)), { recursive: true });
          writeFileSync(join(target, header.name), Buffer.concat(chunks));
        }
        next();
      });
    });
    ex.on('finish', resolve);
    ex.on('error', reject);
  });
  ex.end(read(tarPath));
  await done;
}

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
    const preview = await tarPreview(path, undefined);
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
    expect((await tarPreview(path, 'app:2'))?.diffIds).toHaveLength(2);
    expect(await tarPreview(path, undefined)).toBeUndefined();
    expect(await tarPreview(path, 'app:3')).toBeUndefined();
    expect(await tarPreview(await saved('one.tar.gz', { layout: 'docker-save', images: [image('app:1', 1)] }, true), undefined)).toBeUndefined();
    expect(await tarPreview(join(dirOf, 'missing.tar'), undefined)).toBeUndefined();
  });

  it('reads an OCI layout too, as a tar or a directory, through a one-entry platform index', async () => {
    const spec = { layout: 'oci' as const, images: [image('app:1', 2)], platformIndex: true, compression: 'gzip' as const };
    const tar = await saved('oci.tar', spec);
    const parsed = await readImageArchive((async function* () { yield (await import('node:fs')).readFileSync(tar); })(), { source: tar });
    const fromTar = await (await openImage({ kind: 'oci', reference: `oci:${tar}`, path: tar }, {})).preview?.();
    expect(fromTar?.diffIds).toEqual(parsed.layers.map((layer) => layer.diffId));
    const layoutDir = join(dirOf, 'layout');
    await extractTo(tar, layoutDir);
    const fromDir = await (await openImage({ kind: 'oci', reference: `oci:${layoutDir}`, path: layoutDir }, {})).preview?.();
    expect(fromDir).toEqual(fromTar);
    const docker = await saved('three.tar', { layout: 'docker-save', images: [image('app:1', 2)] });
    expect((await (await openImage({ kind: 'docker-archive', reference: `docker-archive:${docker}`, path: docker }, {})).preview?.())?.diffIds).toHaveLength(2);
  });
});

describe('reading an OCI layout directory safely', () => {
  const layoutWith = async (name: string, change: (root: string, index: { manifests: { digest: string }[] }) => void): Promise<string> => {
    const { readFileSync: read, mkdirSync } = await import('node:fs');
    const root = join(dirOf, name);
    mkdirSync(root);
    await extractTo(await saved(`${name}.tar`, { layout: 'oci', images: [image('app:1', 1)] }), root);
    const index = JSON.parse(read(join(root, 'index.json'), 'utf8')) as { manifests: { digest: string }[] };
    change(root, index);
    writeFileSync(join(root, 'index.json'), JSON.stringify(index));
    return root;
  };

  it('opens no file outside the layout, whatever a digest says', async () => {
    writeFileSync(join(dirOf, 'x.json'), JSON.stringify({ manifests: [] }));
    const root = await layoutWith('escape', (_root, index) => {
      (index.manifests[0] as { digest: string }).digest = 'sha256:../../x.json';
    });
    expect(await directoryPreview(root, undefined)).toBeUndefined();
    const error = await readImageArchive((await openImage({ kind: 'oci', reference: `oci:${root}`, path: root }, {})).archive(), { source: `oci:${root}` }).catch((e: unknown) => e);
    expect((error as Error).message).toBe(`oci:${root} is not a readable image archive: index.json: manifests[0].digest: expected sha256:<64 hex>, sha384:<96 hex> or sha512:<128 hex>`);
  });

  it('opens only regular files: a blob that is a symlink to /dev/zero or out of the layout is not read', async () => {
    const { symlinkSync, rmSync } = await import('node:fs');
    const root = await layoutWith('devzero', (root, index) => {
      const blob = join(root, 'blobs', 'sha256', (index.manifests[0] as { digest: string }).digest.slice(7));
      rmSync(blob);
      symlinkSync('/dev/zero', blob);
    });
    expect(await readLayoutDocument(root, 'index.json')).toContain('manifests');
    expect(await readLayoutDocument(root, `blobs/sha256/${'0'.repeat(64)}`)).toBeUndefined();
    const index = JSON.parse((await readLayoutDocument(root, 'index.json')) ?? '') as { manifests: { digest: string }[] };
    expect(await readLayoutDocument(root, `blobs/sha256/${(index.manifests[0] as { digest: string }).digest.slice(7)}`)).toBeUndefined();
    expect(await readLayoutDocument(root, '../x.json')).toBeUndefined();
    expect(await directoryPreview(root, undefined)).toBeUndefined();
  });
});

describe("the preview of skopeo's dir: layout", () => {
  it('lists the layers from the config the dir: manifest names, before the image is read', async () => {
    const { mkdirSync } = await import('node:fs');
    const { createHash } = await import('node:crypto');
    const { dirLayout } = await import('../hostile/corpus.js');
    const { writeLayerTar } = await import('../../src/archive/write-image-archive.js');
    const tars = [await writeLayerTar([file('a', 'one')]), await writeLayerTar([file('b', 'two')])];
    const root = join(dirOf, 'dir-layout');
    mkdirSync(root);
    for (const [name, content] of Object.entries(dirLayout({ layers: tars }))) writeFileSync(join(root, name), content as Buffer);
    const preview = await directoryPreview(root, undefined);
    expect(preview?.diffIds).toEqual(tars.map((tar) => `sha256:${createHash('sha256').update(tar).digest('hex')}`));
    expect(preview?.history.map((step) => step.createdBy)).toEqual(['/bin/sh -c #(nop) layer 0', '/bin/sh -c #(nop) layer 1']);
  });
});
