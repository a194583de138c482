// The one-line progress shown on stderr while an archive is read.

import { formatSize } from './format-size.js';
import type { ReadProgress } from '../archive/read-image-archive.js';
import { sanitizeText } from '../sanitize.js';

/**
 * `waitingFor`: what nothing having arrived yet means, for this source (an engine takes seconds to
 * start a large export): `the engine to start the export`.
 */
export function progressLine(reference: string, progress: ReadProgress, expectedBytes: number | undefined, columns: number, waitingFor = 'the first bytes'): string {
  const width = Math.max(10, columns - 1);
  if (progress.archiveBytes === 0 && progress.blobsDone === 0) return fit(`reading ${sanitizeText(reference, { singleLine: true })}: waiting for ${waitingFor}`, width);
  const read = formatSize(progress.archiveBytes);
  const of = expectedBytes ? ` of ~${formatSize(expectedBytes)}` : '';
  const percent = expectedBytes ? ` ${Math.min(99, Math.floor((progress.archiveBytes / expectedBytes) * 100))}%` : '';
  const layers = `${progress.blobsDone} layer${progress.blobsDone === 1 ? '' : 's'} read`;
  const line = `reading ${sanitizeText(reference, { singleLine: true })}: ${read}${of}${percent}, ${layers}`;
  return fit(line, width);
}

function fit(line: string, width: number): string {
  return line.length > width ? `${line.slice(0, width - 1)}…` : line.padEnd(width);
}
