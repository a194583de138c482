// One file's content for the explorer's viewer (`v`): from the layer's blob in the layer cache
// when --cache-blobs kept it (no export, no read of the image); from an archive file, by seeking
// to the layer's blob (in either, an uncompressed layer walked header by header to the file) (the file checked to be the one read); else from the source's archive
// again, streamed up to the layer that holds the file.

import type { FileHandle } from 'node:fs/promises';
import { blobsOfLayer, readFileContent, readFileInBlob, type FileContent } from '../archive/read-file-content.js';
import { normalisePath } from '../archive/paths.js';
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
