// Several images read at once (a report's image, its builders and the version it is compared
// with): each read parses its layers on a worker thread of its own, so on a machine with cores to
// spare the reads overlap instead of adding up. The first failure stops the others.

import type { ParsedImage } from '../model/types.js';
import type { ReadProgress } from '../archive/read-image-archive.js';
import type { ImageTarget } from './image-target.js';
import { readImage, type ReadImageRequest } from './read-image.js';

/** Why a read was stopped: another read beside it failed (never shown: that failure is). */
class StoppedBeside extends Error {}

export interface ReadTogetherRequest extends Omit<ReadImageRequest, 'onProgress' | 'onOpened'> {
  /** Each read's progress, by its position among the targets. */
  readonly onProgress?: (index: number, progress: ReadProgress, expectedBytes: number | undefined) => void;
  /** Stops every read (the explorer's image failed): each rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}

/**
 * Starts reading every target at once; one promise per target. When one read fails, the others
 * are stopped, and every promise rejects with that first failure once every read has stopped
 * (its worker closed, its source let go): whichever the caller awaits, nothing is left running.
 */
export function readTogether(targets: readonly ImageTarget[], request: ReadTogetherRequest): Promise<ParsedImage>[] {
  const stop = new AbortController();
  const outside = request.signal;
  if (outside?.aborted) stop.abort(outside.reason);
  else outside?.addEventListener('abort', () => stop.abort(outside.reason), { once: true });
  let first: { readonly error: unknown } | undefined;
  const reads = targets.map((target, index) =>
    readImage(target, {
      read: request.read,
      ...(request.open ? { open: request.open } : {}),
      ...(request.onProgress ? { onProgress: (progress: ReadProgress, expected: number | undefined) => request.onProgress?.(index, progress, expected) } : {}),
      signal: stop.signal,
    }).catch((error: unknown) => {
      if (!stop.signal.aborted) first ??= { error };
      stop.abort(new StoppedBeside('another read failed'));
      throw error;
    }),
  );
  const stopped = Promise.allSettled(reads);
  return reads.map((read) => {
    const settled = read.catch(async (error: unknown) => {
      await stopped;
      throw first ? first.error : error;
    });
    // A caller that stops at the first failure leaves the others unawaited: not an unhandled rejection.
    settled.catch(() => {});
    return settled;
  });
}
