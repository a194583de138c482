import { describe, expect, it } from 'vitest';
import { formatSize } from '../../src/report/format-size.js';

describe('the one size formatter', () => {
  it('rounds to three significant digits as `docker images` does', () => {
    // `docker images` on this engine: 1997507 bytes is 2MB, 1987009 is 1.99MB, 2092601 is 2.09MB.
    expect(formatSize(1_997_507)).toBe('2 MB');
    expect(formatSize(1_987_009)).toBe('1.99 MB');
    expect(formatSize(2_092_601)).toBe('2.09 MB');
    // Rounded, never cut: 16.75 MB is 16.8 MB, 811.56 MB is 812 MB.
    expect(formatSize(16_750_000)).toBe('16.8 MB');
    expect(formatSize(811_560_000)).toBe('812 MB');
    expect(formatSize(999)).toBe('999 B');
    expect(formatSize(1_000)).toBe('1 kB');
    expect(formatSize(0)).toBe('0 B');
  });
});
