import { describe, expect, it } from 'vitest';
import { buildFileTree, visitMerged, walk, type FileTree } from '../../src/model/file-tree.js';
import { growIndexedTree } from '../../src/model/growing-tree.js';
import { indexTree, type TreeIndex } from '../../src/model/tree-index.js';
import type { ParsedImage } from '../../src/model/types.js';
import { dir, file, opaque, parseSpec, whiteout, type TarEntrySpec } from '../helpers/archives.js';

/** Every node as `path: layer[w][o][=size]…`, in walk order, then each layer's touched paths. */
function described(tree: FileTree): string[] {
  const nodes = [...walk(tree.root)].map((node) => `${node.path}: ${node.versions.map((v) => `${v.layer}${v.whiteout ? 'w' : ''}${v.opaque ? 'o' : ''}${v.entry ? `=${v.entry.type}:${v.entry.size}` : ''}`).join(' ')}`);
  return [...nodes, ...tree.touched.map((nodes, layer) => `touched ${layer}: ${nodes.map((node) => node.path).join(' ')}`), `layers ${tree.layerCount}`];
}

function touchedBy(index: TreeIndex): string[] {
  return [...walk(index.tree.root)].map((node) => `${node.path}: ${(index.touchedBy.get(node) ?? []).join(',')}`);
}

function merged(tree: FileTree, layer: number): string[] {
  const lines: string[] = [];
  visitMerged(tree, layer, (node, version) => lines.push(version?.entry ? `${node.path} ${version.entry.type} ${version.entry.size}` : `${node.path} dir*`));
  return lines;
}

/** Grown from nothing, a layer at a time, each step's index kept. */
function grown(image: ParsedImage): TreeIndex[] {
  const steps: TreeIndex[] = [];
  let index = indexTree(buildFileTree({ layers: [] }), new Set());
  for (const layer of image.layers) steps.push((index = growIndexedTree(index, layer.contents)));
  return steps;
}

// Layers that add below directories lower layers made, replace a directory by a file and back,
// white out a file and a directory, make a directory opaque, and white out and rewrite one path in one layer.
const layers: TarEntrySpec[][] = [
  [dir('etc'), file('etc/motd', 'one'), dir('usr'), dir('usr/lib'), file('usr/lib/a.so', 100), file('usr/lib/c.so', 300), dir('tmp'), file('tmp/x', 7)],
  [dir('usr/lib'), file('usr/lib/b.so', 200), file('usr/lib-extra', 5), whiteout('tmp'), file('etc/motd', 'three')],
  [opaque('usr/lib'), file('usr/lib/d.so', 400), file('tmp', 'now a file'), dir('var'), file('var/log', 1)],
  [whiteout('etc/motd'), file('etc/motd', 'four!'), whiteout('var'), dir('a-first'), file('a-first/z', 2)],
];

describe('a tree grown a layer at a time', () => {
  it('is the tree built from all its layers at once: nodes, versions, children order, touched lists and the index', async () => {
    const image = await parseSpec({ layout: 'docker-save', images: [{ layers }] });
    const steps = grown(image);
    for (let count = 1; count <= layers.length; count++) {
      const built = indexTree(buildFileTree({ layers: image.layers.slice(0, count) }), new Set());
      const step = steps[count - 1] as TreeIndex;
      // Later layers were grown into the same nodes since: only the last step is compared whole.
      if (count === layers.length) {
        expect(described(step.tree)).toEqual(described(built.tree));
        expect(touchedBy(step)).toEqual(touchedBy(built));
      }
      expect(step.tree.layerCount).toBe(count);
      expect(described(step.tree).filter((line) => line.startsWith('touched'))).toEqual(described(built.tree).filter((line) => line.startsWith('touched')));
    }
  });

  it('leaves what a lower layer shows unchanged as layers are added above it', async () => {
    const image = await parseSpec({ layout: 'docker-save', images: [{ layers }] });
    const first = grown({ ...image, layers: image.layers.slice(0, 2) });
    const before = [merged((first[1] as TreeIndex).tree, 0), merged((first[1] as TreeIndex).tree, 1)];
    expect(before[1]).toEqual(['etc dir 0', 'etc/motd file 5', 'usr dir 0', 'usr/lib dir 0', 'usr/lib/a.so file 100', 'usr/lib/b.so file 200', 'usr/lib/c.so file 300', 'usr/lib-extra file 5']);
    const all = grown(image).at(-1) as TreeIndex;
    expect([merged(all.tree, 0), merged(all.tree, 1)]).toEqual(before);
    expect(merged(all.tree, 3)).toEqual(['a-first dir 0', 'a-first/z file 2', 'etc dir 0', 'etc/motd file 5', 'tmp file 10', 'usr dir 0', 'usr/lib dir 0', 'usr/lib/d.so file 400', 'usr/lib-extra file 5']);
  });
});
