// The one-line progress shown on stderr while archives are read: one image, or several read at
// once (an image and its builders), as one line over all of them.

import { formatSize } from './format-size.js';
import type { ReadProgress } from '../archive/read-image-archive.js';
import { sanitizeText } from '../sanitize.js';
import { progressTogether } from '../sources/progress-together.js';

/** One archive being read, as the line sees it. */
export interface ReadState {
  readonly reference: string;
  readonly progress: ReadProgress;
  /** The archive bytes the source expects, when it knows (an engine's inspect size is an estimate). */
  readonly expectedBytes: number | undefined;
  /** What nothing having arrived yet means, for this source: `the engine to start the export`. */
  readonly waitingFor?: string;
}

/**
 * Several reads as one line: their archive bytes together, against the sum of what each expects
 * (no total while any source cannot say), and their layers, then their names. While nothing has
 * arrived from any, what it waits for: the engine's export when one of them is an engine's.
 */
export function readsLine(reads: readonly ReadState[], columns: number): string {
  const width = Math.max(10, columns - 1);
  const names = reads.map((read) => sanitizeText(read.reference, { singleLine: true }));
  const { archiveBytes: bytes, blobsDone: blobs, expectedBytes: expected } = progressTogether(reads);
  if (bytes === 0 && blobs === 0) {
    const waitingFor = reads.find((read) => read.waitingFor !== undefined)?.waitingFor ?? 'the first bytes';
    return fit(several(names, `waiting for ${waitingFor}`), width);
  }
  const of = expected ? ` of ~${formatSize(expected)}` : '';
  const percent = expected ? ` ${Math.min(99, Math.floor((bytes / expected) * 100))}%` : '';
  const layers = `${blobs} layer${blobs === 1 ? '' : 's'} read`;
  return fit(several(names, `${formatSize(bytes)}${of}${percent}, ${layers}`), width);
}

/** One read's line names it first; several are counted first, their names last, where a narrow terminal cuts. */
function several(names: readonly string[], figures: string): string {
  return names.length === 1 ? `reading ${names[0] ?? ''}: ${figures}` : `reading ${names.length} images: ${figures} (${names.join(', ')})`;
}

function fit(line: string, width: number): string {
  return line.length > width ? `${line.slice(0, width - 1)}…` : line.padEnd(width);
}
