import { describe, expect, it } from 'vitest';
import { analyseLayers, dir, file, parseSpec } from '../helpers/archives.js';

describe('smoke', () => {
  it('reads a two-layer legacy archive', async () => {
    const a = await analyseLayers([[dir('etc'), file('etc/a', 'hello')], [file('etc/a', 'bye!!!!')]]);
    expect(a.figures).toEqual({ imageBytes: 12, finalBytes: 7, unreachableBytes: 5, finalFiles: 1 });
  });
  it('reads an OCI zstd archive', async () => {
    const image = await parseSpec({ layout: 'oci', compression: 'zstd', images: [{ layers: [[file('x', 'abc')]] }] });
    expect(image.layers[0]?.contents.entries[0]?.path).toBe('x');
  });
});
