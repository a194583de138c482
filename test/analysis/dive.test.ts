import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyseImage } from '../../src/analysis/analyse.js';
import { diveFigures } from '../../src/analysis/dive.js';
import { dir, file, opaque, parseSpec, whiteout, type TarEntrySpec } from '../helpers/archives.js';
import { layerArb, layersFrom } from '../helpers/random-trees.js';

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

  it('looks whiteouts up in the stack of the layers below: what earlier whiteouts removed, and the parents a path made', async () => {
    // Layer 1 whites out d/x (0 B: a file in the stack) and adds f/g/h with no entries for f or
    // f/g: stacking makes them as dive's AddPath does, plain nodes of 0 B. Layer 2, in name order:
    // .wh.d sized as d's subtree in the stack, which lost x to layer 1 (60 B, not 100); f/.wh.g
    // found (a plain node: 0 B), so the visit goes on to z (1 B). Layer 1 writes d again: without
    // that entry its d would be a plain node too, stacked over the directory, and .wh.d 0 B.
    const figures = await dive([
      [dir('d'), file('d/x', 40), file('d/y', 60)],
      [dir('d'), whiteout('d/x'), file('e', 5), file('f/g/h', 7)],
      [whiteout('d'), whiteout('f/g'), file('z', 1)],
    ]);
    // d/x 40 + 0 (count 2, smallest 0), d/y 60, e 5, f/g/h 7, d 60, f/g 0, z 1.
    expect(figures.wastedBytes).toBe(40);
    expect(figures.efficiency).toBeCloseTo((0 + 60 + 5 + 7 + 60 + 0 + 1) / (40 + 60 + 5 + 7 + 60 + 0 + 1), 12);
    expect(figures.userWastedPercent).toBeCloseTo(40 / (5 + 7 + 1), 12);
  });

  it('stops a layer at a whiteout of a path it cannot find, after recording it with -1, as dive does', async () => {
    // Layer 1, visited in name order: /.wh.ghost (not in the lower stack → dive's lookup fails and
    // the rest of the layer is skipped: /zzz is never counted). /ghost gets smallest -1, summed 0.
    // Paths: /a (10 then… never), /ghost (-1 / 0), /zzz not seen. Σsmallest = 10 - 1, Σsummed = 10.
    const figures = await dive([[file('a', 10)], [whiteout('ghost'), file('zzz', 500)]]);
    expect(figures.efficiency).toBeCloseTo(9 / 10, 12);
    expect(figures.wastedBytes).toBe(0);
  });

  it('sizes a whited-out directory by what the layers below left in it, stacked layer by layer', async () => {
    // Layer 0 leaves: /d/x 40, /d/y 60, /u/big 1000. Layer 1: /d/.wh.x (d/x is a file below: 0),
    // /d/z 25, /u/other 7; its stack drops d/x, adds d/z. Layer 2: /.wh.d, sized as what the stack
    // holds under d: d/y 60 + d/z 25 = 85; then /w 5. Only d/x repeats: wasted 40 (40 + 0).
    // Σsmallest = 0 + 60 + 1000 + 25 + 7 + 85 + 5 = 1182; Σsummed = 40 + 60 + 1000 + 25 + 7 + 85 + 5 = 1222.
    const figures = await dive([
      [dir('d'), file('d/x', 40), file('d/y', 60), dir('u'), file('u/big', 1000)],
      [dir('d'), whiteout('d/x'), file('d/z', 25), file('u/other', 7)],
      [whiteout('d'), file('w', 5)],
    ]);
    expect(figures.efficiency).toBeCloseTo(1182 / 1222, 12);
    expect(figures.inefficiencies).toEqual([{ path: '/d/x', count: 2, bytes: 40 }]);
    expect(figures.userWastedPercent).toBeCloseTo(40 / (25 + 7 + 5), 12);
  });
});

describe("dive's reading of a legacy docker save whose layer.tar is a symlink to an identical layer", () => {
  // Layer 0: app/data (1,000 B) and app/conf (10 B). Layers 1 and 2: app/data again, mode 0600,
  // byte-identical tars (a chmod, then one that changes nothing): docker save stores layer 2 as a
  // symlink to layer 1's tar, and dive reads that symlink member as an empty layer.
  const data = 'x'.repeat(1000);
  const chmod = [dir('app'), file('app/data', data, 0o600)];
  const layers = [[dir('app'), file('app/data', data), file('app/conf', 10)], chmod, chmod];

  it('reads the linked layer as empty in the dive figures, worked out by hand from dive\'s algorithm', async () => {
    const image = await parseSpec({ layout: 'docker-save', images: [{ layers }] });
    expect(image.layers.map((layer) => layer.linked ?? false)).toEqual([false, false, true]);
    const figures = diveFigures(image.layers);
    // /app/data: 1,000 (layer 0) + 1,000 (layer 1) + nothing from the empty layer 2 = 2,000 over 2
    // versions, smallest 1,000; /app/conf: 10 once. Efficiency (1,000 + 10) / (2,000 + 10);
    // wasted 2,000; user size = layer 1 (1,000) + layer 2 (0), so user wasted = 2.
    expect(figures.wastedBytes).toBe(2000);
    expect(figures.efficiency).toBeCloseTo(1010 / 2010, 12);
    expect(figures.userWastedPercent).toBe(2);
    expect(figures.inefficiencies).toEqual([{ path: '/app/data', count: 2, bytes: 2000 }]);
  });

  it("keeps layerscope's own figures true: the linked layer's bytes are shipped and counted", async () => {
    const analysis = analyseImage(await parseSpec({ layout: 'docker-save', images: [{ layers }] }));
    // All three copies of app/data ship; the first two are unreachable, hidden by layer 2's.
    expect(analysis.figures).toMatchObject({ imageBytes: 3010, finalBytes: 1010, unreachableBytes: 2000 });
  });

  it('reads an OCI layout of the same image in full: its blobs are never links', async () => {
    const image = await parseSpec({ layout: 'oci', images: [{ layers }] });
    // Without the quirk: /app/data 3 × 1,000 (smallest 1,000), /app/conf 10; user size 2,000.
    expect(diveFigures(image.layers)).toMatchObject({ wastedBytes: 3000, userWastedPercent: 1.5 });
  });
});

describe("dive's figures without a tree for a plain layer (entries alone)", () => {
  // A layer with no whiteout, opaque marker or shadowed entry is counted from its entries (its
  // leaves: entries with nothing below them), and only what a whiteout's lookup can reach of it
  // is stacked. Whatever the layers, the figures must be those of the walk of every whole tree.
  const plainArb = layerArb.map((layer) => ({ ...layer, whiteouts: [], opaqueDirs: [] }));
  const stackArb = fc.array(fc.oneof(plainArb, layerArb), { minLength: 1, maxLength: 5 });

  it('equal the whole-tree walk on random stacks of plain layers, whiteouts and opaque directories', () => {
    let plainBeforeWhiteout = 0;
    fc.assert(
      fc.property(stackArb, (stack) => {
        const layers = layersFrom(stack);
        const whiteoutAt = layers.findIndex((layer) => layer.contents.whiteouts.length > 0);
        if (whiteoutAt > 0 && layers.slice(0, whiteoutAt).some((layer) => layer.contents.whiteouts.length === 0 && layer.contents.opaqueDirs.length === 0)) plainBeforeWhiteout++;
        expect(diveFigures(layers)).toEqual(diveFigures(layers, { plainLayers: false }));
      }),
      { numRuns: 2000 },
    );
    // The case that needs the pruned tree: a plain layer stacked below a whiteout that looks into it.
    expect(plainBeforeWhiteout).toBeGreaterThan(200);
  });

  it('counts a plain layer by hand: its leaves only, a file below a file included', () => {
    // Leaves: a/b/c (5), a/d (dir, 0), e (7); a and a/b have entries below them.
    const layers = [{ contents: { entries: [entry('a', 'dir'), entry('a/b', 'file', 3), entry('a/b/c', 'file', 5), entry('a/d', 'dir'), entry('e', 'file', 7)], whiteouts: [], opaqueDirs: [], tarBytes: 0, compression: 'none' as const } }];
    const paths = diveFigures([...layers, ...layers]).inefficiencies.map((row) => row.path);
    expect(paths.sort()).toEqual(['/a/b/c', '/a/d', '/e']);
  });
});

function entry(path: string, type: 'file' | 'dir', size = 0) {
  return { path, type, size, mode: 0o644, uid: 0, gid: 0 };
}
