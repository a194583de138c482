// One layer blob (tar, gzip or zstd) → its entries, whiteouts and opaque directories.
// Contents stream through: each regular file is hashed as it passes and never kept — except dpkg's
// file lists (`var/lib/dpkg/info/<package>.list`, small text), which say which package owns a path.
// The tar is walked by tar-entries.ts, by tar-stream's rules (test/archive/tar-entries.test.ts
// holds it to them).

import { createHash, type Hash } from 'node:crypto';
import type { IHasher } from 'hash-wasm';
import { contentDigest, contentHasher, emptyDigest } from './content-digest.js';
import type { Compression, Entry, EntryType, LayerContents } from '../model/types.js';
import { decompress } from './decompress.js';
import { baseName, normalisePath, parentOf, joinPath } from './paths.js';
import { TarEntries, type TarEntry, type TarVisitor } from './tar-entries.js';
import { tarFields, TYPE } from './tar-header.js';
import type { HeapGuard } from './heap-guard.js';

const WHITEOUT = '.wh.';
const OPAQUE = '.wh..wh..opq';
/** Other `.wh..wh.` names are AUFS bookkeeping (plnk, aufs) and carry no meaning here. */
const AUFS_META = '.wh..wh.';

export interface ReadLayerOptions {
  /** Digest each regular file's content (see content-digest.ts); needed to tell a metadata-only copy. */
  readonly hashContent: boolean;
  /** Hash the whole uncompressed tar (sha256) to check it against the config's diff ID. */
  readonly verify: boolean;
  /** Called with uncompressed byte counts as the layer streams, for progress. */
  readonly onBytes?: (bytes: number) => void;
  /** Stop with TOO_MANY_ENTRIES beyond this many entries and whiteouts (what memory allows). */
  readonly maxEntries?: number;
  /** Watches the heap as entries gather on this thread (never sent to the worker: it watches the main thread's heap). */
  readonly heap?: HeapGuard;
}

/** The code of the error readLayer throws beyond maxEntries; it crosses the worker boundary as text. */
export const TOO_MANY_ENTRIES = 'LAYERSCOPE_TOO_MANY_ENTRIES';

export function tooManyEntries(): Error {
  return Object.assign(new Error('too many entries'), { code: TOO_MANY_ENTRIES });
}

/** Where a layer's parse sends what it finds, in archive order. */
export interface LayerSink {
  entry(entry: Entry): void;
  /** A path removed from lower layers (`.wh.<name>`). */
  whiteout(path: string): void;
  /** A directory whose lower contents are hidden (`.wh..wh..opq`). */
  opaque(dir: string): void;
  /** dpkg's list of the paths a package installed, as this layer writes it. */
  packageList?(list: PackageList): void;
}

/** dpkg's `var/lib/dpkg/info/<package>.list`: the package (`name` or `name:arch`) and the paths it owns. */
export interface PackageList {
  readonly package: string;
  /** Normalised (no leading slash). */
  readonly paths: readonly string[];
}

const PACKAGE_LIST = /^var\/lib\/dpkg\/info\/([^/]+)\.list$/;
/** A list larger than this is not dpkg's (the largest Debian package lists a few MB). */
const PACKAGE_LIST_LIMIT = 16 * 1024 * 1024;

/** What is known of a layer once its tar ends. */
export interface LayerEnd {
  readonly diffId?: string;
  readonly tarBytes: number;
}

/** Parses one layer blob. Throws on a truncated or corrupt blob; the caller names the layer. */
export async function readLayer(
  blob: AsyncIterable<Buffer>,
  compression: Compression,
  options: ReadLayerOptions,
): Promise<LayerContents> {
  const collector = collectLayer(options.heap);
  return collector.contents(await parseLayer(blob, compression, options, collector), compression);
}

/**
 * Parses one layer blob into `sink`, entry by entry, keeping none of them: the worker thread
 * passes them on in batches (layer-worker.ts) instead of holding a whole layer.
 */
export async function parseLayer(
  blob: AsyncIterable<Buffer>,
  compression: Compression,
  options: ReadLayerOptions,
  sink: LayerSink,
): Promise<LayerEnd> {
  const diffHash = options.verify ? diffIdHash() : undefined;
  // Loaded here, not with the module: the main thread imports this file but hands layers to the worker.
  const fileHash = options.hashContent ? await contentHasher() : undefined;
  const empty = fileHash ? await emptyDigest(fileHash) : undefined;
  const tar = new TarEntries(layerVisitor(sink, options.maxEntries ?? Number.POSITIVE_INFINITY, fileHash, empty));
  let tarBytes = 0;
  for await (const chunk of decompress(blob, compression)) {
    diffHash?.update(chunk);
    tarBytes += chunk.length;
    options.onBytes?.(chunk.length);
    tar.push(chunk);
  }
  tar.end();
  return { ...(diffHash ? { diffId: diffIdOf(diffHash) } : {}), tarBytes };
}

/**
 * What the layer parse does with each tar entry: whiteouts and opaque markers to the sink, every
 * other entry made when its content has passed through the file hash (dpkg's lists kept as text).
 */
function layerVisitor(sink: LayerSink, maxEntries: number, fileHash: IHasher | undefined, empty: string | undefined): TarVisitor {
  /** Entries and whiteouts passed on so far (a repeated path counts each time: this guards memory). */
  let records = 0;
  /** The entry whose content is being read: passed on when its content ends (with its digest). */
  let pending: { made: (digest: string | undefined) => void; list: string | undefined; parts: Buffer[] } | undefined;
  /** The entry at `path`, once its digest is known; read from the header now, while its block is valid. */
  const maker = (path: string, entry: TarEntry): ((digest: string | undefined) => void) => {
    const type = entryType(entry.type);
    const linkTarget = type === 'symlink' ? entry.linkname : type === 'hardlink' ? normalisePath(entry.linkname as string) : undefined;
    // tar-stream's values, null where a field does not read, as entries have always held them.
    const { mode, uid, gid, mtime } = tarFields(entry.block);
    return (digest) => {
      if (path === '') return; // the root directory itself
      records++;
      sink.entry(makeEntry(path, type, type === 'file' ? entry.size : 0, mode as number, uid as number, gid as number, linkTarget as string | undefined, digest, mtime));
    };
  };
  return {
    entry(entry) {
      if (records >= maxEntries) throw tooManyEntries();
      const path = normalisePath(entry.name);
      const name = baseName(path);
      if (name.startsWith(WHITEOUT)) {
        records++;
        if (name === OPAQUE) sink.opaque(parentOf(path));
        else if (!name.startsWith(AUFS_META)) sink.whiteout(joinPath(parentOf(path), name.slice(WHITEOUT.length)));
        return false;
      }
      const file = entry.type === TYPE.file || entry.type === TYPE.contiguousFile;
      const list = file && entry.size <= PACKAGE_LIST_LIMIT ? PACKAGE_LIST.exec(path)?.[1] : undefined;
      const made = maker(path, entry);
      if (list === undefined && (!file || !fileHash || path === '')) {
        made(undefined);
        return false;
      }
      if (list === undefined && entry.size === 0) {
        made(empty);
        return false;
      }
      fileHash?.init();
      pending = { made, list, parts: [] };
      return true;
    },
    data(piece) {
      if (pending?.list !== undefined) pending.parts.push(piece);
      else fileHash?.update(piece);
    },
    contentEnd() {
      const { made, list, parts } = pending as NonNullable<typeof pending>;
      pending = undefined;
      if (list === undefined) return made(contentDigest(fileHash as IHasher));
      const text = Buffer.concat(parts);
      fileHash?.update(text);
      sink.packageList?.({ package: list, paths: text.toString('utf8').split('\n').flatMap((line) => (line === '' || line === '/.' ? [] : [normalisePath(line)])) });
      made(fileHash ? contentDigest(fileHash) : undefined);
    },
  };
}

/** A layer's diff ID is the sha256 of its uncompressed tar: the hash, and then its digest. */
export function diffIdHash(): Hash {
  return createHash('sha256');
}

export function diffIdOf(hash: Hash): string {
  return `sha256:${hash.digest('hex')}`;
}

/** Gathers a layer's entries (a later copy of a path in the same tar wins, as on extraction); `heap` counts them. */
export function collectLayer(heap?: HeapGuard): LayerSink & { contents(end: LayerEnd, compression: Compression): LayerContents } {
  // Holes (undefined) where a later entry of the same tar replaced what extraction would not keep.
  const entries: (Entry | undefined)[] = [];
  const shadowed: Entry[] = [];
  const indexByPath = new Map<string, number>();
  const parents = new Set<string>();
  const whiteouts = new Set<string>();
  const opaqueDirs = new Set<string>();
  const packageLists = new Map<string, readonly string[]>();
  return {
    entry(entry) {
      heap?.add(1);
      const existing = indexByPath.get(entry.path);
      const earlier = existing === undefined ? undefined : entries[existing];
      // A later copy of a path in the same tar wins, as on extraction; a non-directory replaces
      // what the tar put below that path. The earlier bytes still ship: keep them as shadowed.
      if (earlier && !(earlier.type === 'dir' && entry.type === 'dir')) shadowed.push(earlier);
      if (entry.type !== 'dir' && parents.has(entry.path)) shadowBelow(entry.path, entries, indexByPath, shadowed);
      if (existing !== undefined) entries[existing] = undefined;
      indexByPath.set(entry.path, entries.length);
      entries.push(entry);
      for (let parent = parentOf(entry.path); parent !== '' && !parents.has(parent); parent = parentOf(parent)) parents.add(parent);
    },
    whiteout(path) {
      heap?.add(1);
      whiteouts.add(path);
    },
    opaque(dir) {
      heap?.add(1);
      opaqueDirs.add(dir);
    },
    packageList: (list) => void packageLists.set(list.package, list.paths),
    contents: (end, compression) => ({
      entries: entries.filter((entry): entry is Entry => entry !== undefined),
      ...(shadowed.length > 0 ? { shadowed } : {}),
      whiteouts: [...whiteouts],
      opaqueDirs: [...opaqueDirs],
      ...(packageLists.size > 0 ? { packageLists: Object.fromEntries(packageLists) } : {}),
      ...(end.diffId !== undefined ? { diffId: end.diffId } : {}),
      tarBytes: end.tarBytes,
      compression,
    }),
  };
}

/** Moves the entries below `path` (a path the tar now makes a non-directory) to shadowed. */
function shadowBelow(path: string, entries: (Entry | undefined)[], indexByPath: Map<string, number>, shadowed: Entry[]): void {
  const prefix = `${path}/`;
  for (const [other, index] of indexByPath) {
    if (!other.startsWith(prefix)) continue;
    const entry = entries[index];
    if (entry) shadowed.push(entry);
    entries[index] = undefined;
    indexByPath.delete(other);
  }
}

/**
 * Numbers as an entry stores them: a 32-bit integer as V8's immediate (a value read from a
 * Float64Array is a boxed double until made one, and a boxed field costs every entry its own
 * 16-byte box: 80 B an entry), anything else (a size over 2 GiB) through `shared`, so entries
 * with the same value share one box.
 */
export function compactNumber(value: number, shared?: Map<number, number>): number {
  if ((value | 0) === value) return value | 0;
  if (!shared) return value;
  const known = shared.get(value);
  if (known !== undefined) return known;
  shared.set(value, value);
  return value;
}

/**
 * One entry. Every key is present, in this order (an absent optional one is undefined): one
 * hidden class for every entry, its fields in the object itself. An object grown key by key takes
 * a hidden class per combination and, past its first fields, a separate property array (40 B).
 */
export function makeEntry(
  path: string,
  type: EntryType,
  size: number,
  mode: number,
  uid: number,
  gid: number,
  linkTarget: string | undefined,
  digest: string | undefined,
  mtime: number | undefined,
  shared?: Map<number, number>,
): Entry {
  const entry = {
    path,
    type,
    size: compactNumber(size, shared),
    mode: compactNumber(mode, shared),
    uid: compactNumber(uid, shared),
    gid: compactNumber(gid, shared),
    linkTarget,
    digest,
    mtime: mtime === undefined ? undefined : compactNumber(mtime, shared),
  };
  return entry as Entry;
}

/** An entry's type from its tar type flag (tar-stream's names: `link` is a hard link). */
function entryType(flag: number): EntryType {
  switch (flag) {
    case TYPE.file:
    case TYPE.contiguousFile:
      return 'file';
    case TYPE.directory:
      return 'dir';
    case TYPE.symlink:
      return 'symlink';
    case TYPE.hardlink:
      return 'hardlink';
    default:
      return 'other';
  }
}
