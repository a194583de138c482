// Where each layer of an image came from: the base image, or one of the user's own instructions
// (a RUN, a COPY from the build context, a COPY --from another stage). Said only as far as the
// history or the Dockerfile says so (STYLE.md 24): the classic builder records `COPY --from=deps …`
// exactly like a COPY from the context (`COPY dir:<hash> in /app`), so from the history alone such
// a layer is a copy of unknown source, and only the Dockerfile (`layerscope build`) names the stage.

import { instructionOf } from '../model/history.js';
import type { HistoryStep, ParsedImage } from '../model/types.js';

export type LayerOrigin =
  /** A layer of the base image: no instruction of the user's made it. */
  | { readonly kind: 'base' }
  | { readonly kind: 'run' }
  /** COPY/ADD from the build context. */
  | { readonly kind: 'context' }
  /** COPY --from=STAGE: the stage's name (or an image, as written after --from). */
  | { readonly kind: 'stage'; readonly stage: string }
  /** COPY/ADD whose source the history does not say (the classic builder's `COPY dir:… in …`). */
  | { readonly kind: 'copy' }
  /** No instruction recorded, or one that makes no files of its own (WORKDIR). */
  | { readonly kind: 'other' };

/** How the end of the base image was worked out, most certain first. */
export type BaseMethod = 'dockerfile' | 'annotation' | 'local-image' | 'history';

export interface BaseBoundary {
  /** Layers 0 … layers-1 are the base image's; the rest are the user's own. */
  readonly layers: number;
  /** The base image as the Dockerfile, an annotation or a local tag names it, when one does. */
  readonly name?: string;
  readonly method: BaseMethod;
  /**
   * `certain`: a base image's diff IDs were checked to be a prefix of this image's; `likely`: a
   * local image (not built here) is such a prefix, or an annotation names the base; `guess`: the
   * history's shape alone.
   */
  readonly sure: 'certain' | 'likely' | 'guess';
}

export interface Provenance {
  readonly base: BaseBoundary;
  /** One per layer. */
  readonly layers: readonly LayerOrigin[];
}

/** What a caller knows better than the history: the base (engine, annotations) and per-layer origins (the Dockerfile). */
export interface ProvenanceInput {
  readonly base?: BaseBoundary;
  /** Per layer; undefined entries fall back to the history. */
  readonly origins?: readonly (LayerOrigin | undefined)[];
  /** The names a build gave its stages, by index (an unnamed stage gets one): what a COPY --from=N is called. */
  readonly stageNames?: Readonly<Record<number, string>>;
}

const BASE_ROOTFS = /^ADD\s+(file|dir|multi):[0-9a-f]+\s+in\s+\/\s*$/i;
const CLASSIC_COPY = /^(COPY|ADD)\s+(file|dir|multi):[0-9a-f]+\s+in\s/i;
const FROM_FLAG = /^COPY\s+(?:--\S+\s+)*--from[=\s]+(\S+)/i;

export function provenanceOf(image: ParsedImage, input: ProvenanceInput = {}): Provenance {
  const base = input.base ?? baseFromHistory(image);
  const layers = image.layers.map((layer, index): LayerOrigin => {
    if (index < base.layers) return { kind: 'base' };
    return input.origins?.[index] ?? originOf(instructionOf(layer.step?.createdBy ?? ''));
  });
  return { base, layers };
}

/** A layer's origin from its instruction alone. */
export function originOf(instruction: string): LayerOrigin {
  if (/^RUN\s/i.test(instruction)) return { kind: 'run' };
  const from = FROM_FLAG.exec(instruction);
  if (from?.[1]) return { kind: 'stage', stage: from[1] };
  if (/^ADD\s/i.test(instruction)) return { kind: 'context' }; // ADD has no --from
  if (CLASSIC_COPY.test(instruction)) return { kind: 'copy' };
  if (/^COPY\s/i.test(instruction)) return { kind: 'context' };
  return { kind: 'other' };
}

/**
 * Where the base ends, from the history's shape (a guess): the layers made before the last CMD or
 * ENTRYPOINT that later layers follow (a published image ends with one, its users' steps come
 * after); without one, the leading layers an import made (no instruction recorded) or a leading
 * `ADD file:… in /` (a root file system).
 */
export function baseFromHistory(image: Pick<ParsedImage, 'layers' | 'history'>): BaseBoundary {
  const made = (steps: readonly HistoryStep[]): number => steps.filter((step) => !step.emptyLayer).length;
  const steps = image.history;
  const mapped = image.layers.every((layer) => layer.step !== undefined) && made(steps) === image.layers.length;
  if (mapped) {
    for (let i = steps.length - 1; i >= 0; i--) {
      const step = steps[i] as HistoryStep;
      if (!/^(CMD|ENTRYPOINT)\b/i.test(instructionOf(step.createdBy))) continue;
      const before = made(steps.slice(0, i));
      if (before > 0 && before < image.layers.length) return { layers: before, method: 'history', sure: 'guess' };
    }
  }
  let leading = 0;
  while (leading < image.layers.length && instructionOf(image.layers[leading]?.step?.createdBy ?? '') === '' && mapped) leading++;
  if (leading > 0 && leading < image.layers.length) return { layers: leading, method: 'history', sure: 'guess' };
  const first = instructionOf(image.layers[0]?.step?.createdBy ?? '');
  return { layers: image.layers.length > 1 && BASE_ROOTFS.test(first) ? 1 : 0, method: 'history', sure: 'guess' };
}

/** What `layerscope build` knows of the final image: its FROM image, and the names it gave the stages. */
export interface DockerfileProvenance {
  /** The external image the final stage starts from (through any stages it is FROM), or `scratch`. */
  readonly baseImage?: string;
  /** By stage index (an unnamed stage gets one). */
  readonly stageNames?: Readonly<Record<number, string>>;
}

