// How far V8 lets the heap grow past what the last full collection kept. Left to its own
// heuristics it let a report's heap grow to about twice what was live (measured on 200k tar
// entries: 208 MB in use at the end for ~100 MB live; peak RSS 302 MB): the analysis leaves
// short-lived structures behind (dive's per-layer trees, the build maps of the file tree) that
// outlive the young generation and wait for a full collection V8 had no reason to start.
// With growth held to a fifth, the same report peaked at 214-227 MB for about the same CPU time.

import { setFlagsFromString } from 'node:v8';

/** Each full collection lets the heap grow by this share of what it kept before the next one. */
const GROWTH_PERCENT = 20;

/** For the rest of the process (both threads: V8's flags are per process). */
export function holdHeapGrowth(): void {
  setFlagsFromString(`--heap-growing-percent=${GROWTH_PERCENT}`);
}
