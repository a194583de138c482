import { describe, expect, it } from 'vitest';
import { progressLine } from '../../src/report/progress.js';

describe('the progress line', () => {
  it('shows bytes read of the expected size, a percentage and layers done, padded to the width', () => {
    const line = progressLine('app:1', { archiveBytes: 250_000_000, blobsDone: 3 }, 1_000_000_000, 80);
    expect(line).toBe('reading app:1: 250 MB of ~1 GB 25%, 3 layers read'.padEnd(79));
  });

  it('fits a narrow terminal and never lets a name carry escape sequences', () => {
    const line = progressLine('evil\u001b[2Jname', { archiveBytes: 1, blobsDone: 1 }, undefined, 30);
    expect(line).toHaveLength(29);
    expect(line).not.toContain('\u001b');
    expect(line.endsWith('…')).toBe(true);
  });
});
