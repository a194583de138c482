// Whatever the input, a read stops with a message before V8 runs out of heap (a fatal error, exit
// 134, no message): entries with long names or millions of empty files cost heap that no entry
// count foresees. The guard watches the heap itself, every few thousand entries, and keeps room
// for what the model and analysis add per entry after the parse.

import { getHeapStatistics } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';

/** The code of the error the guard throws; it crosses the worker boundary as text, like TOO_MANY_ENTRIES. */
export const HEAP_NEARLY_FULL = 'LAYERSCOPE_HEAP_NEARLY_FULL';

/** Entries between two looks at the heap: reading the statistics costs about a microsecond. */
const CHECK_EVERY = 1024;
/**
 * V8's young generation on 64-bit (three 16 MiB semi-spaces), which heap_size_limit counts on top
 * of --max-old-space-size: what lives on is held by the old generation, limited to the rest.
 */
const YOUNG_GENERATION = 48 * 2 ** 20;
/** The share of the heap limit the read may fill, leaving V8 room to collect and allocate. */
const SHARE = 0.85;
/**
 * Heap each entry costs after the parse (the model, the analysis, the report, the explorer's
 * tables), measured as the heap's peak over what the parse held: a report on 300,000 empty files,
 * 50 MB parsed, peaks at 129 MB (263 bytes an entry); the explorer on 199,299 entries (`many`), 50
 * MB parsed, at 137 MB (440 bytes an entry, a young generation of 16-32 MB included). Half again
 * over the larger: 3,000,000 entries fit a 4 GB heap (at 1,024 the guard's arithmetic stops near 2.9 million).
 */
export const RESERVE_PER_ENTRY = 640;

export interface HeapReading {
  /** Bytes of heap in use (garbage included unless just collected). */
  readonly used: number;
  /** The most the old generation may hold (--max-old-space-size): where everything kept ends up. */
  readonly limit: number;
}

export interface HeapProbe {
  read(): HeapReading;
  /** A full collection, so the next reading counts live data only. */
  collect(): void;
}

export interface HeapGuard {
  /** Counts entries held from now on; throws HEAP_NEARLY_FULL when the heap would not hold the run. */
  add(count: number): void;
  /** Looks at the heap now, before holding `bytes` more at once (a JSON document) rather than an entry. */
  check(bytes?: number): void;
  /** The entries counted so far. */
  readonly entries: number;
}

export interface HeapNearlyFull extends Error {
  readonly code: typeof HEAP_NEARLY_FULL;
  readonly entries: number;
  readonly limit: number;
}

/**
 * One guard per image read. Past the threshold it collects garbage first and stops only if live
 * data is still over it; after a collection that frees enough, it waits for the heap to grow by a
 * twentieth of the limit before collecting again, so a read close to the line costs a handful of
 * collections, not one per check.
 */
export function createHeapGuard(probe: HeapProbe = v8Probe()): HeapGuard {
  let entries = 0;
  let unchecked = 0;
  let rearmAt = 0;
  const over = (reading: HeapReading, bytes: number): boolean => reading.used + bytes + entries * RESERVE_PER_ENTRY > reading.limit * SHARE;
  const check = (bytes = 0): void => {
    const reading = probe.read();
    if (!over(reading, bytes) || reading.used + bytes < rearmAt) return;
    probe.collect();
    const live = probe.read();
    if (over(live, bytes)) throw heapNearlyFull(entries, live.limit);
    rearmAt = live.used + live.limit / 20;
  };
  return {
    add(count) {
      entries += count;
      unchecked += count;
      if (unchecked < CHECK_EVERY) return;
      unchecked = 0;
      check();
    },
    check,
    get entries() {
      return entries;
    },
  };
}

function heapNearlyFull(entries: number, limit: number): HeapNearlyFull {
  return Object.assign(new Error('the heap is nearly full'), { code: HEAP_NEARLY_FULL as typeof HEAP_NEARLY_FULL, entries, limit });
}

export function isHeapNearlyFull(error: unknown): error is HeapNearlyFull {
  return (error as { code?: unknown } | undefined)?.code === HEAP_NEARLY_FULL;
}

/** This process's heap; a full collection through V8's own gc(), exposed once, in a context of its own. */
function v8Probe(): HeapProbe {
  let gc: (() => void) | undefined;
  return {
    read: () => {
      const stats = getHeapStatistics();
      return { used: stats.used_heap_size, limit: stats.heap_size_limit - YOUNG_GENERATION };
    },
    collect: () => {
      if (!gc) {
        setFlagsFromString('--expose-gc');
        gc = runInNewContext('gc') as () => void;
      }
      gc();
    },
  };
}
