// One file's content for the explorer's viewer (`v`): from the layer's blob in the layer cache
// when --cache-blobs kept it (no export, no read of the image); from an archive file, by seeking
// to the layer's blob (in either, an uncompressed layer walked header by header to the file) (the
// file checked to be the one read); from the engine, one file from the filesystem of an image
// whose top layer wrote it (an intermediate image a local build kept, or the image itself when no
// later layer touches the file), checked against the size and digest the read found; else from
// the source's archive again, streamed up to the layer that holds the file.

import type { FileHandle } from 'node:fs/promises';
import { blobsOfLayer, readFileContent, readFileInBlob, type FileContent } from '../archive/read-file-content.js';
import { baseName, normalisePath } from '../archive/paths.js';
import { contentHasher } from '../archive/content-digest.js';
import { InvalidArchiveError } from '../errors.js';
import type { ParsedImage } from '../model/types.js';
import type { OpenedImage } from './open-image.js';
import { findTarEntry, memberTable, type Member } from './tar-walk.js';
import { classifyBlob } from '../archive/decompress.js';

/** The first `limit` bytes of `path` as layer `layer` of `image` wrote it; undefined when that layer has no such file. */
export async function readLayerFile(opened: OpenedImage, image: ParsedImage, layer: number, path: string, limit: number): Promise<FileContent | undefined> {
  const diffId = image.layers[layer]?.diffId;
  const kept = diffId === undefined ? undefined : await opened.cache?.openBlob(diffId);
  if (kept) {
    try {
      return await readInMember(kept.handle, { offset: 0, size: kept.size, name: `the kept blob of layer ${layer}` }, path, limit, 'the layer cache');
    } finally {
      await kept.handle.close();
    }
  }
  const blobs = blobsOfLayer(image, layer);
  if (blobs.length === 0) return undefined;
  const alone = opened.fileWithLayers ? await readFileAlone(opened.fileWithLayers, image, layer, path, limit) : undefined;
  if (alone) return alone;
  if (!opened.reopenFile) return readFileContent(opened.archive(), blobs, path, limit, opened.target.reference);
  const file = await opened.reopenFile();
  try {
    const member = await findMember(file, blobs);
    if (member) return await readInMember(file, member, path, limit, opened.target.reference);
    // A gzip'd archive, or one whose headers only a full parse reads: streamed, from the file checked.
    return await readFileContent(fileBytes(file), blobs, path, limit, opened.target.reference);
  } finally {
    await file.close();
  }
}

/**
 * The regular file layer `layer` wrote, read alone from a filesystem whose top layer wrote it: the
 * source's image of the first `layer + 1` layers, or the whole image's when no later layer
 * touches the file. Only with the size and (when the read hashed contents) the digest the read
 * found; undefined otherwise, or when the source fails to give it: the caller reads the archive.
 */
async function readFileAlone(fileWithLayers: NonNullable<OpenedImage['fileWithLayers']>, image: ParsedImage, layer: number, path: string, limit: number): Promise<FileContent | undefined> {
  const target = normalisePath(path);
  const entry = image.layers[layer]?.contents.entries.find((candidate) => candidate.path === target);
  if (entry?.type !== 'file') return undefined;
  const counts = untouchedAfter(image, layer, target) ? [image.layers.length, layer + 1] : [layer + 1];
  try {
    for (const layers of new Set(counts)) {
      const tar = await fileWithLayers(layers, target);
      if (!tar) continue;
      const hasher = entry.digest === undefined ? undefined : await contentHasher();
      const content = await readFileInBlob(tar, baseName(target), limit, hasher);
      if (content && content.size === entry.size && content.digest === entry.digest) return { bytes: content.bytes, size: content.size };
    }
  } catch {
    // The engine would not give it (a container refused, a timeout): the archive still will.
  }
  return undefined;
}

/** Whether no layer above `layer` writes `path`, removes it or an ancestor, hides an ancestor's contents, or puts a non-directory at an ancestor. */
export function untouchedAfter(image: ParsedImage, layer: number, path: string): boolean {
  const under = (ancestor: string): boolean => path.startsWith(`${ancestor}/`);
  for (const { contents } of image.layers.slice(layer + 1)) {
    if (contents.entries.some((entry) => entry.path === path || (entry.type !== 'dir' && under(entry.path)))) return false;
    if (contents.whiteouts.some((removed) => removed === path || under(removed))) return false;
    if (contents.opaqueDirs.some((dir) => dir === path || under(dir))) return false;
  }
  return true;
}

/** The first of `blobs` the archive holds as a regular file (a layer stored once is linked from its repeats). */
async function findMember(file: FileHandle, blobs: readonly string[]): Promise<(Member & { readonly name: string }) | undefined> {
  const members = await memberTable(file);
  for (const name of blobs.map(normalisePath)) {
    const member = members?.get(name);
    if (member) return { ...member, name };
  }
  return undefined;
}

/** The file in one layer blob of the archive: an uncompressed one by seeking to its entry, else decompressed from the blob's start. */
async function readInMember(file: FileHandle, member: Member & { readonly name: string }, path: string, limit: number, source: string): Promise<FileContent | undefined> {
  const head = Buffer.alloc(Math.min(member.size, 512));
  await file.read(head, 0, head.length, member.offset);
  const entry = classifyBlob(head) === 'none' ? await findTarEntry(file, member.offset, member.offset + member.size, path) : undefined;
  if (entry === undefined) return readFileInBlob(memberBytes(file, member, source), path, limit);
  if (entry === null || !entry.regular) return undefined;
  const bytes = Buffer.alloc(Math.min(limit, entry.size));
  const { bytesRead } = await file.read(bytes, 0, bytes.length, entry.offset);
  if (bytesRead < bytes.length || entry.offset + entry.size > member.offset + member.size) throw new InvalidArchiveError(source, `it ends inside ${member.name} (truncated?)`);
  return { bytes, size: entry.size };
}

/** A member's bytes; an archive that ends inside it is an error, not a shorter layer. */
async function* memberBytes(file: FileHandle, member: Member & { readonly name: string }, source: string): AsyncGenerator<Buffer> {
  let read = 0;
  if (member.size > 0) {
    for await (const chunk of fileBytes(file, member.offset, member.offset + member.size - 1)) {
      read += chunk.length;
      yield chunk;
    }
  }
  if (read < member.size) throw new InvalidArchiveError(source, `it ends inside ${member.name} (truncated?)`);
}

function fileBytes(file: FileHandle, start = 0, end?: number): AsyncIterable<Buffer> {
  return file.createReadStream({ start, ...(end === undefined ? {} : { end }), autoClose: false, highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>;
}
