// Each layer's origin as the Dockerfile says (--dockerfile, layerscope build): the history's steps
// placed on the Dockerfile's instructions by step-map.ts, then RUN → run, COPY/ADD → the context, a
// stage (named as the build named it) or an image, the base image's steps → base.

import type { LayerOrigin } from '../analysis/provenance.js';
import type { StepPlacement } from './step-map.js';

export function originsOfPlacements(
  placements: readonly (StepPlacement | undefined)[],
  stageNames: Readonly<Record<number, string>> = {},
): (LayerOrigin | undefined)[] {
  return placements.map((placement): LayerOrigin | undefined => {
    if (placement === undefined || placement.kind === 'unplaced') return undefined;
    if (placement.kind === 'base') return { kind: 'base' };
    if (placement.keyword === 'RUN') return { kind: 'run' };
    const origin = placement.origin;
    if (!origin) return { kind: 'other' };
    if (origin.kind === 'context') return { kind: 'context' };
    if (origin.kind === 'image') return { kind: 'stage', stage: origin.image };
    return { kind: 'stage', stage: stageNames[origin.stage] ?? origin.name ?? `${origin.stage}` };
  });
}
