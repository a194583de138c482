// Small helpers for reading byte streams by hand: look at the first bytes of a stream without
// losing them, and feed an async iterable into a writable with back-pressure.

/** Reads at least `min` bytes (or to the end) and returns them with an iterable of the whole stream. */
export async function peek(
  source: AsyncIterable<Uint8Array>,
  min: number,
): Promise<{ readonly head: Buffer; readonly all: AsyncIterable<Buffer> }> {
  const iterator = source[Symbol.asyncIterator]();
  const chunks: Buffer[] = [];
  let length = 0;
  let done = false;
  while (length < min) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    const chunk = Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength);
    chunks.push(chunk);
    length += chunk.length;
  }
  const head = Buffer.concat(chunks, length);
  // A reader that stops early (at the tar's end marker, on an error) must close the source too:
  // an engine's export left half-read holds its socket open, and the process never exits.
  async function* all(): AsyncGenerator<Buffer> {
    try {
      if (head.length > 0) yield head;
      if (done) return;
      for (;;) {
        const next = await iterator.next();
        if (next.done) return;
        yield Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength);
      }
    } finally {
      await iterator.return?.();
    }
  }
  return { head, all: all() };
}

/** What `feed` needs from a writable: Node streams and streamx streams (tar-stream) both fit. */
export interface FeedTarget {
  write(chunk: Buffer): boolean;
  end(chunk?: undefined): unknown;
  destroy(error?: Error): unknown;
  once(event: 'drain' | 'close', listener: () => void): unknown;
  off(event: 'drain' | 'close', listener: () => void): unknown;
}

/**
 * Writes every chunk of `source` into `target`, waiting on back-pressure, then ends it.
 * A failing source destroys the target with the source's error, so a reader of the target sees it.
 * `onChunk` sees each chunk before it is written (byte counting, hashing).
 */
export async function feed(
  source: AsyncIterable<Buffer>,
  target: FeedTarget,
  onChunk?: (chunk: Buffer) => void,
): Promise<void> {
  try {
    for await (const chunk of source) {
      // A reader that stopped early destroyed the target: stop reading the source too.
      if (isDestroyed(target)) return;
      onChunk?.(chunk);
      if (!target.write(chunk) && !(await drained(target))) return;
    }
    target.end();
  } catch (error) {
    target.destroy(error instanceof Error ? error : new Error(String(error)));
  }
}

/** Resolves true on 'drain', false when the target closes first (its reader gave up). */
function drained(target: FeedTarget): Promise<boolean> {
  if (isDestroyed(target)) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onDrain = (): void => {
      target.off('close', onClose);
      resolve(true);
    };
    const onClose = (): void => {
      target.off('drain', onDrain);
      resolve(false);
    };
    target.once('drain', onDrain);
    target.once('close', onClose);
  });
}

const isDestroyed = (target: FeedTarget): boolean => (target as { destroyed?: boolean }).destroyed === true;

/**
 * The source's chunks until `signal` aborts: then a wait for the next chunk ends at once with the
 * signal's reason (an engine that has sent nothing yet is not waited for), and the source is closed.
 * Each wait listens for the abort on its own: a race against one promise for the whole read would
 * leave that promise a reaction per chunk, each holding its chunk (an export of 317 MB kept 312 MB).
 */
export async function* abortable<T>(source: AsyncIterable<T>, signal: AbortSignal): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  let pending: Promise<IteratorResult<T>> | undefined;
  try {
    for (;;) {
      signal.throwIfAborted();
      const next = await untilAborted((pending = iterator.next()), signal);
      pending = undefined;
      if (next.done) return;
      yield next.value;
    }
  } finally {
    // With a chunk still awaited, the source's return() waits behind it: asked for, not awaited.
    if (pending) {
      pending.catch(() => {});
      iterator.return?.()?.catch(() => {});
    } else {
      await iterator.return?.();
    }
  }
}

/** `step`, or the signal's reason if it aborts first; the listener goes when either settles. */
function untilAborted<T>(step: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    step.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
