// The one-line progress shown on stderr while an archive is read.

import { formatSize } from './format-size.js';
import type { ReadProgress } from '../archive/read-image-archive.js';
import { sanitizeText } from '../sanitize.js';

export function progressLine(reference: string, progress: ReadProgress, expectedBytes: number | undefined, columns: number): string {
  const read = formatSize(progress.archiveBytes);
  const of = expectedBytes ? ` of ~${formatSize(expectedBytes)}` : '';
  const percent = expectedBytes ? ` ${Math.min(99, Math.floor((progress.archiveBytes / expectedBytes) * 100))}%` : '';
  const layers = `${progress.blobsDone} layer${progress.blobsDone === 1 ? '' : 's'} read`;
  const line = `reading ${sanitizeText(reference, { singleLine: true })}: ${read}${of}${percent}, ${layers}`;
  const width = Math.max(10, columns - 1);
  return line.length > width ? `${line.slice(0, width - 1)}…` : line.padEnd(width);
}
