import { describe, expect, it } from 'vitest';
import { diveFigures } from '../../src/analysis/dive.js';
import { dir, file, opaque, parseSpec, whiteout, type TarEntrySpec } from '../helpers/archives.js';

async function dive(layers: TarEntrySpec[][]) {
  const image = await parseSpec({ layout: 'docker-save', images: [{ layers }] });
  return diveFigures(image.layers);
}

describe("dive's figures, computed as dive computes them", () => {
  it('sums every version of a rewritten path as waste, the visible copy included', async () => {
    // /a: 100 then 300 → summed 400, smallest 100. /b: 50 once.
    const figures = await dive([[file('a', 100), file('b', 50)], [file('a', 300)]]);
    expect(figures.wastedBytes).toBe(400);
    expect(figures.efficiency).toBeCloseTo((100 + 50) / (400 + 50), 12);
    expect(figures.userWastedPercent).toBeCloseTo(400 / 300, 12);
    expect(figures.inefficiencies).toEqual([{ path: '/a', count: 2, bytes: 400 }]);
  });

  it('counts a whited-out file as a 0-byte version of its path', async () => {
    // /big: 1000 then whiteout (0) → summed 1000, smallest 0; /keep 10.
    const figures = await dive([[file('big', 1000), file('keep', 10)], [file('other', 90), whiteout('big')]]);
    expect(figures.wastedBytes).toBe(1000);
    expect(figures.efficiency).toBeCloseTo((0 + 10 + 90) / (1000 + 10 + 90), 12);
    expect(figures.userWastedPercent).toBeCloseTo(1000 / 90, 12);
  });

  it('misses a directory deleted as a whole: its files were never leaves next to the whiteout', async () => {
    // Layer 0 leaves: /d/x (40), /d/y (60). Layer 1 leaf: the whiteout of /d, sized as the hidden
    // subtree (0 + 40 + 60). Every path is seen once, so nothing is wasted and efficiency is 1.
    const figures = await dive([[dir('d'), file('d/x', 40), file('d/y', 60)], [whiteout('d')]]);
    expect(figures.wastedBytes).toBe(0);
    expect(figures.efficiency).toBe(1);
  });

  it('ignores opaque directories', async () => {
    const figures = await dive([
      [dir('o'), file('o/old', 70)],
      [dir('o'), opaque('o'), file('o/new', 30)],
    ]);
    expect(figures.wastedBytes).toBe(0);
    expect(figures.efficiency).toBe(1);
  });

  it('has no user-wasted percent for a single-layer image, and an efficiency of 1 when empty', async () => {
    expect(await dive([[file('a', 5)]])).toMatchObject({ wastedBytes: 0, efficiency: 1, userWastedPercent: null });
    expect(await dive([[dir('empty')]])).toMatchObject({ efficiency: 1 });
  });

  it('stops a layer at a whiteout of a path it cannot find, after recording it with -1, as dive does', async () => {
    // Layer 1, visited in name order: /.wh.ghost (not in the lower stack → dive's lookup fails and
    // the rest of the layer is skipped: /zzz is never counted). /ghost gets smallest -1, summed 0.
    // Paths: /a (10 then… never), /ghost (-1 / 0), /zzz not seen. Σsmallest = 10 - 1, Σsummed = 10.
    const figures = await dive([[file('a', 10)], [whiteout('ghost'), file('zzz', 500)]]);
    expect(figures.efficiency).toBeCloseTo(9 / 10, 12);
    expect(figures.wastedBytes).toBe(0);
  });
});
