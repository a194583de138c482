// One file's content, read again from the image archive on demand (the explorer's file viewer):
// the parser never keeps contents, so the archive is streamed once more up to the layer blob that
// holds the file, that blob decompressed and walked to the file, and everything stopped as soon
// as the first `limit` bytes are in hand.

import { extract as tarExtract } from 'tar-stream';
import type { ParsedImage } from '../model/types.js';
import { classifyBlob, decompress } from './decompress.js';
import { normalisePath } from './paths.js';
import { openOuterArchive } from './outer-archive.js';
import { feed, peek } from './streams.js';
import type { IHasher } from 'hash-wasm';
import { contentDigest } from './content-digest.js';

export interface FileContent {
  /** The first bytes of the file, at most the limit asked for. */
  readonly bytes: Buffer;
  /** The file's whole size, from its tar header. */
  readonly size: number;
  /** Its whole content's digest, as entries hold it, when the caller asked for one. */
  readonly digest?: string;
}

/** Every name the archive may keep a layer's blob under: a layer stored once is linked from its repeats. */
export function blobsOfLayer(image: ParsedImage, layer: number): string[] {
  const diffId = image.layers[layer]?.diffId;
  return diffId === undefined ? [] : image.layers.filter((candidate) => candidate.diffId === diffId).map((candidate) => candidate.blob);
}

/**
 * The start of the regular file at `path` in the first of `blobs` the archive holds as a file
 * (a layer stored once and linked from elsewhere has the same content under each name), or
 * undefined when it is not there.
 */
export async function readFileContent(
  archive: AsyncIterable<Buffer>,
  blobs: readonly string[],
  path: string,
  limit: number,
  source = 'the image archive',
): Promise<FileContent | undefined> {
  const wanted = new Set(blobs.map(normalisePath));
  const target = normalisePath(path);
  const outer = tarExtract();
  const feeding = feed(await openOuterArchive(archive, source), outer).catch(() => undefined);
  try {
    for await (const member of outer) {
      if (member.header.type !== 'file' || !wanted.has(normalisePath(member.header.name))) {
        member.resume();
        continue;
      }
      return await readFileInBlob(member as AsyncIterable<Buffer>, target, limit);
    }
    return undefined;
  } finally {
    outer.destroy();
    await feeding;
  }
}

/** The start of the regular file at `path` in one layer blob (tar, gzip or zstd), or undefined; with `hasher`, its digest too. */
export async function readFileInBlob(blob: AsyncIterable<Buffer>, path: string, limit: number, hasher?: IHasher): Promise<FileContent | undefined> {
  const { head, all } = await peek(blob, 512);
  const kind = classifyBlob(head);
  if (kind !== 'none' && kind !== 'gzip' && kind !== 'zstd') return undefined;
  return findInLayer(decompress(all, kind), normalisePath(path), limit, hasher);
}

/** The last entry at `path` (the one the parser keeps when a tar holds a path twice), when it is a regular file. */
async function findInLayer(layer: AsyncIterable<Buffer>, path: string, limit: number, hasher: IHasher | undefined): Promise<FileContent | undefined> {
  const inner = tarExtract();
  const feeding = feed(layer, inner);
  let found: FileContent | undefined;
  try {
    for await (const entry of inner) {
      if (normalisePath(entry.header.name) !== path) {
        entry.resume();
        continue;
      }
      found = REGULAR.has(entry.header.type ?? '') ? await head(entry as AsyncIterable<Buffer>, limit, entry.header.size, hasher) : undefined;
    }
    return found;
  } finally {
    inner.destroy();
    await feeding;
  }
}

const REGULAR: ReadonlySet<string> = new Set(['file', 'contiguous-file']);

/** The first `limit` bytes of an entry, reading the rest through (hashed, with `hasher`). */
async function head(entry: AsyncIterable<Buffer>, limit: number, size: number | undefined, hasher: IHasher | undefined): Promise<FileContent> {
  const chunks: Buffer[] = [];
  let length = 0;
  hasher?.init();
  for await (const chunk of entry) {
    if (length < limit) chunks.push(chunk);
    length += chunk.length;
    hasher?.update(chunk);
  }
  return { bytes: Buffer.concat(chunks).subarray(0, limit), size: size ?? length, ...(hasher ? { digest: contentDigest(hasher) } : {}) };
}
