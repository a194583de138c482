// Finds one entry of an uncompressed layer tar inside an archive file by walking its headers and
// seeking past contents, so the file viewer reads a few headers' worth of a layer instead of all
// its bytes. Names are read by tar-stream's rules (the parser's library): ustar prefix, GNU long
// names, pax path and size (a global pax header applying only through a later pax header), zero
// blocks skipped, a directory's size ignored, and the last entry of a path is the one the parser
// keeps. Anything tar-stream would have refused ends the walk unread: the caller streams instead.

import type { FileHandle } from 'node:fs/promises';
import { normalisePath } from '../archive/paths.js';

const BLOCK = 512;
const WINDOW = 4 << 20;
/** tar-stream refuses longer pax and GNU name headers. */
const MAX_LONG_HEADER = 4 * 1024 * 1024;
const FILE = 0;
const CONTIGUOUS_FILE = 7;
const DIRECTORY = 5;
const PAX = 72; // 'x'
const PAX_GLOBAL = 55; // 'g'
const LONG_LINK = 27; // 'K'
const LONG_PATH = new Set([28, 30]); // 'L', 'N'

export interface TarEntryAt {
  /** Where its content starts in the file. */
  readonly offset: number;
  readonly size: number;
  /** A regular file (the parser's `file`), not a link, directory or other. */
  readonly regular: boolean;
}

/**
 * The last entry at `path` in the tar at [start, end) of `file`; null when it has none; undefined
 * when its headers are not what tar-stream read (the caller then streams the layer).
 */
export async function findTarEntry(file: FileHandle, start: number, end: number, path: string): Promise<TarEntryAt | null | undefined> {
  const wanted = normalisePath(path);
  // Most names cannot be it: normalised only when they end as it does.
  const last = wanted.slice(wanted.lastIndexOf('/') + 1);
  const bytes = windowReader(file, end);
  let found: TarEntryAt | null = null;
  const names: { long?: string; pax?: Record<string, string>; global?: Record<string, string> } = {};
  for (let at = start; at + BLOCK <= end; ) {
    const header = await bytes(at, BLOCK);
    if (!header) return undefined;
    at += BLOCK;
    const sum = checksum(header);
    if (sum === 8 * 32) continue; // a zero block: tar-stream reads on
    if (sum !== octal(header.subarray(148, 156)) || !(isUstar(header) || isGnu(header))) return undefined;
    const type = header[156] === 0 ? 0 : (header[156] as number) - 48;
    const size = octal(header.subarray(124, 136));
    if (!Number.isSafeInteger(size) || size < 0) return undefined;
    if (type === PAX || type === PAX_GLOBAL || type === LONG_LINK || LONG_PATH.has(type)) {
      if (size > MAX_LONG_HEADER) return undefined;
      const data = await bytes(at, size);
      if (!data) return undefined;
      if (type === PAX) names.pax = { ...names.global, ...decodePax(data) };
      else if (type === PAX_GLOBAL) names.global = decodePax(data);
      else if (type !== LONG_LINK) names.long = text(data, 0, data.length);
      at += padded(size);
      continue;
    }
    const entry = applyNames(header, type, size, names);
    if (entry === undefined) return undefined;
    if (entry.name.includes(last) && normalisePath(entry.name) === wanted) found = { offset: at, size: entry.size, regular: entry.type === FILE || entry.type === CONTIGUOUS_FILE };
    at += entry.type === DIRECTORY ? 0 : padded(entry.size);
  }
  return found;
}

/** The entry's name, type and size once the long names before it apply (tar-stream's _applyLongHeaders). */
function applyNames(header: Buffer, type: number, size: number, names: { long?: string; pax?: Record<string, string> }): { name: string; type: number; size: number } | undefined {
  let name = text(header, 0, 100);
  if (isUstar(header) && header[345] !== 0) name = `${text(header, 345, 155)}/${name}`;
  // Old tars mark a directory with a trailing slash.
  const kind = type === 0 && name.endsWith('/') ? DIRECTORY : type;
  if (names.long !== undefined) name = names.long;
  let length = size;
  if (names.pax) {
    if (names.pax.path) name = names.pax.path;
    if (names.pax.size) length = Number.parseInt(names.pax.size, 10);
  }
  delete names.long;
  delete names.pax;
  if (!(length >= 0) || !Number.isSafeInteger(length)) return undefined;
  return { name, type: kind, size: length };
}

/** Reads [at, at + length) through a 4 MiB window; undefined past `end` or the file's end. */
function windowReader(file: FileHandle, end: number): (at: number, length: number) => Promise<Buffer | undefined> {
  let window = Buffer.alloc(0);
  let from = 0;
  return async (at, length) => {
    if (at + length > end) return undefined;
    if (at < from || at + length > from + window.length) {
      const size = Math.min(Math.max(length, WINDOW), end - at);
      const buffer = Buffer.allocUnsafe(size);
      const { bytesRead } = await file.read(buffer, 0, size, at);
      window = buffer.subarray(0, bytesRead);
      from = at;
      if (bytesRead < length) return undefined;
    }
    return window.subarray(at - from, at - from + length);
  };
}

function padded(size: number): number {
  return Math.ceil(size / BLOCK) * BLOCK;
}

function checksum(block: Buffer): number {
  let sum = 8 * 32;
  for (let i = 0; i < 148; i++) sum += block[i] as number;
  for (let i = 156; i < BLOCK; i++) sum += block[i] as number;
  return sum;
}

const isUstar = (block: Buffer): boolean => block.toString('latin1', 257, 263) === 'ustar\0';
const isGnu = (block: Buffer): boolean => block.toString('latin1', 257, 265) === 'ustar  \0';

/** The text of a NUL-terminated field. */
function text(block: Buffer, start: number, length: number): string {
  const end = block.indexOf(0, start);
  return block.toString('utf8', start, end < 0 || end > start + length ? start + length : end);
}

/** A numeric field: octal (spaces and NULs around it), or base-256 when its top bit is set. */
function octal(field: Buffer): number {
  if (((field[0] as number) & 0x80) !== 0) return base256(field);
  let at = 0;
  while (at < field.length && field[at] === 32) at++;
  let stop = field.indexOf(32, at);
  if (stop < 0) stop = field.length;
  while (at < stop && field[at] === 0) at++;
  if (at === stop) return 0;
  return Number.parseInt(field.toString('latin1', at, stop), 8);
}

function base256(field: Buffer): number {
  // tar-stream's parse256: a positive number in big-endian base 256 (negative ones are refused here).
  if (field[0] !== 0x80) return Number.NaN;
  let value = 0;
  for (let i = 1; i < field.length; i++) value = value * 256 + (field[i] as number);
  return value;
}

/** pax records (`len key=value\n`), as tar-stream decodes them. */
function decodePax(data: Buffer): Record<string, string> {
  const result: Record<string, string> = {};
  let rest = data;
  while (rest.length > 0) {
    let i = 0;
    while (i < rest.length && rest[i] !== 32) i++;
    const length = Number.parseInt(rest.toString('utf8', 0, i), 10);
    if (!length) return result;
    const record = rest.toString('utf8', i + 1, length - 1);
    const equals = record.indexOf('=');
    if (equals === -1) return result;
    result[record.slice(0, equals)] = record.slice(equals + 1);
    rest = rest.subarray(length);
  }
  return result;
}
