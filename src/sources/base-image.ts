// Where an engine image's base ends, asked of the engine: the image a Dockerfile's FROM names (or an
// `org.opencontainers.image.base.name` label names), or else a local image that was not built here
// (no parent: pulled, loaded or imported) whose diff IDs are a prefix of this one's. Without either,
// the caller falls back to the history's shape (src/analysis/provenance.ts).

import { Docker } from './engine-client.js';
import type { BaseBoundary } from '../analysis/provenance.js';
import type { Endpoint } from './endpoint.js';

const BASE_NAME_KEY = 'org.opencontainers.image.base.name';

export interface BaseQuestion {
  /** The image's diff IDs, oldest first. */
  readonly diffIds: readonly string[];
  /** The base image as the Dockerfile's FROM names it (`layerscope build`). */
  readonly fromDockerfile?: string;
  /** The image's config labels (an annotation-style base name may be there). */
  readonly labels: Readonly<Record<string, string>>;
}

export async function baseFromEngine(question: BaseQuestion, endpoint: Endpoint): Promise<BaseBoundary | undefined> {
  const docker = new Docker(endpoint.options);
  const layersOf = async (ref: string): Promise<readonly string[] | undefined> => {
    const info = await docker.getImage(ref).inspect().catch(() => undefined);
    return info?.RootFS?.Layers;
  };
  const named = question.fromDockerfile ?? question.labels[BASE_NAME_KEY];
  if (named !== undefined && named !== 'scratch') {
    const layers = await layersOf(named);
    if (layers && isPrefix(layers, question.diffIds)) {
      return { layers: layers.length, name: named, method: question.fromDockerfile === undefined ? 'annotation' : 'dockerfile', sure: 'certain' };
    }
  }
  if (question.fromDockerfile === 'scratch') return { layers: 0, name: 'scratch', method: 'dockerfile', sure: 'certain' };
  return localPrefix(docker, question.diffIds);
}

/** The longest local image (not built on this engine: no parent) whose layers are a proper prefix of these. */
async function localPrefix(docker: Docker, diffIds: readonly string[]): Promise<BaseBoundary | undefined> {
  const images = await docker.listImages().catch(() => []);
  let best: BaseBoundary | undefined;
  for (const summary of images) {
    if (summary.ParentId) continue;
    const info = await docker.getImage(summary.Id).inspect().catch(() => undefined);
    const layers = info?.RootFS?.Layers ?? [];
    if (layers.length === 0 || layers.length >= diffIds.length || !isPrefix(layers, diffIds)) continue;
    if (best && best.layers >= layers.length) continue;
    const name = summary.RepoTags?.find((tag) => tag !== '<none>:<none>');
    best = { layers: layers.length, ...(name ? { name } : {}), method: 'local-image', sure: 'likely' };
  }
  return best;
}

function isPrefix(prefix: readonly string[], of: readonly string[]): boolean {
  return prefix.length <= of.length && prefix.every((id, index) => of[index] === id);
}
