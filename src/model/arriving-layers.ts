// Layers as the archive delivers them (in any order), placed by diff ID, and the file tree of
// those explorable so far: the ones read without a gap from the first, grown a layer at a time.
import { buildFileTree } from './file-tree.js';
import { growIndexedTree } from './growing-tree.js';
import { indexTree, type TreeIndex } from './tree-view.js';
import type { LayerContents } from './types.js';

const NO_FLAGS: ReadonlySet<string> = new Set();

/** Layers as the archive delivers them, placed by diff ID: the explorable ones are those read without a gap from the first. */
export class ArrivingLayers {
  private readonly contents = new Map<number, LayerContents>();
  /** The last tree built. */
  private latest: TreeIndex | undefined;
  constructor(private readonly diffIds: readonly string[]) {}

  /** Places a finished layer (a layer stored twice fills both places); returns how many are explorable. */
  place(layer: LayerContents): number {
    this.diffIds.forEach((diffId, index) => {
      if (diffId === layer.diffId) this.contents.set(index, layer);
    });
    let ready = 0;
    while (this.contents.has(ready)) ready++;
    return ready;
  }

  get(index: number): LayerContents | undefined {
    return this.contents.get(index);
  }

  /**
   * The first `count` layers' file tree, indexed for the views: the last one built, grown by the
   * layers above it (each layer's paths added once, not every path again).
   */
  treeOf(count: number): TreeIndex {
    let index = this.latest ?? indexTree(buildFileTree({ layers: [] }), NO_FLAGS);
    if (index.tree.layerCount > count) throw new Error(`the tree holds ${index.tree.layerCount} layers, more than the ${count} asked for`);
    for (let layer = index.tree.layerCount; layer < count; layer++) {
      const contents = this.contents.get(layer);
      if (!contents) throw new Error(`layer ${layer} is not placed yet`);
      index = growIndexedTree(index, contents);
    }
    this.latest = index;
    return index;
  }

  /**
   * The tree of every layer of the image (the last one built, when it is), when each was placed
   * here: its file tree is buildFileTree(image), which the analysis then need not build again (and
   * hold beside this one). Undefined when the image holds a layer not placed here.
   */
  treeOfAll(image: { readonly layers: readonly { readonly contents: LayerContents }[] }): TreeIndex | undefined {
    if (!image.layers.every((layer, index) => this.contents.get(index) === layer.contents)) return undefined;
    return this.latest?.tree.layerCount === image.layers.length ? this.latest : this.treeOf(image.layers.length);
  }
}
