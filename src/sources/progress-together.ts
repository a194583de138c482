// Several reads' progress as one (an image and its builders read at once): what the report's
// progress line and the explorer's builder line both show.

import type { ReadProgress } from '../archive/read-image-archive.js';

/** Archive bytes and layers read, summed; what they expect together, only when every source can say. */
export function progressTogether(reads: readonly { readonly progress: ReadProgress; readonly expectedBytes: number | undefined }[]): ReadProgress & { readonly expectedBytes: number | undefined } {
  return {
    archiveBytes: reads.reduce((sum, read) => sum + read.progress.archiveBytes, 0),
    blobsDone: reads.reduce((sum, read) => sum + read.progress.blobsDone, 0),
    expectedBytes: reads.every((read) => read.expectedBytes) ? reads.reduce((sum, read) => sum + (read.expectedBytes ?? 0), 0) : undefined,
  };
}
