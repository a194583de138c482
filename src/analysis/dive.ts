// dive's figures, computed the way dive computes them (dive/filetree/efficiency.go), so that a
// `.dive-ci` threshold means the same here. They are labelled as dive's everywhere: they have
// blind spots layerscope's own figures do not share (see ../../README.md, "The figures").
//
// dive builds one tree per layer from its tar, visits each layer's leaf nodes (children first,
// names in byte order) and, per path, sums the sizes of every version and keeps the smallest. A
// whiteout counts 0 when it hides a file and the whole hidden subtree when it hides a directory,
// looked up in dive's stack of the lower layers — which ignores opaque markers, keeps a directory's
// children when a file replaces it, and aborts the rest of a layer's visit when a whiteout names a
// path that stack lacks (after recording the path with a smallest size of -1). All reproduced here.
// A layer of entries alone (most layers) is counted without a tree: its leaves are the entries with
// nothing below them, and only what a whiteout's lookup can reach of it is stacked (dive-tree.ts).

import { layerBytes } from './figures.js';
import type { LayerContents } from '../model/types.js';
import { byBytesDescThenPath } from '../model/order.js';
import { getNode, prune, subtreeSize, whiteoutScope } from './dive-scope.js';
import { layerTree, plainLayer, stack, visitLeaves, visitPlainLeaves, WHITEOUT, type DiveNode } from './dive-tree.js';

export interface DiveFigures {
  /** Σ smallest size / Σ summed size over all paths; 1 when nothing was counted. */
  readonly efficiency: number;
  /** Σ summed size over paths seen in two or more layers (the visible copy included). */
  readonly wastedBytes: number;
  /** wastedBytes / bytes of all layers but the first, as a fraction (0.05 is 5%), as dive has it; null when those layers are empty. */
  readonly userWastedPercent: number | null;
  /** The paths behind wastedBytes, largest first. */
  readonly inefficiencies: readonly DiveInefficiency[];
}

export interface DiveInefficiency {
  readonly path: string;
  readonly count: number;
  readonly bytes: number;
}

export interface DiveOptions {
  /**
   * Plain layers (plainLayer) without a tree of their own: the default. False walks every layer's
   * whole tree, as dive does; the figures are the same (test/analysis/dive.test.ts checks both).
   */
  readonly plainLayers?: boolean;
}

export function diveFigures(layers: readonly DiveLayer[], options: DiveOptions = {}): DiveFigures {
  const rows = new PathRows();
  let stacked: DiveNode | undefined;
  const scope = whiteoutScope(layers.map((layer) => diveContents(layer).whiteouts));
  layers.forEach((layer, index) => {
    const contents = diveContents(layer);
    let tree: DiveNode;
    if (options.plainLayers !== false && plainLayer(contents)) {
      visitPlainLeaves(contents, (path, size) => rows.tally(path, size));
      // The stack reads only what a whiteout's lookup reaches: the layer's tree need hold no more.
      tree = layerTree(contents, (entry) => scope.reaches(entry.path));
    } else {
      tree = layerTree(contents);
      const lower = index === 0 ? tree : (stacked as DiveNode);
      visitLeaves(tree, (node, path) => {
        let size = node.size;
        if (node.name.startsWith(WHITEOUT)) {
          const previous = getNode(lower, path);
          if (!previous) {
            rows.row(path);
            return false; // dive returns the lookup error: the layer's visit stops here
          }
          size = previous.isDir ? subtreeSize(previous) : 0;
        }
        rows.tally(path, size);
        return true;
      });
    }
    // Layer 0's tree becomes the stack itself (stacking a tree onto a copy of itself changes
    // nothing), each later layer is stacked onto it; it keeps only what a whiteout's lookup reaches.
    if (index === 0) stacked = prune(tree, scope.related);
    else stack(stacked as DiveNode, tree, scope.related);
  });
  const { smallest, cumulative, wastedBytes, inefficiencies } = rows.totals();
  const userBytes = layers.slice(1).reduce((total, layer) => total + layerBytes(diveContents(layer)), 0);
  return {
    efficiency: cumulative === 0 ? 1 : smallest / cumulative,
    wastedBytes,
    userWastedPercent: userBytes === 0 ? null : wastedBytes / userBytes,
    inefficiencies,
  };
}

/** Per path (no leading `/`), a row of three columns: no object per path. */
class PathRows {
  private readonly paths = new Map<string, number>();
  private readonly cumulatives: number[] = [];
  private readonly smallests: number[] = [];
  private readonly counts: number[] = [];

  /** The path's row, made (nothing counted, a smallest size of -1) when it has none. */
  row(path: string): number {
    let at = this.paths.get(path);
    if (at === undefined) {
      at = this.cumulatives.length;
      this.paths.set(path, at);
      this.cumulatives.push(0);
      this.smallests.push(-1);
      this.counts.push(0);
    }
    return at;
  }

  /** One version of a path, as dive's visit of a layer's leaves counts it. */
  tally(path: string, size: number): void {
    const at = this.row(path);
    this.cumulatives[at] = (this.cumulatives[at] as number) + size;
    const smallest = this.smallests[at] as number;
    if (smallest < 0 || size < smallest) this.smallests[at] = size;
    this.counts[at] = (this.counts[at] as number) + 1;
  }

  /** Σ smallest and Σ summed over every path; the paths counted twice or more, largest first. */
  totals(): { smallest: number; cumulative: number; wastedBytes: number; inefficiencies: DiveInefficiency[] } {
    let smallest = 0;
    let cumulative = 0;
    let wastedBytes = 0;
    const inefficiencies: DiveInefficiency[] = [];
    for (const [path, at] of this.paths) {
      const summed = this.cumulatives[at] as number;
      const count = this.counts[at] as number;
      smallest += this.smallests[at] as number;
      cumulative += summed;
      if (count >= 2) {
        wastedBytes += summed;
        inefficiencies.push({ path: `/${path}`, count, bytes: summed });
      }
    }
    return { smallest, cumulative, wastedBytes, inefficiencies: inefficiencies.sort(byBytesDescThenPath) };
  }
}

/** A layer as dive reads it. */
export interface DiveLayer {
  readonly contents: LayerContents;
  readonly linked?: true;
}

const EMPTY: LayerContents = { entries: [], whiteouts: [], opaqueDirs: [], tarBytes: 0, compression: 'none' };

/**
 * dive (image/docker/image_archive.go, v0.12.0 and v0.13.1) reads each `*.tar` member of a legacy
 * archive through a tar reader over the member's own content: a symlinked layer.tar has none, so
 * that layer is an empty tree of size 0 (in the efficiency and in the user-size denominator).
 */
function diveContents(layer: DiveLayer): LayerContents {
  return layer.linked ? EMPTY : layer.contents;
}

