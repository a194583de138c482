// Each layer's origin as the Dockerfile says (layerscope build): the image's history steps placed
// on the Dockerfile's instructions by step-map.ts, then RUN → run, COPY/ADD → the context, a stage
// (named as the build named it) or an image, the base image's steps → base.

import type { DockerfileProvenance, LayerOrigin } from '../analysis/provenance.js';
import type { ParsedImage } from '../model/types.js';
import { layerPlacements, mapSteps } from './step-map.js';

export function dockerfileOrigins(image: Pick<ParsedImage, 'history' | 'layers'>, provenance: DockerfileProvenance): (LayerOrigin | undefined)[] {
  const dockerfile = provenance.dockerfile;
  if (!dockerfile) return image.layers.map(() => undefined);
  const map = mapSteps(dockerfile.text, image.history, {
    file: dockerfile.file,
    buildArgs: dockerfile.buildArgs,
    ...(dockerfile.target === undefined ? {} : { target: dockerfile.target }),
  });
  return layerPlacements(map, image.history, image.layers.length).map((placement): LayerOrigin | undefined => {
    if (placement === undefined || placement.kind === 'unplaced') return undefined;
    if (placement.kind === 'base') return { kind: 'base' };
    if (placement.keyword === 'RUN') return { kind: 'run' };
    const origin = placement.origin;
    if (!origin) return { kind: 'other' };
    if (origin.kind === 'context') return { kind: 'context' };
    if (origin.kind === 'image') return { kind: 'stage', stage: origin.image };
    return { kind: 'stage', stage: provenance.stageNames?.[origin.stage] ?? origin.name ?? `${origin.stage}` };
  });
}
