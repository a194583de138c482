import { describe, expect, it } from 'vitest';
import { readsLine } from '../../src/report/progress.js';
import type { ReadProgress } from '../../src/archive/read-image-archive.js';

/** One read's line. */
const progressLine = (reference: string, progress: ReadProgress, expectedBytes: number | undefined, columns: number, waitingFor?: string): string =>
  readsLine([{ reference, progress, expectedBytes, ...(waitingFor === undefined ? {} : { waitingFor }) }], columns);

describe('the progress line', () => {
  it('shows bytes read of the expected size, a percentage and layers done, padded to the width', () => {
    const line = progressLine('app:1', { archiveBytes: 250_000_000, blobsDone: 3 }, 1_000_000_000, 80);
    expect(line).toBe('reading app:1: 250 MB of ~1 GB 25%, 3 layers read'.padEnd(79));
  });

  it('says what it waits for while nothing has arrived, and shows bytes from the first one on', () => {
    expect(progressLine('app:1', { archiveBytes: 0, blobsDone: 0 }, 1_000_000_000, 80, 'the engine to start the export')).toBe('reading app:1: waiting for the engine to start the export'.padEnd(79));
    expect(progressLine('f.tar', { archiveBytes: 0, blobsDone: 0 }, undefined, 80)).toBe('reading f.tar: waiting for the first bytes'.padEnd(79));
    expect(progressLine('app:1', { archiveBytes: 1, blobsDone: 0 }, undefined, 80, 'the engine to start the export')).toBe('reading app:1: 1 B, 0 layers read'.padEnd(79));
  });

  it('fits a narrow terminal and never lets a name carry escape sequences', () => {
    const line = progressLine('evil\u001b[2Jname', { archiveBytes: 1, blobsDone: 1 }, undefined, 30);
    expect(line).toHaveLength(29);
    expect(line).not.toContain('\u001b');
    expect(line.endsWith('…')).toBe(true);
  });

  it('shows several reads as one line: their bytes and layers together, against the sum of what each expects', () => {
    const image = { reference: 'app:1', progress: { archiveBytes: 300_000_000, blobsDone: 2 }, expectedBytes: 1_000_000_000 };
    const builder = { reference: 'app:build', progress: { archiveBytes: 200_000_000, blobsDone: 1 }, expectedBytes: 1_500_000_000 };
    expect(readsLine([image, builder], 80)).toBe('reading 2 images: 500 MB of ~2.5 GB 20%, 3 layers read (app:1, app:build)'.padEnd(79));
    // A source that cannot say what it expects: no total, rather than a total that is too small.
    expect(readsLine([image, { ...builder, expectedBytes: undefined }], 80)).toBe('reading 2 images: 500 MB, 3 layers read (app:1, app:build)'.padEnd(79));
  });

  it('says it waits for the engine while nothing has arrived from any of several reads', () => {
    const nothing = { archiveBytes: 0, blobsDone: 0 };
    const file = { reference: 'f.tar', progress: nothing, expectedBytes: 1000 };
    const engine = { reference: 'app:1', progress: nothing, expectedBytes: 1000, waitingFor: 'the engine to start the export' };
    expect(readsLine([file, engine], 80)).toBe('reading 2 images: waiting for the engine to start the export (f.tar, app:1)'.padEnd(79));
    expect(readsLine([file, { ...engine, progress: { archiveBytes: 512, blobsDone: 0 } }], 80)).toBe('reading 2 images: 512 B of ~2 kB 25%, 0 layers read (f.tar, app:1)'.padEnd(79));
  });
});
