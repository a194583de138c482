// A `docker save` or OCI layout tar on disk, read in the image's layer order. The engine writes a
// save file's layers in the order of their IDs, not the image's: read as stored, a layer that
// comes early waits, unexplorable, for the layers below it. A plain tar can be seeked: its members
// (a few, whatever its size) are walked by their headers, the image chosen from its documents as
// the parser will, and the same members are then read documents first, layers bottom up, each whole
// (headers, content, padding), then the end marker: the same archive to the parser, in another
// order. Anything the walk does not read (gzip, a pax global header, an image it cannot choose) is
// read as stored.

import type { FileHandle } from 'node:fs/promises';
import { chooseImage } from '../archive/choose-image.js';
import { normalisePath } from '../archive/paths.js';
import { LayerscopeError } from '../errors.js';
import { memberRanges, memberReader, type Member, type MemberRange } from './tar-walk.js';

const CHUNK = 1 << 20;
/** The end-of-archive marker: two zero blocks. */
const END_MARKER = 1024;

type Extent = Pick<MemberRange, 'start' | 'end'>;

/** The file's bytes, its members layers last and bottom up when it can tell (else as stored). */
export async function* inLayerOrder(file: FileHandle, source: string, tag: string | undefined): AsyncGenerator<Buffer> {
  const order = await readingOrder(file, source, tag);
  if (!order) return yield* asStored(file);
  for (const extent of order) yield* bytesOf(file, extent);
  yield Buffer.alloc(END_MARKER);
}

/** The file's bytes as stored, up to its end whatever its size said (a device, /proc). */
export function asStored(file: FileHandle): AsyncGenerator<Buffer> {
  return bytesOf(file, { start: 0, end: Number.POSITIVE_INFINITY });
}

/** The members' extents, documents (and links, and anything else) first as stored, then the layers bottom up; undefined when it cannot tell. */
export async function readingOrder(file: FileHandle, source: string, tag: string | undefined): Promise<Extent[] | undefined> {
  const ranges = await memberRanges(file);
  if (!ranges || ranges.length === 0) return undefined;
  const regular = new Map<string, MemberRange>(ranges.filter((range) => range.regular).map((range) => [range.name, range]));
  const layers = await layerPaths(file, regular, source, tag);
  if (!layers) return undefined;
  // A layer stored once is named again through links (legacy layout): read once, where it is first needed.
  const bottomUp = [...new Set(layers.flatMap((name) => regular.get(name) ?? []))];
  const later = new Set<MemberRange>(bottomUp);
  return [...ranges.filter((range) => !later.has(range)), ...bottomUp];
}

/** The chosen image's layer members, bottom up; undefined when the documents do not say (the parser will tell why). */
async function layerPaths(file: FileHandle, members: ReadonlyMap<string, Member>, source: string, tag: string | undefined): Promise<string[] | undefined> {
  try {
    const choice = await chooseImage(memberReader(file, members), { source, ...(tag === undefined ? {} : { tag }) });
    return choice.layerPaths.map(normalisePath);
  } catch (error) {
    if (error instanceof LayerscopeError) return undefined;
    throw error;
  }
}

async function* bytesOf(file: FileHandle, extent: Extent): AsyncGenerator<Buffer> {
  for (let at = extent.start; at < extent.end; ) {
    const buffer = Buffer.allocUnsafe(Math.min(CHUNK, extent.end - at));
    const { bytesRead } = await file.read(buffer, 0, buffer.length, at);
    if (bytesRead === 0) return; // the file ends early: the parser says the archive is truncated
    yield bytesRead === buffer.length ? buffer : buffer.subarray(0, bytesRead);
    at += bytesRead;
  }
}
