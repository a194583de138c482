// Random layer stacks over a small set of paths (fast-check), so whiteouts, opaque directories,
// directories replaced by files and re-added paths meet each other often.
import fc from 'fast-check';
import { buildFileTree, type FileTree } from '../../src/model/file-tree.js';
import type { Entry, EntryType, LayerContents } from '../../src/model/types.js';

const NAMES = ['a', 'b', 'c'];
export const PATHS = NAMES.flatMap((x) => [x, ...NAMES.flatMap((y) => [`${x}/${y}`, ...NAMES.slice(0, 2).map((z) => `${x}/${y}/${z}`)])]);

const entryArb = fc.record({
  path: fc.constantFrom(...PATHS),
  type: fc.constantFrom<EntryType>('file', 'file', 'dir', 'dir', 'symlink'),
  size: fc.integer({ min: 1, max: 1000 }),
});
export const layerArb = fc.record({
  entries: fc.array(entryArb, { maxLength: 8 }),
  whiteouts: fc.array(fc.constantFrom(...PATHS), { maxLength: 2 }),
  opaqueDirs: fc.array(fc.constantFrom(...PATHS), { maxLength: 1 }),
});

type RandomLayer = { entries: readonly { path: string; type: EntryType; size: number }[]; whiteouts: readonly string[]; opaqueDirs: readonly string[] };

/** The layers as the parser gives them: one entry per path (the last), each whiteout and opaque marker once. */
export function layersFrom(layers: readonly RandomLayer[]): { contents: LayerContents }[] {
  return layers.map((layer): { contents: LayerContents } => {
    const byPath = new Map<string, Entry>();
    for (const e of layer.entries) {
      byPath.set(e.path, { path: e.path, type: e.type, size: e.type === 'file' ? e.size : 0, mode: 0o644, uid: 0, gid: 0, ...(e.type === 'symlink' ? { linkTarget: 'x' } : {}) });
    }
    return { contents: { entries: [...byPath.values()], whiteouts: [...new Set(layer.whiteouts)], opaqueDirs: [...new Set(layer.opaqueDirs)], tarBytes: 0, compression: 'none' } };
  });
}

export function treeFrom(layers: readonly RandomLayer[]): FileTree {
  return buildFileTree({ layers: layersFrom(layers) });
}
