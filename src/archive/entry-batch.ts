// A layer's entries cross from the worker thread to the main thread in batches, as a few arrays
// rather than an object each: the worker never holds a whole layer, and a batch in flight costs a
// fraction of what structured-cloning its objects would.

import type { Entry, EntryType } from '../model/types.js';
import { makeEntry, type LayerSink, type PackageList } from './read-layer.js';

const TYPES: readonly EntryType[] = ['file', 'dir', 'symlink', 'hardlink', 'other'];
const NUMBERS = 6; // type, size, mode, uid, gid, mtime
const HAS_LINK = 1;
const HAS_DIGEST = 2;
const HAS_MTIME = 4;

export interface EntryBatch {
  /** Per entry: type index, size, mode, uid, gid, mtime. */
  readonly numbers: Float64Array;
  /** Per entry: HAS_LINK | HAS_DIGEST | HAS_MTIME. */
  readonly has: Uint8Array;
  /** Per entry: path, link target ('' when none), digest ('' when none). */
  readonly strings: readonly string[];
  readonly whiteouts: readonly string[];
  readonly opaqueDirs: readonly string[];
  readonly packageLists: readonly PackageList[];
}

/** Batches what a parse finds; `send` gets each full batch, and the rest on flush(). */
export function batchingSink(size: number, send: (batch: EntryBatch, transfer: ArrayBuffer[]) => void): LayerSink & { flush(): void } {
  let numbers = new Float64Array(size * NUMBERS);
  let has = new Uint8Array(size);
  let strings: string[] = [];
  let whiteouts: string[] = [];
  let opaqueDirs: string[] = [];
  let packageLists: PackageList[] = [];
  let count = 0;
  const flush = (): void => {
    if (count === 0 && whiteouts.length === 0 && opaqueDirs.length === 0 && packageLists.length === 0) return;
    const batch = { numbers: numbers.slice(0, count * NUMBERS), has: has.slice(0, count), strings, whiteouts, opaqueDirs, packageLists };
    send(batch, [batch.numbers.buffer, batch.has.buffer]);
    numbers = new Float64Array(size * NUMBERS);
    has = new Uint8Array(size);
    strings = [];
    whiteouts = [];
    opaqueDirs = [];
    packageLists = [];
    count = 0;
  };
  return {
    entry(entry: Entry) {
      numbers.set([TYPES.indexOf(entry.type), entry.size, entry.mode, entry.uid, entry.gid, entry.mtime ?? 0], count * NUMBERS);
      has[count] = (entry.linkTarget !== undefined ? HAS_LINK : 0) | (entry.digest !== undefined ? HAS_DIGEST : 0) | (entry.mtime !== undefined ? HAS_MTIME : 0);
      strings.push(entry.path, entry.linkTarget ?? '', entry.digest ?? '');
      if (++count === size) flush();
    },
    whiteout: (path) => void whiteouts.push(path),
    opaque: (dir) => void opaqueDirs.push(dir),
    packageList: (list) => void packageLists.push(list),
    flush,
  };
}

/** Replays a batch into a sink, entries first. */
export function replayBatch(batch: EntryBatch, sink: LayerSink): void {
  const { numbers, has, strings } = batch;
  // The batch's entries share a box per large number (an mtime is one for most of a layer), and
  // one string per digest: cloning gave each entry its own copy (56 B), though every empty file
  // (and every copy of one content) has the same digest.
  const shared = new Map<number, number>();
  const digests = new Map<string, string>();
  for (let i = 0; i < has.length; i++) {
    const n = i * NUMBERS;
    const flags = has[i] as number;
    sink.entry(
      makeEntry(
        strings[i * 3] as string,
        TYPES[numbers[n] as number] as EntryType,
        numbers[n + 1] as number,
        numbers[n + 2] as number,
        numbers[n + 3] as number,
        numbers[n + 4] as number,
        flags & HAS_LINK ? (strings[i * 3 + 1] as string) : undefined,
        flags & HAS_DIGEST ? interned(digests, strings[i * 3 + 2] as string) : undefined,
        flags & HAS_MTIME ? (numbers[n + 5] as number) : undefined,
        shared,
      ),
    );
  }
  for (const path of batch.whiteouts) sink.whiteout(path);
  for (const dir of batch.opaqueDirs) sink.opaque(dir);
  for (const list of batch.packageLists) sink.packageList?.(list);
}

function interned(strings: Map<string, string>, text: string): string {
  const known = strings.get(text);
  if (known !== undefined) return known;
  strings.set(text, text);
  return text;
}
