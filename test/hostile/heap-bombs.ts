// Archives that cost more heap than a small Node heap holds, written straight to disk as they are
// generated (a hundred MB of tar never sits in memory): many files with long names, many empty
// files, and an outer archive of large JSON documents. heap-limit.test.ts reads them.

import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createGzip } from 'node:zlib';
import { rawHeader } from './corpus.js';

const pad = (data: Buffer): Buffer => Buffer.concat([data, Buffer.alloc((512 - (data.length % 512)) % 512)]);

/** A pax header giving `path` (for names over 100 bytes), then the ustar header. */
function entryHeaders(path: string): Buffer[] {
  if (path.length <= 99) return [rawHeader({ name: path })];
  const record = ` path=${path}\n`;
  let length = record.length + String(record.length).length;
  if (String(length).length !== String(length - record.length).length) length++;
  const data = Buffer.from(`${length}${record}`);
  return [rawHeader({ name: 'PaxHeader', type: 'x', size: data.length }), pad(data), rawHeader({ name: path.slice(0, 99) })];
}

/** A gzip'd layer of `count` empty files named `d<i % 1000>/f<i>-xxx…` of `nameLength` characters; its blob and diff ID. */
async function layerOfEmptyFiles(count: number, nameLength: number): Promise<{ blob: Buffer; diffId: string }> {
  const gzip = createGzip({ level: 1 });
  const hash = createHash('sha256');
  const chunks: Buffer[] = [];
  gzip.on('data', (chunk: Buffer) => chunks.push(chunk));
  const write = async (data: Buffer): Promise<void> => {
    hash.update(data);
    if (!gzip.write(data)) await once(gzip, 'drain');
  };
  for (let i = 0; i < count; i++) {
    const path = `d${i % 1000}/${`f${i}-`.padEnd(Math.max(4, nameLength - 6), 'x')}`;
    for (const block of entryHeaders(path)) await write(block);
  }
  await write(Buffer.alloc(1024));
  gzip.end();
  await once(gzip, 'end');
  return { blob: Buffer.concat(chunks), diffId: `sha256:${hash.digest('hex')}` };
}

/** A docker save archive of one such layer, at `path`. */
export async function manyFilesArchive(path: string, count: number, nameLength: number): Promise<void> {
  const { blob, diffId } = await layerOfEmptyFiles(count, nameLength);
  const config = Buffer.from(JSON.stringify({ os: 'linux', architecture: 'amd64', rootfs: { type: 'layers', diff_ids: [diffId] }, history: [{ created_by: 'many files' }] }));
  const manifest = Buffer.from(JSON.stringify([{ Config: 'config.json', RepoTags: ['many:1'], Layers: ['l/layer.tar'] }]));
  const members = (name: string, data: Buffer): Buffer[] => [rawHeader({ name, size: data.length }), pad(data)];
  const file = createWriteStream(path);
  for (const part of [...members('l/layer.tar', blob), ...members('config.json', config), ...members('manifest.json', manifest), Buffer.alloc(1024)]) file.write(part);
  file.end();
  await once(file, 'finish');
}

/**
 * A gzip'd outer archive of `count` JSON documents of `size` bytes each (a multiple of 512; blank
 * space inside `[]`): each under the 16 MB cap, all together more than the heap.
 */
export async function largeDocumentsArchive(count: number, size: number): Promise<Buffer> {
  const document = Buffer.alloc(size, 0x20);
  document[0] = 0x5b;
  document[size - 1] = 0x5d;
  const gzip = createGzip({ level: 1 });
  const chunks: Buffer[] = [];
  gzip.on('data', (chunk: Buffer) => chunks.push(chunk));
  for (let i = 0; i < count; i++) {
    gzip.write(rawHeader({ name: `doc${i}.json`, size }));
    if (!gzip.write(document)) await once(gzip, 'drain');
  }
  gzip.end(Buffer.alloc(1024));
  await once(gzip, 'end');
  return Buffer.concat(chunks);
}
