// What a plan knows about an image's provenance beyond its history: the Dockerfile's FROM and
// per-layer origins (`layerscope build`), and, for engine images, where the base ends as the
// engine can tell (base-image.ts).

import type { DockerfileProvenance, ProvenanceInput } from '../analysis/provenance.js';
import type { ImageTarget } from './image-target.js';
import type { ParsedImage } from '../model/types.js';
import { engineEndpoint } from './endpoint.js';
import { DEFAULT_TIMEOUT_MS } from './engine-timeout.js';

export async function provenanceInput(
  image: ParsedImage,
  target: ImageTarget,
  plan: { readonly host?: string; readonly timeoutMs?: number; readonly dockerfile?: DockerfileProvenance },
): Promise<ProvenanceInput> {
  const dockerfile = plan.dockerfile;
  // The engine client loads only for engine images.
  const base =
    target.kind === 'engine'
      ? await (await import('./base-image.js')).baseFromEngine(
          {
            diffIds: image.layers.map((layer) => layer.diffId),
            labels: image.config.labels,
            ...(dockerfile?.baseImage === undefined ? {} : { fromDockerfile: dockerfile.baseImage }),
          },
          engineEndpoint(target.engine, plan.host),
          plan.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        )
      : undefined;
  return { ...(base ? { base } : {}), ...(dockerfile?.stageNames ? { stageNames: dockerfile.stageNames } : {}) };
}
