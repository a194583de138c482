// An image archive on disk is read with its layers in the image's order, whatever order they are
// stored in (docker save stores them by ID), and parses to the same image as its bytes as stored.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { extract } from 'tar-stream';
import { describe, expect, it } from 'vitest';
import { writeImageArchive, type ArchiveSpec } from '../../src/archive/write-image-archive.js';
import { openArchiveFile } from '../../src/sources/archive-file.js';
import { file, parse, reorder } from '../helpers/archives.js';

const dir = mkdtempSync(join(tmpdir(), 'layerscope-order-'));
const layers = [0, 1, 2].map((n) => [file(`l${n}`, 1000 + n)]);

async function written(name: string, bytes: Buffer): Promise<string> {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

/** The archive file as its source reads it: its bytes, and its regular members' names in that order. */
async function asRead(path: string): Promise<{ bytes: Buffer; names: string[] }> {
  const chunks: Buffer[] = [];
  for await (const chunk of (await openArchiveFile(path, 'docker-archive')).open()) chunks.push(chunk);
  const bytes = Buffer.concat(chunks);
  const names: string[] = [];
  const reader = extract();
  const done = (async () => {
    for await (const entry of reader) {
      if (entry.header.type === 'file') names.push(entry.header.name);
      entry.resume();
    }
  })();
  reader.end(bytes);
  await done;
  return { bytes, names };
}

/** The layer members named in the manifest, bottom up. */
async function manifestLayers(archive: Buffer): Promise<string[]> {
  const image = await parse(archive);
  return image.layers.map((layer) => layer.blob);
}

describe('an image archive file read in layer order', () => {
  it('reads a docker save file whose layers are stored top first with its documents first, then its layers bottom up', async () => {
    const stored = await writeImageArchive({ layout: 'docker-save', images: [{ layers, tags: ['x:1'] }] });
    const order = await manifestLayers(stored);
    // Stored top layer first, manifest.json last, as the engine's ID order can put them.
    const topFirst = await reorder(stored, (names) => [...names.filter((n) => !order.includes(n)).reverse(), ...[...order].reverse()]);
    const { bytes, names } = await asRead(await written('top-first.tar', topFirst));
    expect(names.slice(-3)).toEqual(order);
    expect(names.slice(0, -3).sort()).toEqual(names.filter((n) => !order.includes(n)).sort());
    expect(JSON.stringify(await parse(bytes))).toBe(JSON.stringify(await parse(topFirst)));
  });

  it('reads a layer stored once for two places (linked from the second) once, where it is first needed', async () => {
    const spec: ArchiveSpec = { layout: 'docker-save', images: [{ layers: [layers[0] ?? [], layers[1] ?? [], layers[0] ?? []] }] };
    const stored = await writeImageArchive(spec);
    const order = await manifestLayers(stored);
    const { bytes, names } = await asRead(await written('linked.tar', stored));
    expect(order[0]).not.toBe(order[2]);
    expect(names.slice(-2)).toEqual([order[0], order[1]]);
    expect(names.filter((n) => n === order[0])).toHaveLength(1);
    const image = await parse(bytes);
    expect(image.layers.map((layer) => layer.contents.entries.map((entry) => entry.path))).toEqual([['l0'], ['l1'], ['l0']]);
  });

  it('reads an OCI layout tar with its blobs bottom up', async () => {
    const stored = await writeImageArchive({ layout: 'oci', compression: 'gzip', images: [{ layers }] });
    const order = await manifestLayers(stored);
    const reversed = await reorder(stored, (names) => [...names.filter((n) => !order.includes(n)), ...[...order].reverse()]);
    const { bytes, names } = await asRead(await written('oci.tar', reversed));
    expect(names.slice(-3)).toEqual(order);
    expect(JSON.stringify(await parse(bytes))).toBe(JSON.stringify(await parse(reversed)));
  });

  it('reads a gzip’d archive as stored: its headers cannot be walked', async () => {
    const gzipped = gzipSync(await writeImageArchive({ layout: 'docker-save', images: [{ layers }] }));
    const chunks: Buffer[] = [];
    for await (const chunk of (await openArchiveFile(await written('gzipped.tar.gz', gzipped), 'docker-archive')).open()) chunks.push(chunk);
    expect(Buffer.concat(chunks).equals(gzipped)).toBe(true);
  });
});
