import { describe, expect, it } from 'vitest';
import { createHeapGuard, HEAP_NEARLY_FULL, RESERVE_PER_ENTRY, type HeapProbe } from '../../src/archive/heap-guard.js';

const MB = 1024 * 1024;

/** A heap whose readings the test sets: `used` before a collection, `live` after one. */
function heap(limit: number, used: () => number, live: () => number = used) {
  let collected = false;
  const calls = { reads: 0, collections: 0 };
  const probe: HeapProbe = {
    read() {
      calls.reads++;
      const reading = { used: collected ? live() : used(), limit };
      collected = false;
      return reading;
    },
    collect() {
      calls.collections++;
      collected = true;
    },
  };
  return { probe, calls };
}

describe('the heap guard', () => {
  it('looks at the heap once every 1024 entries, not per entry', () => {
    const { probe, calls } = heap(1000 * MB, () => 10 * MB);
    const guard = createHeapGuard(probe);
    for (let i = 0; i < 1023; i++) guard.add(1);
    expect(calls.reads).toBe(0);
    guard.add(1);
    expect(calls.reads).toBe(1);
  });

  it('stops once live data and 640 bytes per entry held would pass 85% of the limit', () => {
    // 100 MB limit: 85 MB allowed. 80 MB live + 4096 entries × 640 B = 82.5 MB passes; 12,288 × 640 B = 87.5 MB stops.
    expect(RESERVE_PER_ENTRY).toBe(640);
    const { probe } = heap(100 * MB, () => 80 * MB);
    const guard = createHeapGuard(probe);
    guard.add(4096);
    let stopped: unknown;
    try {
      guard.add(8192);
    } catch (error) {
      stopped = error;
    }
    expect(stopped).toMatchObject({ code: HEAP_NEARLY_FULL, entries: 12288, limit: 100 * MB });
  });

  it('collects garbage before stopping, and goes on when live data fits', () => {
    // 90 MB in use but 10 MB live: no stop; the next collection waits for 10 + 100/20 = 15 MB.
    let used = 90 * MB;
    const { probe, calls } = heap(100 * MB, () => used, () => 10 * MB);
    const guard = createHeapGuard(probe);
    guard.add(4096);
    expect(calls.collections).toBe(1);
    used = 14 * MB + 1;
    guard.add(4096); // 14 MB + 8 MB reserve is under 85 MB anyway
    used = 84 * MB;
    guard.add(4096); // over 85 MB with the reserve, and past 15 MB: collects again
    expect(calls.collections).toBe(2);
  });

  it('looks at once before a large document is held, counting its size', () => {
    // 70 MB live: a 10 MB document fits under 85 MB, a 20 MB one does not.
    const { probe } = heap(100 * MB, () => 70 * MB);
    const guard = createHeapGuard(probe);
    guard.check(10 * MB);
    expect(() => guard.check(20 * MB)).toThrow(expect.objectContaining({ code: HEAP_NEARLY_FULL, entries: 0 }));
  });
});
