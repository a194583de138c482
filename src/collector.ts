// How layerscope steers V8's garbage collector: the one place that sets its flags at run time.
// Both measures are for memory (issue 15); neither changes what is computed.
//
// Growth. V8 lets the heap grow past what the last full collection kept by its own heuristics:
// a report's heap grew to about twice what was live (200k tar entries: 208 MB in use at the end
// for ~100 MB live; peak RSS 302 MB), because the analysis leaves short-lived structures behind
// (dive's per-layer trees, the file tree's build maps) that outlive the young generation and
// wait for a full collection V8 had no reason to start. Held to a fifth, the same report peaked
// at 214-227 MB for about the same CPU time, and the explorer on it at 339 MB instead of 379 MB
// (key → frame times at 200k files unchanged within noise).
//
// Reclaiming chunks. Layer bytes pass through as short-lived buffers: read from a file or a
// socket, copied for the worker thread, transferred, parsed, dropped. V8 frees a dropped buffer's
// memory only when a collection runs, and it schedules collections by the growth of the
// JavaScript heap, which these bytes hardly touch (a buffer is a few dozen bytes of heap over a
// megabyte outside it): left alone, each thread kept 60-70 MB of dead chunks, and every fresh
// megabyte cost page faults (a 929 MB image peaked at 226 MB with ~95k page faults). A
// young-generation collection after every RECLAIM_BYTES passed frees them while they are young.
// Measured against every 8 and 16 MB: 4 MB keeps the lowest peak (engine export of 929 MB: 163,
// 178, 195 MB) for the same CPU time within noise.

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Each full collection lets the heap grow by this share of what it kept before the next one. */
const GROWTH_PERCENT = 20;

const RECLAIM_BYTES = 4 << 20;

/** Holds heap growth to GROWTH_PERCENT for the rest of the process (both threads: V8's flags are per process). */
export function holdHeapGrowth(): void {
  setFlagsFromString(`--heap-growing-percent=${GROWTH_PERCENT}`);
}

type Collect = (options: { type: 'minor' }) => void;

let collect: Collect | null | undefined;

/** V8's collector as its gc extension gives it (as Jest's leak detector gets it); null where that fails. */
function collector(): Collect | null {
  if (collect !== undefined) return collect;
  try {
    setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('typeof gc === "function" ? gc : undefined');
    collect = typeof gc === 'function' ? (gc as Collect) : null;
  } catch {
    collect = null;
  }
  return collect;
}

/** Counts layer bytes passed on this thread; every RECLAIM_BYTES, collects the young generation. */
export function createReclaimer(): (bytes: number) => void {
  const gc = collector();
  if (!gc) return () => {};
  let passed = 0;
  return (bytes) => {
    passed += bytes;
    if (passed < RECLAIM_BYTES) return;
    passed = 0;
    gc({ type: 'minor' });
  };
}
