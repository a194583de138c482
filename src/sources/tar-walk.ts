// Walks the headers of a tar inside a file by seeking past contents, names read by tar-stream's
// rules (src/archive/tar-header.ts): the members of a plain image archive (a few, whatever its
// size: the preview reads documents through them and the file viewer seeks to a layer blob), and
// one entry of an uncompressed layer blob, so the file viewer reads a few headers' worth of a
// layer instead of all of it. Anything tar-stream would have refused ends the walk unread: the
// caller then streams, and the parser's library says what is wrong.

import type { FileHandle } from 'node:fs/promises';
import type { ReadDocument } from '../archive/choose-image.js';
import { MAX_DOCUMENT_BYTES } from '../archive/documents.js';
import { normalisePath } from '../archive/paths.js';
import { decodeHeader, isNameHeader, LongNames, paddedSize, TAR_BLOCK, TYPE, type TarHeader } from '../archive/tar-header.js';

const WINDOW = 4 << 20;
/** tar-stream refuses longer pax and GNU name headers. */
const MAX_NAME_HEADER = 4 * 1024 * 1024;
const MAX_MEMBERS = 100_000;

export interface Member {
  /** Where the member's bytes start in the file. */
  readonly offset: number;
  readonly size: number;
}

export interface TarEntryAt extends Member {
  /** A regular file (the parser's `file`), not a link, directory or other. */
  readonly regular: boolean;
}

/** The archive's small members read by name at their offsets: documents for the image chooser. */
export function memberReader(file: FileHandle, members: ReadonlyMap<string, Member>): ReadDocument {
  return async (name) => {
    const member = members.get(normalisePath(name));
    if (!member || member.size > MAX_DOCUMENT_BYTES) return undefined;
    const data = Buffer.alloc(member.size);
    const { bytesRead } = await file.read(data, 0, member.size, member.offset);
    return data.subarray(0, bytesRead).toString('utf8');
  };
}

/** The plain tar's regular members by name (the last of a name, as the parser keeps); undefined when it is not a tar this walk reads. */
export async function memberTable(file: FileHandle): Promise<Map<string, Member> | undefined> {
  const members = new Map<string, Member>();
  const { size } = await file.stat();
  const read = await walkTar(file, 0, size, true, (header) => {
    if (header.type === TYPE.file) members.set(normalisePath(header.name), { offset: header.offset, size: header.size });
    return members.size < MAX_MEMBERS;
  });
  return read ? members : undefined;
}

/**
 * The last entry at `path` in the layer tar at [start, end) of `file`; null when it has none;
 * undefined when its headers are not what tar-stream read (the caller then streams the layer).
 */
export async function findTarEntry(file: FileHandle, start: number, end: number, path: string): Promise<TarEntryAt | null | undefined> {
  const wanted = normalisePath(path);
  // Most names cannot be it: normalised only when they hold its last part.
  const last = wanted.slice(wanted.lastIndexOf('/') + 1);
  let found: TarEntryAt | null = null;
  const read = await walkTar(file, start, end, false, (header) => {
    if (!header.name.includes(last) || normalisePath(header.name) !== wanted) return true;
    found = { offset: header.offset, size: header.size, regular: header.type === TYPE.file || header.type === TYPE.contiguousFile };
    return true;
  });
  return read ? found : undefined;
}

/** An entry as walkTar visits it. */
interface WalkedHeader extends TarHeader {
  /** Where its content starts. */
  readonly offset: number;
  /** Where its first header block starts (a pax or GNU name header before its own). */
  readonly start: number;
  /** A pax global header came before it: its meaning depends on what came before. */
  readonly afterGlobal: boolean;
}

/** An archive member's whole extent in the file, [start, end): its headers, its content (at `offset`) and the padding after it. */
export interface MemberRange extends Member {
  readonly name: string;
  /** A regular file (tar type 0): a document or a blob. */
  readonly regular: boolean;
  readonly start: number;
  readonly end: number;
}

/**
 * Every member of a plain tar in file order, each with its extent, up to the end marker: the
 * members can be read in another order and still make the same archive. Undefined when it is not
 * a tar this walk reads, or a pax global header makes a member's meaning depend on its place.
 */
export async function memberRanges(file: FileHandle): Promise<MemberRange[] | undefined> {
  const ranges: MemberRange[] = [];
  const { size } = await file.stat();
  let global = false;
  const read = await walkTar(file, 0, size, true, (header) => {
    global ||= header.afterGlobal;
    const content = header.type === TYPE.directory ? 0 : paddedSize(header.size);
    ranges.push({ name: normalisePath(header.name), regular: header.type === TYPE.file, offset: header.offset, size: header.size, start: header.start, end: header.offset + content });
    return !global && ranges.length < MAX_MEMBERS;
  });
  return read && !global && ranges.every((range) => range.end <= size) ? ranges : undefined;
}

/**
 * Calls `visit` with each entry (long names applied) and where its content starts; false when a
 * header is refused, the file ends early, or `visit` says stop. With `endMarker`, stops at two
 * zero blocks as the outer archive's reader does (outer-archive.ts); without, reads past them as
 * tar-stream does inside a layer.
 */
async function walkTar(file: FileHandle, start: number, end: number, endMarker: boolean, visit: (header: WalkedHeader) => boolean): Promise<boolean> {
  const bytes = windowReader(file, end);
  const names = new LongNames();
  let zeros = 0;
  let chain: number | undefined; // where the entry's headers start (pax and GNU name headers first)
  let global = false;
  for (let at = start; at + TAR_BLOCK <= end; ) {
    const block = bytes.held(at, TAR_BLOCK) ?? (await bytes.read(at, TAR_BLOCK));
    const header = block && decodeHeader(block);
    if (!header) return false;
    chain ??= at;
    at += TAR_BLOCK;
    if (header === 'zero') {
      chain = undefined;
      if (endMarker && ++zeros === 2) return true;
      continue;
    }
    zeros = 0;
    if (header.type === TYPE.paxGlobal) global = true;
    if (isNameHeader(header.type)) {
      const data = header.size <= MAX_NAME_HEADER ? (bytes.held(at, header.size) ?? (await bytes.read(at, header.size))) : undefined;
      if (!data) return false;
      names.take(header.type, data);
      at += paddedSize(header.size);
      continue;
    }
    const entry = names.apply(header);
    // Spelt out, not spread: a spread per entry was half the walk of a 120,000-entry layer.
    if (!entry || !visit({ name: entry.name, type: entry.type, size: entry.size, offset: at, start: chain, afterGlobal: global })) return false;
    chain = undefined;
    // tar-stream gives a directory no content, whatever its size field says.
    at += entry.type === TYPE.directory ? 0 : paddedSize(entry.size);
  }
  return true;
}

/**
 * Reads [at, at + length) through a 4 MiB window; undefined past `end` or the file's end. `held`
 * answers at once from the window (no await per header: a layer of 120,000 entries is walked in a
 * few dozen reads, not 120,000 turns of the event loop), `read` fills the window first.
 */
function windowReader(file: FileHandle, end: number): { held(at: number, length: number): Buffer | undefined; read(at: number, length: number): Promise<Buffer | undefined> } {
  let window = Buffer.alloc(0);
  let from = 0;
  const held = (at: number, length: number): Buffer | undefined =>
    at >= from && at + length <= from + window.length && at + length <= end ? window.subarray(at - from, at - from + length) : undefined;
  return {
    held,
    async read(at, length) {
      if (at + length > end) return undefined;
      const size = Math.min(Math.max(length, WINDOW), end - at);
      const buffer = Buffer.allocUnsafe(size);
      const { bytesRead } = await file.read(buffer, 0, size, at);
      window = buffer.subarray(0, bytesRead);
      from = at;
      return bytesRead < length ? undefined : window.subarray(0, length);
    },
  };
}
