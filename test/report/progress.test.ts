import { describe, expect, it } from 'vitest';
import { progressLine } from '../../src/report/progress.js';

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
});
