import { describe, expect, it } from 'vitest';
import { analyseLayers, dir, file, opaque, whiteout } from '../helpers/archives.js';

describe('layerscope figures', () => {
  it('counts a file deleted later and a file overwritten later as unreachable', async () => {
    // layer 0: a 100 B, b 40 B, c 7 B; layer 1: a rewritten to 30 B, b deleted.
    const analysis = await analyseLayers([
      [file('a', 100), file('b', 40), file('c', 7)],
      [file('a', 30), whiteout('b')],
    ]);
    expect(analysis.figures).toEqual({
      imageBytes: 177, // 147 + 30
      finalBytes: 37, // a (30) + c (7)
      unreachableBytes: 140, // the first a (100) + b (40)
      removableBytes: 0,
      finalFiles: 2,
    });
    expect(analysis.layers.map((layer) => [layer.bytes, layer.unreachableBytes])).toEqual([
      [147, 140],
      [30, 0],
    ]);
  });

  it('counts a whole directory removed with rm -rf, which dive misses', async () => {
    const analysis = await analyseLayers([
      [dir('build'), file('build/a.o', 1000), dir('build/sub'), file('build/sub/b.o', 2000), file('keep', 5)],
      [whiteout('build')],
    ]);
    expect(analysis.figures.unreachableBytes).toBe(3000);
    expect(analysis.figures.finalBytes).toBe(5);
    expect(analysis.dive.wastedBytes).toBe(0);
  });

  it('counts what an opaque directory hid as unreachable', async () => {
    const analysis = await analyseLayers([
      [dir('opq'), file('opq/old', 300)],
      [dir('opq'), opaque('opq'), file('opq/new', 20)],
    ]);
    expect(analysis.figures).toMatchObject({ imageBytes: 320, finalBytes: 20, unreachableBytes: 300 });
  });

  it('counts the bytes behind hardlinks once, and keeps a deleted target reachable through its link', async () => {
    const analysis = await analyseLayers([
      [dir('bin'), file('bin/tool', 500), { name: 'bin/alias', type: 'link', linkname: 'bin/tool' }],
      [whiteout('bin/tool')],
    ]);
    // The link still shows the 500 bytes: nothing is unreachable, and they count once.
    expect(analysis.figures).toEqual({ imageBytes: 500, finalBytes: 500, unreachableBytes: 0, removableBytes: 0, finalFiles: 1 });
  });

  it('keeps image bytes = final bytes + unreachable bytes on a mixed image', async () => {
    const analysis = await analyseLayers([
      [dir('x'), file('x/1', 11), file('x/2', 22), file('y', 33)],
      [dir('x'), opaque('x'), file('x/3', 44), file('y', 55)],
      [whiteout('x'), file('z', 66), { name: 'zz', type: 'link', linkname: 'z' }],
    ]);
    const { imageBytes, finalBytes, unreachableBytes } = analysis.figures;
    expect([imageBytes, finalBytes, unreachableBytes]).toEqual([231, 121, 110]);
    expect(finalBytes + unreachableBytes).toBe(imageBytes);
  });

  it('lists the largest files of the final tree with the layer that wrote them', async () => {
    const analysis = await analyseLayers([[file('small', 1), file('big', 900)], [file('mid', 50), whiteout('big')]]);
    expect(analysis.largestFiles()).toEqual([
      { path: 'mid', bytes: 50, layer: 1 },
      { path: 'small', bytes: 1, layer: 0 },
    ]);
  });

  it('lists only the largest ones when asked for a few, the same as the head of the whole list', async () => {
    // Final files by size: e 9, b 7, c 7, a 5, d 1 (b before c: same size, then by path).
    const analysis = await analyseLayers([[file('a', 5), file('b', 7), file('e', 2)], [file('c', 7), file('d', 1), file('e', 9)]]);
    const all = analysis.largestFiles().map((f) => `${f.path}:${f.bytes}`);
    expect(all).toEqual(['e:9', 'b:7', 'c:7', 'a:5', 'd:1']);
    expect(analysis.largestFiles(3).map((f) => `${f.path}:${f.bytes}`)).toEqual(['e:9', 'b:7', 'c:7']);
    expect(analysis.largestFiles(1)).toEqual([{ path: 'e', bytes: 9, layer: 1 }]);
    expect(analysis.largestFiles(10).map((f) => `${f.path}:${f.bytes}`)).toEqual(all);
  });
});

describe('a path twice in one layer tar', () => {
  it('counts every copy in the layer, the earlier one as unreachable (overwritten in that layer)', async () => {
    // layer 0: a 100 B, then a again 30 B (extraction keeps the 30 B copy), b 7 B.
    const analysis = await analyseLayers([[file('a', 100), file('b', 7), file('a', 30)]]);
    expect(analysis.figures).toMatchObject({ imageBytes: 137, finalBytes: 37, unreachableBytes: 100 });
    expect(analysis.layers[0]?.bytes).toBe(137);
    const overwritten = analysis.findings.find((finding) => finding.ruleId === 'overwritten');
    expect(overwritten).toMatchObject({ bytes: 100, files: 1, layer: { index: 0 }, hiddenBy: { index: 0 } });
    expect(overwritten?.advice).toContain("tar holds these paths more than once: every copy ships, only the last is seen");
  });

  it('follows the last entry in the tree: nothing stays under a directory the tar later turns into a file', async () => {
    // layer 0: d/ with d/x (50 B) and d/y (60 B), then d as a 5 B file; layer 1 adds e (1 B).
    const analysis = await analyseLayers([[dir('d'), file('d/x', 50), file('d/y', 60), file('d', 5)], [file('e', 1)]]);
    expect(analysis.largestFiles().map((f) => [f.path, f.bytes])).toEqual([['d', 5], ['e', 1]]);
    expect(analysis.figures).toMatchObject({ imageBytes: 116, finalBytes: 6, unreachableBytes: 110 });
    expect(analysis.figures.imageBytes).toBe(analysis.figures.finalBytes + analysis.figures.unreachableBytes);
  });

  it('keeps dive\'s reading of such a tar in the dive figures: the last copy of a path, children kept', async () => {
    // dive counts the layer's size over every entry (137 B) and sees one path a (30 B) and b (7 B):
    // nothing repeats across layers, so nothing is wasted and efficiency is 1.
    const analysis = await analyseLayers([[file('x', 1)], [file('a', 100), file('b', 7), file('a', 30)]]);
    expect(analysis.dive).toMatchObject({ efficiency: 1, wastedBytes: 0, userWastedPercent: 0 });
  });
});
