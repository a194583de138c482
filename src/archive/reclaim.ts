// Layer bytes pass through as short-lived buffers: read from a file or a socket, copied for the
// worker thread, transferred, parsed, dropped. V8 frees a dropped buffer's memory only when a
// collection runs, and it schedules collections by the growth of the JavaScript heap, which these
// bytes hardly touch (a buffer is a few dozen bytes of heap over a megabyte outside it): left
// alone, each thread kept 60-70 MB of dead chunks, and every fresh megabyte cost page faults
// (issue 15: a 929 MB image peaked at 226 MB, 72k page faults). A young-generation collection
// after every RECLAIM_BYTES passed frees them while they are young; it costs about a millisecond.

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

const RECLAIM_BYTES = 4 << 20;

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

/** Counts bytes passed on this thread; every RECLAIM_BYTES, collects the young generation. */
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
