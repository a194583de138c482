// Each layer's step on the Dockerfile, from a step map: what the analysis needs of a map, kept
// apart from the mapping itself so that reading an image without a Dockerfile never loads the
// Dockerfile parser.

import { layerStepIndexes } from '../model/history.js';
import type { HistoryStep } from '../model/types.js';
import type { StepMap, StepPlacement } from './step-map.js';

/** The placement of each layer's step (undefined where the history does not add up to the layers). */
export function layerPlacements(map: StepMap, history: readonly HistoryStep[], layerCount: number): readonly (StepPlacement | undefined)[] {
  return layerStepIndexes(history, layerCount).map((at) => (at === undefined ? undefined : map.steps[at]));
}
