// The figures split at the end of the base image: what came with the base (no edit of the user's
// Dockerfile removes it; only another base does) and what the user's own layers added. Defined
// once here:
//   bytes        Σ layer bytes of the part's layers
//   unreachable  Σ unreachable bytes shipped by the part's layers (a base file deleted by your RUN
//                is still the base's: deleting it later does not shrink the base layer)
//   removable    Σ bytes of the path findings (flagged final-tree files) whose layer is in the part
//   wasted       unreachable + removable: what an edit of that part could take out of the image
// base + own = the image's figure, for each.

import { layerBytes } from './figures.js';
import type { Finding } from './findings.js';
import type { BaseBoundary } from './provenance.js';
import type { LayerContents } from '../model/types.js';

export interface PartFigures {
  readonly layers: number;
  readonly bytes: number;
  readonly unreachableBytes: number;
  readonly removableBytes: number;
  readonly wastedBytes: number;
  readonly findings: number;
}

export interface BaseSplit {
  readonly boundary: BaseBoundary;
  readonly base: PartFigures;
  readonly own: PartFigures;
}

export function splitByBase(
  boundary: BaseBoundary,
  layers: readonly { readonly contents: LayerContents }[],
  unreachableByLayer: readonly number[],
  findings: readonly Pick<Finding, 'layer' | 'hiddenBy' | 'bytes'>[],
): BaseSplit {
  const part = (inPart: (layer: number) => boolean): PartFigures => {
    let bytes = 0;
    let unreachableBytes = 0;
    let count = 0;
    layers.forEach((layer, index) => {
      if (!inPart(index)) return;
      count++;
      bytes += layerBytes(layer.contents);
      unreachableBytes += unreachableByLayer[index] ?? 0;
    });
    const mine = findings.filter((finding) => inPart(finding.layer.index));
    const removableBytes = mine.filter((finding) => !finding.hiddenBy).reduce((sum, finding) => sum + finding.bytes, 0);
    return { layers: count, bytes, unreachableBytes, removableBytes, wastedBytes: unreachableBytes + removableBytes, findings: mine.length };
  };
  return { boundary, base: part((index) => index < boundary.layers), own: part((index) => index >= boundary.layers) };
}
