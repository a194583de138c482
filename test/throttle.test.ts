import { describe, expect, it } from 'vitest';
import { throttle, type Clock } from '../src/throttle.js';

/** A clock the test moves by hand: timers run when `advance` passes their time. */
function manualClock(): Clock & { advance(ms: number): void } {
  let now = 0;
  let timers: { at: number; run: () => void; handle: object }[] = [];
  return {
    now: () => now,
    setTimeout(run, ms) {
      const handle = {};
      timers.push({ at: now + ms, run, handle });
      return handle;
    },
    clearTimeout(handle) {
      timers = timers.filter((timer) => timer.handle !== handle);
    },
    advance(ms) {
      now += ms;
      const due = timers.filter((timer) => timer.at <= now);
      timers = timers.filter((timer) => timer.at > now);
      for (const timer of due) timer.run();
    },
  };
}

describe('throttle', () => {
  it('runs the first call at once and drops calls inside the interval', () => {
    const clock = manualClock();
    const calls: number[] = [];
    const progress = throttle(100, (n: number) => calls.push(n), { clock });
    progress(1);
    clock.advance(50);
    progress(2);
    clock.advance(49);
    progress(3);
    expect(calls).toEqual([1]);
    clock.advance(1); // 100 ms after the first call
    progress(4);
    expect(calls).toEqual([1, 4]);
    clock.advance(500);
    expect(calls).toEqual([1, 4]); // nothing was pending
  });

  it('with trailing, runs the latest dropped call when the interval ends', () => {
    const clock = manualClock();
    const calls: string[] = [];
    const rebuild = throttle(100, (what: string) => calls.push(what), { trailing: true, clock });
    rebuild('a');
    clock.advance(10);
    rebuild('b');
    rebuild('c');
    expect(calls).toEqual(['a']);
    clock.advance(89);
    expect(calls).toEqual(['a']);
    clock.advance(1);
    expect(calls).toEqual(['a', 'c']);
    clock.advance(100);
    rebuild('d'); // a full interval after 'c': at once
    expect(calls).toEqual(['a', 'c', 'd']);
  });

  it('drops a pending trailing call when cancelled', () => {
    const clock = manualClock();
    const calls: string[] = [];
    const rebuild = throttle(100, (what: string) => calls.push(what), { trailing: true, clock });
    rebuild('a');
    rebuild('b');
    rebuild.cancel();
    clock.advance(1000);
    expect(calls).toEqual(['a']);
  });

  it('runs every call when the interval is 0', () => {
    const calls: number[] = [];
    const each = throttle(0, (n: number) => calls.push(n), { clock: manualClock() });
    each(1);
    each(2);
    expect(calls).toEqual([1, 2]);
  });
});
