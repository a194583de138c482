// At most one call per interval, for work driven by a fast stream of events (progress lines,
// rebuilding the explorer's tree as layers arrive). The first call runs at once; calls inside
// the interval are dropped, or, with `trailing`, the latest of them runs when the interval ends.

export interface Clock {
  now(): number;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const SYSTEM_CLOCK: Clock = {
  now: () => Date.now(),
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface Throttled<A extends readonly unknown[]> {
  (...args: A): void;
  /** Drops a pending trailing call; later calls are throttled as before. */
  cancel(): void;
}

export function throttle<A extends readonly unknown[]>(
  everyMs: number,
  run: (...args: A) => void,
  options: { readonly trailing?: boolean; readonly clock?: Clock } = {},
): Throttled<A> {
  const clock = options.clock ?? SYSTEM_CLOCK;
  let lastRun = Number.NEGATIVE_INFINITY;
  let pending: unknown;
  const cancel = (): void => {
    if (pending !== undefined) clock.clearTimeout(pending);
    pending = undefined;
  };
  const fire = (args: A): void => {
    cancel();
    lastRun = clock.now();
    run(...args);
  };
  const throttled = (...args: A): void => {
    const wait = lastRun + everyMs - clock.now();
    if (wait <= 0) fire(args);
    else if (options.trailing) {
      cancel();
      pending = clock.setTimeout(() => fire(args), wait);
    }
  };
  return Object.assign(throttled, { cancel });
}
