// A layer's parsed index (LayerContents) as bytes for the layer cache, and back. Columnar, as the
// worker's entry batches are: a Float64 column of numbers, a byte of flags and three strings per
// entry, so a 200k-entry layer decodes in tens of milliseconds. A file that is truncated, of
// another version, or damaged decodes to undefined: the cache then reads the layer again. The
// diff ID comes last, in a trailer: an engine's export names its layers only at its end, so the
// body is encoded and written as each layer finishes, and sealed with its diff ID once known.

import { createHash, type Hash } from 'node:crypto';
import type { Compression, Entry, EntryType, LayerContents } from '../model/types.js';
import { makeEntry } from '../archive/read-layer.js';

/** Bumped whenever the layout below or the meaning of a parsed entry changes. */
export const CODEC_VERSION = 2;
const MAGIC = 'LSCLAYER';
const TYPES: readonly EntryType[] = ['file', 'dir', 'symlink', 'hardlink', 'other'];
const COMPRESSIONS: readonly Compression[] = ['none', 'gzip', 'zstd'];
const NUMBERS = 6; // type, size, mode, uid, gid, mtime
const HAS_LINK = 1;
const HAS_DIGEST = 2;
const HAS_MTIME = 4;
const CHECKSUM = 32;
const CODED_FIELDS: ReadonlySet<string> = new Set(['entries', 'shadowed', 'whiteouts', 'opaqueDirs', 'diffId', 'tarBytes', 'compression', 'packageLists']);

/** dpkg's lists a layer writes (package → paths), kept in the header: small beside the entries. */
type PackageLists = Readonly<Record<string, readonly string[]>>;
/** MAGIC, version (u32), header length (u32), then the header padded to 8 bytes. */
const PREFIX = MAGIC.length + 8;
/** The trailer's diff ID: `sha256:` and 64 hex digits (the only kind the cache keeps). */
const DIFF_ID_BYTES = 71;

interface Header {
  readonly tarBytes: number;
  readonly compression: Compression;
  /** Whether file digests were computed (`--no-digest` leaves them out). */
  readonly hashed: boolean;
  readonly entries: number;
  readonly shadowed: number;
  readonly whiteouts: number;
  readonly opaqueDirs: number;
  readonly packageLists?: PackageLists;
}

/** What the cache keeps of a layer, and under which diff ID; undefined for a layer it cannot keep. */
export function encodeLayer(diffId: string, contents: LayerContents, hashed: boolean): Buffer | undefined {
  const body = encodeLayerBody(contents, hashed);
  if (!body) return undefined;
  const hash = createHash('sha256');
  for (const part of body) hash.update(part);
  return Buffer.concat([...body, sealLayer(diffId, hash)]);
}

/** The trailer that ends a layer's file: its diff ID, then the checksum of everything before (`hash` has seen the body). */
export function sealLayer(diffId: string, hash: Hash): Buffer {
  const id = Buffer.from(diffId, 'latin1');
  if (id.length !== DIFF_ID_BYTES) throw new Error(`not a sha256 diff ID: ${diffId}`);
  return Buffer.concat([id, hash.update(id).digest()]);
}

/** A layer's file up to its trailer, in parts; undefined for a layer the cache cannot keep. */
export function encodeLayerBody(contents: LayerContents, hashed: boolean): Buffer[] | undefined {
  // A field this codec does not know (added to LayerContents since) would be lost on the way back:
  // keep nothing rather than a layer that reads differently from the cache.
  if (!Object.keys(contents).every((key) => CODED_FIELDS.has(key))) return undefined;
  const all = [...contents.entries, ...(contents.shadowed ?? [])];
  const header: Header = {
    tarBytes: contents.tarBytes,
    compression: contents.compression,
    hashed,
    entries: contents.entries.length,
    shadowed: all.length - contents.entries.length,
    whiteouts: contents.whiteouts.length,
    opaqueDirs: contents.opaqueDirs.length,
    ...packageListsOf(contents),
  };
  const numbers = new Float64Array(all.length * NUMBERS);
  const flags = new Uint8Array(all.length);
  const strings: string[] = [];
  all.forEach((entry, i) => {
    numbers.set([TYPES.indexOf(entry.type), entry.size, entry.mode, entry.uid, entry.gid, entry.mtime ?? 0], i * NUMBERS);
    flags[i] = (entry.linkTarget !== undefined ? HAS_LINK : 0) | (entry.digest !== undefined ? HAS_DIGEST : 0) | (entry.mtime !== undefined ? HAS_MTIME : 0);
    strings.push(entry.path, entry.linkTarget ?? '', entry.digest ?? '');
  });
  strings.push(...contents.whiteouts, ...contents.opaqueDirs);
  // One NUL-separated text decodes in one call; a name holding a NUL (no tar writes one) is not kept.
  if (strings.some((text) => text.includes('\0'))) return undefined;
  const text = Buffer.from(strings.join('\0'), 'utf8');
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const prefix = Buffer.alloc(PREFIX + pad8(headerBytes.length));
  prefix.write(MAGIC, 0, 'latin1');
  prefix.writeUInt32LE(CODEC_VERSION, MAGIC.length);
  prefix.writeUInt32LE(headerBytes.length, MAGIC.length + 4);
  headerBytes.copy(prefix, PREFIX);
  return [prefix, Buffer.from(numbers.buffer), Buffer.from(flags.buffer), text];
}

/**
 * The layer back, or undefined when the bytes are not a whole, intact file of this version for
 * `diffId`. With `hashed`, a layer kept without digests is no answer; without it, digests are dropped.
 */
export function decodeLayer(bytes: Buffer, diffId: string, hashed: boolean): LayerContents | undefined {
  if (bytes.length < PREFIX + DIFF_ID_BYTES + CHECKSUM || bytes.toString('latin1', 0, MAGIC.length) !== MAGIC) return undefined;
  if (bytes.readUInt32LE(MAGIC.length) !== CODEC_VERSION) return undefined;
  const sealed = bytes.subarray(0, bytes.length - CHECKSUM);
  if (!createHash('sha256').update(sealed).digest().equals(bytes.subarray(sealed.length))) return undefined;
  const body = sealed.subarray(0, sealed.length - DIFF_ID_BYTES);
  if (sealed.toString('latin1', body.length) !== diffId) return undefined;
  try {
    const header = readHeader(body);
    if (!header || (hashed && !header.hashed)) return undefined;
    return readColumns(body, header, diffId, hashed);
  } catch {
    return undefined; // lengths that point past the end: not a file this codec wrote
  }
}

function readHeader(body: Buffer): Header | undefined {
  const length = body.readUInt32LE(MAGIC.length + 4);
  if (PREFIX + length > body.length) return undefined;
  const header = JSON.parse(body.toString('utf8', PREFIX, PREFIX + length)) as Partial<Header>;
  const counts = [header.entries, header.shadowed, header.whiteouts, header.opaqueDirs, header.tarBytes];
  if (!counts.every((count) => Number.isSafeInteger(count) && (count as number) >= 0)) return undefined;
  if (typeof header.hashed !== 'boolean') return undefined;
  if (!COMPRESSIONS.includes(header.compression as Compression)) return undefined;
  if (header.packageLists !== undefined && !isPackageLists(header.packageLists)) return undefined;
  return header as Header;
}

function readColumns(body: Buffer, header: Header, diffId: string, hashed: boolean): LayerContents | undefined {
  const count = header.entries + header.shadowed;
  const stringCount = count * 3 + header.whiteouts + header.opaqueDirs;
  let at = PREFIX + pad8(body.readUInt32LE(MAGIC.length + 4));
  const numbers = new Float64Array(body.buffer.slice(body.byteOffset + at, body.byteOffset + at + count * NUMBERS * 8));
  at += count * NUMBERS * 8;
  const flags = body.subarray(at, at + count);
  at += count;
  if (numbers.length !== count * NUMBERS || flags.length !== count) return undefined;
  const strings = stringCount === 0 && at === body.length ? [] : body.toString('utf8', at).split('\0');
  if (strings.length !== stringCount) return undefined;
  const entries: Entry[] = [];
  for (let i = 0; i < count; i++) {
    const entry = readEntry(numbers, flags[i] as number, strings, i, hashed);
    if (!entry) return undefined;
    entries.push(entry);
  }
  const paths = strings.slice(count * 3);
  if (!paths.every(isNormalised)) return undefined;
  return {
    entries: entries.slice(0, header.entries),
    ...(header.shadowed > 0 ? { shadowed: entries.slice(header.entries) } : {}),
    whiteouts: paths.slice(0, header.whiteouts),
    opaqueDirs: paths.slice(header.whiteouts),
    diffId,
    tarBytes: header.tarBytes,
    compression: header.compression,
    ...(header.packageLists ? { packageLists: header.packageLists } : {}),
  } as LayerContents;
}

function packageListsOf(contents: LayerContents): { packageLists?: PackageLists } {
  const lists = (contents as { readonly packageLists?: PackageLists }).packageLists;
  return lists === undefined ? {} : { packageLists: lists };
}

function isPackageLists(value: unknown): value is PackageLists {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  return Object.values(value).every((paths) => Array.isArray(paths) && paths.every((path) => typeof path === 'string'));
}

/** What normalisePath would leave unchanged, checked without rebuilding the path: no root, `.`, `..`, `//` or trailing `/`. */
function isNormalised(path: string): boolean {
  return path !== '' && !NOT_NORMAL.test(path);
}
const NOT_NORMAL = /^\/|\/$|\/\/|(?:^|\/)\.\.?(?:\/|$)/;

/** One entry, checked as the parser would have made it (a kept file is data from outside too). */
function readEntry(numbers: Float64Array, flag: number, strings: readonly string[], i: number, hashed: boolean): Entry | undefined {
  const n = i * NUMBERS;
  const type = TYPES[numbers[n] as number];
  const size = numbers[n + 1] as number;
  const mode = numbers[n + 2] as number;
  const uid = numbers[n + 3] as number;
  const gid = numbers[n + 4] as number;
  const path = strings[i * 3] as string;
  if (type === undefined || !isNormalised(path)) return undefined;
  if (!(isCount(size) && isCount(mode) && isCount(uid) && isCount(gid))) return undefined;
  if (type !== 'file' && size !== 0) return undefined;
  return makeEntry(
    path,
    type,
    size,
    mode,
    uid,
    gid,
    flag & HAS_LINK ? (strings[i * 3 + 1] as string) : undefined,
    hashed && flag & HAS_DIGEST ? (strings[i * 3 + 2] as string) : undefined,
    flag & HAS_MTIME ? (numbers[n + 5] as number) : undefined,
  );
}

function isCount(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 0;
}

function pad8(length: number): number {
  return Math.ceil(length / 8) * 8;
}
